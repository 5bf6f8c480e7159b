// Applying live node updates to the drawn graph IN PLACE: only the nodes whose
// state changed get a new object; every other node keeps its identity, so the
// graph library re-renders just those (never a re-layout). Pure.
import { nodeStateOf, sameState, type DagNodeState, type NodeRecord } from './model';

export interface PatchableNode {
  id: string;
  data: { state: DagNodeState };
}

// Index of each node id in the array (rebuilt only when the shape changes).
export function indexById(nodes: readonly PatchableNode[]): Map<string, number> {
  return new Map(nodes.map((n, i) => [n.id, i]));
}

// Folds a batch of records (in arrival order; later wins) into `nodes`.
// Answers the same array when nothing changed.
export function patchNodes<N extends PatchableNode>(nodes: readonly N[], index: ReadonlyMap<string, number>, records: readonly NodeRecord[]): readonly N[] {
  let out: N[] | null = null;
  for (const r of records) {
    const i = index.get(r.node_id);
    if (i === undefined) continue;
    const cur = (out ?? nodes)[i]!;
    const next = mergeState(cur.data.state, r);
    if (next === cur.data.state) continue;
    out ??= nodes.slice();
    out[i] = { ...cur, data: { ...cur.data, state: next } };
  }
  return out ?? nodes;
}

// A partial record (the stream may send only what it watches) keeps the
// fields it does not carry.
export function mergeState(cur: DagNodeState, r: NodeRecord): DagNodeState {
  const given = nodeStateOf({ ...stateAsRecord(cur), ...definedOnly(r) });
  return sameState(cur, given) ? cur : given;
}

function stateAsRecord(s: DagNodeState): NodeRecord {
  return {
    node_id: s.nodeId,
    name: s.name,
    type: s.type,
    status: s.status,
    attempt: s.attempt,
    max_attempts: s.maxAttempts,
    exit_code: s.exitCode,
    error: s.error,
    started_at: s.startedAt,
    completed_at: s.completedAt,
    duration_ms: s.durationMs,
    next_attempt_at: s.nextAttemptAt,
  };
}

function definedOnly(r: NodeRecord): NodeRecord {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
  return out as unknown as NodeRecord;
}

// What each drawn node should show now: its state (by identity: the store
// replaces a state object only when it changed), whether the filter hides
// it, whether it is the selected one. Nodes already showing that keep their
// identity; the rest are replaced. Answers the same array when none changed.
export interface SyncableNode extends PatchableNode {
  hidden?: boolean;
  selected?: boolean;
}

export function syncNodes<N extends SyncableNode>(
  nodes: readonly N[],
  states: ReadonlyMap<string, DagNodeState>,
  hide: (s: DagNodeState) => boolean,
  selectedId: string | null,
): readonly N[] {
  let out: N[] | null = null;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    const state = states.get(n.id) ?? n.data.state;
    const hidden = hide(state);
    const selected = n.id === selectedId;
    if (state === n.data.state && hidden === !!n.hidden && selected === !!n.selected) continue;
    out ??= nodes.slice();
    out[i] = { ...n, hidden, selected, data: { ...n.data, state } };
  }
  return out ?? nodes;
}
