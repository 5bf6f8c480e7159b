// The layout of one pipeline shape, computed once (asynchronously, in the
// worker) and kept while statuses change; a new shape (another execution, a
// rerun with other nodes) lays out again. Positions are cached per shape for
// the session so going back to an execution is instant.
import { useEffect, useMemo, useState } from 'react';
import type { Positions } from './layoutInput';
import { shapeKey, type DagEdge } from './model';

const cache = new Map<string, Positions>();

export interface LayoutState {
  positions: Positions | null;
  error: string | null;
  key: string;
}

export function useLayout(
  nodeIds: readonly string[],
  edges: readonly DagEdge[],
  compute: (ids: readonly string[], edges: readonly DagEdge[]) => Promise<Positions>,
): LayoutState {
  // 500 ids and 900 edges joined: once per shape, not once per render.
  const key = useMemo(() => shapeKey(nodeIds, edges), [nodeIds, edges]);
  const [state, setState] = useState<LayoutState>(() => ({ positions: cache.get(key) ?? null, error: null, key }));
  useEffect(() => {
    const known = cache.get(key);
    if (known) {
      setState((s) => (s.key === key && s.positions === known ? s : { positions: known, error: null, key }));
      return;
    }
    let live = true;
    compute(nodeIds, edges).then(
      (p) => {
        cache.set(key, p);
        if (live) setState({ positions: p, error: null, key });
      },
      (e: unknown) => live && setState({ positions: null, error: e instanceof Error ? e.message : String(e), key }),
    );
    return () => {
      live = false;
    };
    // nodeIds/edges are described completely by key
  }, [key, compute]);
  return state.key === key ? state : { positions: cache.get(key) ?? null, error: null, key };
}
