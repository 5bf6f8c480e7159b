// The node state store, handed to every drawn node (which reads only its own
// state: a change re-renders that node alone).
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { DagNodeState } from './model';
import type { NodeStateStore } from './nodeStore';

export const NodeStoreContext = createContext<NodeStateStore | null>(null);

export function useNodeState(nodeId: string): DagNodeState | undefined {
  const store = useContext(NodeStoreContext);
  if (!store) throw new Error('useNodeState outside a NodeStoreContext');
  return useSyncExternalStore(store.subscribe, () => store.getSnapshot().get(nodeId));
}
