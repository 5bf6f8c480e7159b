// Live node updates never touch the graph library's node list: each drawn
// node reads its own state from the NodeStateStore (so a status change
// re-renders that one node, and nothing is laid out or re-measured again).
// The node list changes only for what the library itself must know — which
// nodes the filter hides and which one is selected. Pure.
import type { DagNodeState, NodeRecord } from './model';

// A partial record (the stream may send only what it watches) keeps the
// fields it does not carry. Allocates only when something changed (it runs
// for every node of every refetch and every live update).
const given = <T>(v: T | undefined, cur: T): T => (v === undefined ? cur : v);

export function mergeState(cur: DagNodeState, r: NodeRecord): DagNodeState {
  const name = r.name === undefined ? cur.name : r.name || r.node_id;
  const type = r.type === undefined ? cur.type : (r.type ?? '');
  const status = r.status ?? cur.status;
  const attempt = given(r.attempt, cur.attempt) ?? 0;
  const maxAttempts = given(r.max_attempts, cur.maxAttempts) ?? 1;
  const exitCode = given(r.exit_code, cur.exitCode) ?? null;
  const error = given(r.error, cur.error) ?? null;
  const startedAt = given(r.started_at, cur.startedAt) ?? null;
  const completedAt = given(r.completed_at, cur.completedAt) ?? null;
  const durationMs = given(r.duration_ms, cur.durationMs) ?? null;
  const nextAttemptAt = given(r.next_attempt_at, cur.nextAttemptAt) ?? null;
  if (
    name === cur.name && type === cur.type && status === cur.status && attempt === cur.attempt &&
    maxAttempts === cur.maxAttempts && exitCode === cur.exitCode && error === cur.error &&
    startedAt === cur.startedAt && completedAt === cur.completedAt && durationMs === cur.durationMs &&
    nextAttemptAt === cur.nextAttemptAt
  )
    return cur;
  return { nodeId: cur.nodeId, name, type, status, attempt, maxAttempts, exitCode, error, startedAt, completedAt, durationMs, nextAttemptAt };
}

// How far a node has got within one attempt; a fetched row may be older
// than the live events already applied (it was read before they happened).
const RANK: Record<string, number> = { pending: 0, queued: 1, waiting: 1, running: 2 };
const rank = (status: string) => RANK[status] ?? 3; // success, failed, skipped, cancelled: final

// A fetched row merged into the live state: ignored when the live state is
// further along (a later attempt, or a later status in the same attempt).
export function mergeFetched(cur: DagNodeState, r: NodeRecord): DagNodeState {
  const attempt = r.attempt ?? cur.attempt;
  if (attempt < cur.attempt) return cur;
  if (attempt === cur.attempt && rank(r.status) < rank(cur.status)) return cur;
  return mergeState(cur, r);
}

export interface FlaggedNode {
  id: string;
  hidden?: boolean;
  selected?: boolean;
}

// Nodes whose hidden/selected flags differ get a new object; the rest keep
// their identity. Answers the same array when none changed.
export function syncFlags<N extends FlaggedNode>(nodes: readonly N[], hidden: (id: string) => boolean, selectedId: string | null): readonly N[] {
  let out: N[] | null = null;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    const h = hidden(n.id);
    const sel = n.id === selectedId;
    if (h === !!n.hidden && sel === !!n.selected) continue;
    out ??= nodes.slice();
    out[i] = { ...n, hidden: h, selected: sel };
  }
  return out ?? nodes;
}
