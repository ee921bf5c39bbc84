/** Resource Graph never returns more than 1,000 rows in one response. */
export const MAX_PAGE_ROWS = 1000;

export interface PageRequest {
  top: unknown;
  skip: unknown;
  skipToken: unknown;
}

export interface Page {
  offset: number;
  size: number;
  nextToken?: string;
}

/**
 * Which rows a page holds. The skip token is opaque to callers (base64 of the next offset); `$top` sets the page
 * size and `$skip` overrides the token's offset, as the API describes.
 */
export function toPage(total: number, r: PageRequest): Page | string {
  if (r.top !== undefined && !(Number.isInteger(r.top) && (r.top as number) >= 1 && (r.top as number) <= MAX_PAGE_ROWS)) {
    return `"options.$top" must be an integer from 1 to ${MAX_PAGE_ROWS}.`;
  }
  if (r.skip !== undefined && !(Number.isInteger(r.skip) && (r.skip as number) >= 0))
    return '"options.$skip" must be an integer of 0 or more.';
  let offset = 0;
  if (r.skipToken !== undefined) {
    const decoded = typeof r.skipToken === 'string' ? decodeToken(r.skipToken) : undefined;
    if (decoded === undefined) return '"options.$skipToken" is not a skip token this service issued.';
    offset = decoded;
  }
  if (typeof r.skip === 'number') offset = r.skip;
  const size = typeof r.top === 'number' ? r.top : MAX_PAGE_ROWS;
  const next = offset + size;
  return { offset, size, ...(next < total ? { nextToken: encodeToken(next) } : {}) };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64');
}

function decodeToken(token: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: unknown };
    return Number.isInteger(parsed.o) && (parsed.o as number) >= 0 ? (parsed.o as number) : undefined;
  } catch {
    return undefined;
  }
}
