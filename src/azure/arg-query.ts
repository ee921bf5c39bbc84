import type { ReadOptions } from '../network/types';
import type { ClientPool } from './client-pool';

/** Resource Graph pages hold at most 1,000 rows, and one query may name at most 1,000 subscriptions. */
const PAGE_ROWS = 1_000;
const SUBSCRIPTIONS_PER_QUERY = 1_000;

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
 * by page with `$skipToken`. Errors come out as core-rest-pipeline RestErrors (see lean-pipeline.ts).
 */
export async function queryResourceGraph(
  pool: ClientPool,
  tenantId: string,
  subscriptions: readonly string[],
  query: string,
  read: Pick<ReadOptions, 'abortSignal' | 'background'> = {},
): Promise<unknown[]> {
  const client = pool.resourceGraphClient(tenantId);
  const rows: unknown[] = [];
  for (const slice of chunked(subscriptions, SUBSCRIPTIONS_PER_QUERY)) {
    let skipToken: string | undefined;
    do {
      const page = await client.resources(slice, query, {
        top: PAGE_ROWS,
        ...(skipToken ? { skipToken } : {}),
        ...(read.abortSignal ? { abortSignal: read.abortSignal } : {}),
        ...(read.background ? { background: true } : {}),
      });
      for (const row of page.data) rows.push(row);
      skipToken = page.skipToken;
    } while (skipToken);
  }
  return rows;
}
