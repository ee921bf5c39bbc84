/**
 * The Table store's table names, `<prefix><suffix>`. Azure allows 3 to 63 letters and digits, starting with a
 * letter (learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model#table-names),
 * so the prefix gets what the longest suffix leaves. Every suffix has at least 3 letters, so one letter is
 * prefix enough. Config and the store both check a prefix against this one rule.
 */
export const TABLE_SUFFIXES = { changes: 'Changes', refs: 'Refs', alerts: 'Alerts' } as const;

const MAX_TABLE_NAME_LENGTH = 63;

export const MAX_TABLE_PREFIX_LENGTH = MAX_TABLE_NAME_LENGTH - Math.max(...Object.values(TABLE_SUFFIXES).map((s) => s.length));

export const TABLE_PREFIX_PATTERN = new RegExp(`^[A-Za-z][A-Za-z0-9]{0,${MAX_TABLE_PREFIX_LENGTH - 1}}$`);

/** The rule in words, for refusals: "must be …" or "Use …". */
export const TABLE_PREFIX_RULE = `letters and digits only, starting with a letter, at most ${MAX_TABLE_PREFIX_LENGTH} characters`;

export const DEFAULT_TABLE_PREFIX = 'erbot';

export function tableNames(prefix: string): Record<keyof typeof TABLE_SUFFIXES, string> {
  return {
    changes: `${prefix}${TABLE_SUFFIXES.changes}`,
    refs: `${prefix}${TABLE_SUFFIXES.refs}`,
    alerts: `${prefix}${TABLE_SUFFIXES.alerts}`,
  };
}
