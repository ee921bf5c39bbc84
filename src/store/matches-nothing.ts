/**
 * An empty `customerIds` or `states` matches nothing (someone who may see no customer sees no request), and so
 * does a limit of zero; an absent one matches everything. Every store answers these with [] before querying.
 */
export function matchesNothing(filter: {
  customerIds?: readonly string[] | undefined;
  states?: readonly string[] | undefined;
  limit?: number | undefined;
}): boolean {
  if (filter.customerIds?.length === 0 || filter.states?.length === 0) return true;
  return filter.limit !== undefined && filter.limit <= 0;
}
