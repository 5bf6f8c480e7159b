// The live state of an execution's nodes, outside React: the stream handler
// pushes node records in as they arrive (100/s is fine), the store folds them
// in and tells its readers at most every FLUSH_MS, so a burst of updates
// costs one render (each render of a 500-node graph costs the browser ~20 ms of
// layerizing and painting, so four a second, not sixty). State objects are replaced only when they change
// (readers compare by identity).
import { nodeStateOf, type DagNodeState, type NodeRecord } from './model';
import { mergeFetched, mergeState } from './patch';

type Listener = () => void;

export const FLUSH_MS = 250;

export class NodeStateStore {
  private states = new Map<string, DagNodeState>();
  private order: string[] = [];
  private pending: NodeRecord[] = [];
  // Live records that arrived before the first snapshot (the page's first
  // read may still be on its way): held, unpublished, until reset() merges
  // them with the snapshot, whichever is further along.
  private early = new Map<string, DagNodeState>();
  private hasSnapshot = false;
  private scheduled = false;
  private listeners = new Set<Listener>();
  private snapshot: ReadonlyMap<string, DagNodeState> = this.states;
  private readonly schedule: (f: () => void) => void;

  constructor(schedule?: (f: () => void) => void) {
    this.schedule = schedule ?? ((f) => setTimeout(f, FLUSH_MS));
  }

  // A full snapshot (the fetched execution): replaces everything now, except
  // where the live state (or a record that arrived before the first
  // snapshot) is already further along than the fetched row.
  reset(records: readonly NodeRecord[]): void {
    this.flushEarly();
    const next = new Map<string, DagNodeState>();
    for (const r of records) {
      const cur = this.states.get(r.node_id) ?? this.early.get(r.node_id);
      next.set(r.node_id, cur ? mergeFetched(cur, r) : nodeStateOf(r));
    }
    this.early.clear();
    this.hasSnapshot = true;
    const order = records.map((r) => r.node_id);
    const sameShape = order.length === this.order.length && order.every((id, i) => id === this.order[i]);
    if (sameShape && [...next].every(([id, s]) => this.states.get(id) === s)) return; // a refetch that changed nothing
    this.states = next;
    if (!sameShape) this.order = order;
    this.publish();
  }

  // Live records: folded in on the next frame, in arrival order.
  apply(record: NodeRecord): void {
    this.pending.push(record);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    if (!this.hasSnapshot) return this.flushEarly();
    const batch = this.pending;
    this.pending = [];
    let changed = false;
    for (const r of batch) {
      const cur = this.states.get(r.node_id);
      if (!cur) continue; // a node of another shape: the page refetches on new shapes
      const next = mergeState(cur, r);
      if (next !== cur) {
        if (!changed) this.states = new Map(this.states);
        changed = true;
        this.states.set(r.node_id, next);
      }
    }
    if (changed) this.publish();
  }

  // Before the first snapshot: what arrived is folded into `early`, in order.
  private flushEarly(): void {
    if (this.hasSnapshot) return;
    for (const r of this.pending) {
      const prev = this.early.get(r.node_id);
      this.early.set(r.node_id, prev ? mergeState(prev, r) : nodeStateOf(r));
    }
    this.pending = [];
  }

  private publish(): void {
    this.snapshot = this.states;
    this.listeners.forEach((l) => l());
  }

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  // Immutable between publishes (useSyncExternalStore's snapshot).
  getSnapshot = (): ReadonlyMap<string, DagNodeState> => this.snapshot;

  // The node ids in pipeline order; the same array until the shape changes.
  ids = (): readonly string[] => this.order;
}
