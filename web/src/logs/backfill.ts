// The earlier lines behind a log's tail: pages from the start (after=<seq>,
// PAGE_LINES each) filled into the buffer's hole until they reach the tail.
// Pipelined: the next page is requested as soon as this one has arrived, and
// this one is filled in while the next is on its way. No React: the hook
// passes the fetch, so tests page from an array.
import type { IncomingLine, LogBuffer } from './logBuffer';

export const PAGE_LINES = 10_000;

// GET .../logs (after/limit or tail): the lines and the node's extent.
export interface LogPage {
  items: IncomingLine[];
  next_after: number;
  total: number; // the node's lines when this page was read
  first_seq: number; // the node's first seq (0: none)
  node_status: string;
  execution_status?: string;
}

// Stops early (leaving the hole) when alive() turns false (the viewer moved
// to another log); calls added() after each page that filled lines in.
export async function backfill(
  b: LogBuffer,
  fetchAfter: (after: number) => Promise<Pick<LogPage, 'items' | 'next_after'>>,
  alive: () => boolean,
  added: () => void,
  pageLines = PAGE_LINES,
): Promise<void> {
  let next = fetchAfter(b.headAfter);
  for (;;) {
    const page = await next;
    if (!alive()) return;
    const last = page.items[page.items.length - 1];
    const more = page.items.length >= pageLines && last !== undefined && last.seq < b.tailFirst;
    if (more) next = fetchAfter(page.next_after);
    if (b.fillHead(page.items)) added();
    if (!more) break;
  }
  if (b.finishHead()) added();
}
