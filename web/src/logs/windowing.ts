// Which rows of a long list to mount: fixed row height, the viewport plus an
// overscan each side, never more than MAX_MOUNTED rows. Pure.
export const MAX_MOUNTED = 500;

export interface RowWindow {
  first: number; // first mounted row
  last: number; // one past the last mounted row
}

export function rowWindow(scrollTop: number, viewportHeight: number, rowHeight: number, rows: number, overscan = 30): RowWindow {
  if (rows <= 0 || rowHeight <= 0) return { first: 0, last: 0 };
  const top = Math.max(0, Math.floor(scrollTop / rowHeight));
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  let first = Math.max(0, top - overscan);
  let last = Math.min(rows, top + visible + overscan);
  if (last - first > MAX_MOUNTED) last = first + MAX_MOUNTED;
  if (first >= rows) first = Math.max(0, rows - 1);
  return { first, last: Math.max(first, last) };
}

// The scrollTop that puts `row` in view: near the top third of the viewport
// (a linked line has context above it).
export function scrollTopFor(row: number, viewportHeight: number, rowHeight: number): number {
  return Math.max(0, row * rowHeight - Math.floor(viewportHeight / 3));
}

// At the bottom (within a row): follow mode stays on.
export function isAtBottom(scrollTop: number, viewportHeight: number, scrollHeight: number, rowHeight: number): boolean {
  return scrollHeight - (scrollTop + viewportHeight) <= rowHeight;
}
