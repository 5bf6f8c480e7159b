// The execution's DAG (React Flow): laid out once per pipeline shape (elkjs
// in a worker, or layeredLayout.ts above 150 nodes), then patched in place as
// node states change (never a re-layout); the edges are one SVG path
// (EdgeLayer), not React Flow edges. Nodes are keyboard reachable (Tab, Enter opens the node), named
// "{node}, {status}" for screen readers; the filter hides all but failing and
// blocked nodes without moving anything.
import { Background, Controls, ReactFlow, type Edge } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useCallback, useMemo, useRef, useSyncExternalStore, type KeyboardEvent, type MouseEvent } from 'react';
import { DagNode, type DagFlowNode } from './DagNode';
import { EdgeLayer } from './EdgeLayer';
import { edgesPath } from './edgePaths';
import { computeLayout } from './elkLayout';
import { NODE_HEIGHT, NODE_WIDTH, type Positions } from './layoutInput';
import { isFailingOrBlocked, type DagEdge, type DagNodeState } from './model';
import type { NodeStateStore } from './nodeStore';
import { syncFlags } from './patch';
import { NodeStoreContext } from './storeContext';
import { useLayout } from './useLayout';

const nodeTypes = { pipeline: DagNode };
const EMPTY: ReadonlyMap<string, DagNodeState> = new Map<string, DagNodeState>();
const noStates = () => EMPTY;

// Every node is drawn at the layout's fixed size, and React Flow is told so:
// the nodes are visible and the view fitted from the first render instead of
// after React Flow has measured 500 DOM nodes (it still measures each once
// when it mounts, but nothing waits for that).
const SIZE = { width: NODE_WIDTH, height: NODE_HEIGHT };
// The edges are drawn by EdgeLayer, not by React Flow.
const NO_EDGES: Edge[] = [];
// React Flow keeps its props in its own store and re-renders what reads them
// when one changes identity: a new onNodeClick re-rendered all 500 node
// wrappers. So every prop it gets is a constant or a stable callback.
const FIT_VIEW_OPTIONS = { padding: 0.1, maxZoom: 1 };
const PRO_OPTIONS = { hideAttribution: true };

// Built once per layout: position and id only; states come from the store.
function buildNodes(ids: readonly string[], positions: Positions): DagFlowNode[] {
  return ids.map((id) => ({
    id,
    type: 'pipeline',
    position: positions.get(id) ?? { x: 0, y: 0 },
    ...SIZE,
    measured: SIZE,
    data: { nodeId: id },
    draggable: false,
    connectable: false,
    ariaRole: 'button',
  }));
}

export interface DagViewProps {
  store: NodeStateStore;
  edges: readonly DagEdge[];
  failingOnly: boolean;
  selectedId: string | null;
  onSelect: (nodeId: string) => void;
}

// Memoized: the page re-renders on every execution change it folds in (its
// progress, twice a second while nodes finish), and none of that reaches the
// graph, whose node states come from the store.
export const DagView = memo(function DagView({ store, edges, failingOnly, selectedId, onSelect }: DagViewProps) {
  // Read only while the filter is on (it depends on statuses); otherwise no
  // state change reaches this component.
  const states = useSyncExternalStore(store.subscribe, failingOnly ? store.getSnapshot : noStates);
  const ids = useSyncExternalStore(store.subscribe, store.ids); // a new array only for a new shape
  const layout = useLayout(ids, edges, computeLayout);
  const positions = layout.positions;
  // A new layout (a new shape): the drawn nodes are built once, in the same
  // render (React Flow gets them on its first render, not one later).
  const built = useMemo(() => (positions ? buildNodes(ids, positions) : []), [positions]); // eslint-disable-line react-hooks/exhaustive-deps
  const shown = useMemo(
    () => (failingOnly ? (id: string) => isFailingOrBlocked(states.get(id)?.status ?? '') : () => true),
    [failingOnly, states],
  );
  // The filter and the selection: flags on the nodes, never a re-layout;
  // nodes whose flags did not change keep their identity.
  const flagged = useRef<{ base: readonly DagFlowNode[]; nodes: readonly DagFlowNode[] }>({ base: built, nodes: built });
  const nodes = useMemo(() => {
    const from = flagged.current.base === built ? flagged.current.nodes : built;
    const next = syncFlags(from, (id) => !shown(id), selectedId);
    flagged.current = { base: built, nodes: next };
    return next;
  }, [built, shown, selectedId]);
  const path = useMemo(() => (positions ? edgesPath(edges, positions, shown) : ''), [edges, positions, shown]);

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      const el = (e.target as HTMLElement).closest('.react-flow__node');
      const id = el?.getAttribute('data-id');
      if (id) {
        e.preventDefault();
        onSelect(id);
      }
    },
    [onSelect],
  );
  const onNodeClick = useCallback((_: MouseEvent, n: DagFlowNode) => onSelect(n.id), [onSelect]);

  if (layout.error) return <p className="p-4 text-sm text-bad">The graph could not be laid out: {layout.error}</p>;
  if (!layout.positions) return <div data-testid="dag-loading" className="h-full w-full animate-pulse rounded bg-surface-2" aria-label="Laying out the graph" />;
  return (
    <NodeStoreContext.Provider value={store}>
    <div className="h-full w-full" onKeyDown={onKeyDown}>
      <ReactFlow
        nodes={nodes as DagFlowNode[]}
        edges={NO_EDGES}
        nodeTypes={nodeTypes}
        onNodeClick={onNodeClick}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        edgesFocusable={false}
        fitView
        fitViewOptions={FIT_VIEW_OPTIONS}
        minZoom={0.05}
        proOptions={PRO_OPTIONS}
      >
        <EdgeLayer path={path} />
        <Background gap={24} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
    </NodeStoreContext.Provider>
  );
});
