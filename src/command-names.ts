/**
 * Hints that tell the user what to type name a command instead of spelling its syntax, so that they cannot go
 * stale when the catalog changes:
 *
 *   hint: ['Check the id; ', { say: 'requests' }, ' lists the ones you can see.']
 *   hint: [{ say: 'request', args: [request.id] }, ' shows where it stands.']
 *   alternative: [{ say: 'udr', args: [table.name] }, ' lists its routes.']
 *
 * COMMAND_NAMES is what a user types first, one per command; the catalog (catalog.ts) has exactly one entry
 * for each and the compiler checks both ways. Renaming or removing a command here breaks the compilation of
 * every hint that names it. The presenter (src/cards/hint-words.ts) renders a reference with the catalog's
 * own name for the command and its arguments, in backticks: `request CR-7F3K2QX`.
 *
 * Write a reference literally: `say` a string literal, `args` an array literal whose items are values (a
 * request id, a customer id, a literal word such as 'all') or `<placeholders>` the user fills in. The test
 * test/intents/command-refs.test.ts finds every reference in src and checks that the parser accepts what it
 * renders to (placeholders and non-literal values take the catalog example's word at that position, or its words between
 * the reference's literals: `<change command> because <reason>`).
 *
 * Imports nothing, so the domain (src/changes, src/directory, src/store, src/azure) may use it; they never
 * import the catalog itself.
 */

export const COMMAND_NAMES = [
  'help',
  'customers',
  'circuits',
  'status',
  'circuit',
  'bandwidth',
  'routes',
  'bgp',
  'arp',
  'peerings',
  'filters',
  'udr',
  'security',
  'effective-routes',
  'upgrade',
  'change',
  'peering',
  'filter',
  'route',
  'authorization',
  'key',
  'requests',
  'request',
  'approve',
  'reject',
  'cancel',
  'rollback',
  'emergency',
  'audit',
  'approvals',
  'link',
  'unlink',
  'alerts',
  'ack',
  'silence',
  'silences',
  'unsilence',
] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];

/** "Type this": a command by name, with the arguments to type after it. */
export interface CommandRef {
  readonly say: CommandName;
  /** Words after the command: values (`CR-7F3K2QX`, `contoso`, `all`) or placeholders (`<reason>`). */
  readonly args?: readonly string[];
}

export type HintPart = string | CommandRef;

/** What to do next: plain text, or text and command references in reading order. */
export type Hint = string | readonly HintPart[];

export function isCommandRef(part: HintPart): part is CommandRef {
  return typeof part === 'object';
}

/** Any hint as parts; undefined as none. */
export function hintParts(hint: Hint | undefined): readonly HintPart[] {
  if (hint === undefined) return [];
  return typeof hint === 'string' ? [hint] : hint;
}

/** The words of a reference, unquoted: its name, then its arguments. */
export function refWords(ref: CommandRef): string {
  return [ref.say, ...(ref.args ?? [])].join(' ');
}

/**
 * A hint as plain text, for logs, stderr and `CodedError.hint`. A name in COMMAND_NAMES is the catalog's name
 * for the command, so this reads the same as the cards' rendering (test/cards/outcome-words.test.ts checks).
 */
export function hintText(hint: Hint): string {
  return hintParts(hint)
    .map((p) => (isCommandRef(p) ? `\`${refWords(p)}\`` : p))
    .join('');
}
