import { isRestError, RestError } from '@azure/core-rest-pipeline';
import type { ClientPool } from './client-pool';

/** Resource Graph pages hold at most 1,000 rows, and one query may name at most 1,000 subscriptions. */
const PAGE_ROWS = 1_000;
const SUBSCRIPTIONS_PER_QUERY = 1_000;

/**
 * The Resource Graph SDK (ms-rest-js) throws its own RestError for an error answer; the rest of src/azure
 * understands core-rest-pipeline's, so it is converted here, keeping only status, code and message.
 */
export function asRestError(e: unknown): never {
  if (isRestError(e) || typeof e !== 'object' || e === null) throw e;
  const { statusCode, code, message, body } = e as { statusCode?: unknown; code?: unknown; message?: unknown; body?: unknown };
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- not an ARM error answer: rethrows the caught value unchanged
  if (typeof statusCode !== 'number') throw e;
  const armCode = (body as { error?: { code?: unknown } } | undefined)?.error?.code ?? code;
  throw new RestError(typeof message === 'string' ? message : `Resource Graph answered ${statusCode}.`, {
    statusCode,
    ...(typeof armCode === 'string' ? { code: armCode } : {}),
  });
}

/** A list in slices of at most `size`. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A KQL string literal for any text: single-quoted, with backslashes and quotes escaped, so ids cannot break out. */
export function kqlString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r/g, '\\r').replace(/\n/g, '\\n')}'`;
}

/** `Resources | where type =~ '<type>' and <condition> | project <columns> | order by id asc`: one type, stable order. */
export function resourcesQuery(type: string, condition: string, columns: string): string {
  return ['Resources', `| where type =~ ${kqlString(type)} and ${condition}`, `| project ${columns}`, '| order by id asc'].join('\n');
}

/** A KQL condition: the resource id is one of `ids`, compared as ARM compares ids (case-insensitively). */
export function idIn(ids: readonly string[]): string {
  return `id in~ (${ids.map(kqlString).join(', ')})`;
}

/**
 * Every row a query answers over the given subscriptions: one query per 1,000 subscriptions, each followed page
 * by page with `$skipToken`. Errors come out as core-rest-pipeline RestErrors (see asRestError).
 */
export async function queryResourceGraph(
  pool: ClientPool,
  tenantId: string,
  subscriptions: readonly string[],
  query: string,
  abortSignal?: AbortSignal,
): Promise<unknown[]> {
  const client = pool.resourceGraphClient(tenantId);
  const rows: unknown[] = [];
  try {
    for (const slice of chunked(subscriptions, SUBSCRIPTIONS_PER_QUERY)) {
      let skipToken: string | undefined;
      do {
        const page = await client.resources(
          { subscriptions: slice, query, options: { resultFormat: 'objectArray', top: PAGE_ROWS, ...(skipToken ? { skipToken } : {}) } },
          abortSignal ? { abortSignal: abortSignal as never } : undefined,
        );
        if (Array.isArray(page.data)) rows.push(...(page.data as unknown[]));
        skipToken = page.skipToken || undefined;
      } while (skipToken);
    }
  } catch (e) {
    asRestError(e);
  }
  return rows;
}
