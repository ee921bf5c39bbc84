export interface Page<T> {
  rows: T[];
  /** 1-based, clamped into 1..pages. */
  page: number;
  /** At least 1, so an empty table is "page 1 of 1". */
  pages: number;
  total: number;
  /** 1-based number of the first and last row shown; 0 and 0 when there are none. */
  first: number;
  last: number;
}

/** One page of rows. A page past the end shows the last page, and one before the start the first. */
export function pageOf<T>(rows: readonly T[], page: number, pageSize: number): Page<T> {
  const size = Math.max(1, Math.floor(Number.isFinite(pageSize) ? pageSize : 1));
  const total = rows.length;
  const pages = Math.max(1, Math.ceil(total / size));
  const wanted = Number.isFinite(page) ? Math.floor(page) : 1;
  const current = Math.min(pages, Math.max(1, wanted));
  const start = (current - 1) * size;
  const slice = rows.slice(start, start + size);
  return {
    rows: slice,
    page: current,
    pages,
    total,
    first: slice.length > 0 ? start + 1 : 0,
    last: start + slice.length,
  };
}
