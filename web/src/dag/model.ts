// The DAG's data, apart from how it is drawn: each node's live state (what
// the node component shows) and the edges (the pipeline's `needs`). Pure.
export interface DagNodeState {
  nodeId: string;
  name: string;
  type: string;
  status: string;
  attempt: number;
  maxAttempts: number;
  exitCode: number | null;
  error: string | null;
  startedAt: string | null;
  completedAt: string | null;
  durationMs: number | null;
  nextAttemptAt: string | null;
}

export interface DagEdge {
  source: string;
  target: string;
}

// A node row as GET /api/v1/executions/{id} and the `nodes` stream topic send it.
export interface NodeRecord {
  node_id: string;
  name?: string | null;
  type?: string | null;
  status: string;
  attempt?: number | null;
  max_attempts?: number | null;
  exit_code?: number | null;
  error?: string | null;
  started_at?: string | null;
  completed_at?: string | null;
  duration_ms?: number | null;
  next_attempt_at?: string | null;
  needs?: string[] | null;
}

export function nodeStateOf(r: NodeRecord): DagNodeState {
  return {
    nodeId: r.node_id,
    name: r.name || r.node_id,
    type: r.type ?? '',
    status: r.status,
    attempt: r.attempt ?? 0,
    maxAttempts: r.max_attempts ?? 1,
    exitCode: r.exit_code ?? null,
    error: r.error ?? null,
    startedAt: r.started_at ?? null,
    completedAt: r.completed_at ?? null,
    durationMs: r.duration_ms ?? null,
    nextAttemptAt: r.next_attempt_at ?? null,
  };
}

type EdgeLike = { source?: string; target?: string; from?: string; to?: string };

// The last answer per node list: the live page merges every execution event
// into a new detail object that keeps the fetched `nodes` array, and asks
// again each time (900 edges and their keys rebuilt twice a second).
const lastEdges = new WeakMap<readonly NodeRecord[], { from: EdgeLike[] | null | undefined; edges: DagEdge[] }>();

// Edges from the detail's `edges` when the server sends them, else from each
// node's `needs`. Edges naming unknown nodes and duplicates are dropped. The
// same node list and edge list give the same array.
export function edgesOf(detail: { edges?: EdgeLike[] | null; nodes: NodeRecord[] }): DagEdge[] {
  const last = lastEdges.get(detail.nodes);
  if (last && last.from === detail.edges) return last.edges;
  const edges = readEdges(detail);
  lastEdges.set(detail.nodes, { from: detail.edges, edges });
  return edges;
}

function readEdges(detail: { edges?: EdgeLike[] | null; nodes: NodeRecord[] }): DagEdge[] {
  const known = new Set(detail.nodes.map((n) => n.node_id));
  const seen = new Set<string>();
  const out: DagEdge[] = [];
  const add = (source: string | undefined, target: string | undefined) => {
    if (!source || !target || !known.has(source) || !known.has(target) || source === target) return;
    const k = `${source}\u0000${target}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ source, target });
  };
  for (const e of detail.edges ?? []) add(e.source ?? e.from, e.target ?? e.to);
  for (const n of detail.nodes) for (const need of n.needs ?? []) add(need, n.node_id);
  return out;
}

// Identifies a pipeline's shape: the layout is computed once per shape and
// reused while only statuses change.
export function shapeKey(nodeIds: readonly string[], edges: readonly DagEdge[]): string {
  return `${nodeIds.join('\u0001')}\u0002${edges.map((e) => `${e.source}>${e.target}`).join('\u0001')}`;
}

// Nodes the "Failing/blocked only" filter keeps.
export function isFailingOrBlocked(status: string): boolean {
  return status === 'failed' || status === 'waiting' || status === 'paused' || status === 'blocked';
}
