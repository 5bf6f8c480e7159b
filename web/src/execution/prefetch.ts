// The execution detail, asked for as soon as the execution page's code is
// evaluated: on a fresh load of /executions/{id} the app shows the page only
// a few hundred milliseconds after its chunk has arrived (React reveals a
// suspended route no sooner than 300 ms after its fallback), and the page's
// own query would start only then. The page's query takes the answer (once,
// while it is fresh) instead of asking again. Small graphs also start their
// layout engine as soon as the answer is in (large ones never need it).
import { currentToken } from '../auth/session';
import { expectGraph } from '../dag/elkLayout';
import { fetchExecution, type ExecutionDetail } from './api';

const FRESH_MS = 5_000;
const EXECUTION_PAGE = /^\/executions\/([^/]+)\/?$/;

let pending: { id: string; at: number; answer: Promise<ExecutionDetail> } | null = null;

export function prefetchExecution(id: string, now = Date.now()): void {
  const answer = fetchExecution(id);
  answer.then(
    (d) => expectGraph(d.nodes.length),
    () => {}, // the page's own query asks again and shows the error
  );
  pending = { id, at: now, answer };
}

// The prefetched answer for `id`, once; undefined when there is none or it is stale.
export function takePrefetched(id: string, now = Date.now()): Promise<ExecutionDetail> | undefined {
  const p = pending;
  pending = null;
  return p && p.id === id && now - p.at < FRESH_MS ? p.answer : undefined;
}

// The execution named by the address, when a signed-in browser opens its page.
export function prefetchFromLocation(pathname: string): void {
  const m = EXECUTION_PAGE.exec(pathname);
  if (m && currentToken()) prefetchExecution(decodeURIComponent(m[1]!));
}
