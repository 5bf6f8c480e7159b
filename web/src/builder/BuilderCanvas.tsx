// The builder's React Flow canvas, drawn from the model: nodes can be
// dragged around, connected (source handle -> target handle = "needs"),
// selected and deleted (Delete/Backspace on a selected node or edge); node
// types dropped from the palette land where they are dropped. Must be inside
// a ReactFlowProvider (the page adds nodes on click through useReactFlow).
import {
  Background,
  Controls,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useMemo, useState, type Dispatch, type DragEvent } from 'react';
import { BuilderNodeCard, BUILDER_NODE_WIDTH, type BuilderFlowNode } from './BuilderNodeView';
import type { BuilderAction } from './builderState';
import { edgeId } from './flowTemplate';
import type { BuilderModel } from './model';
import { NODE_TYPE_MIME } from './Palette';
import type { Problem } from './problems';

const nodeTypes = { builder: BuilderNodeCard };
const NO_PROBLEMS: Problem[] = [];

export interface BuilderCanvasProps {
  model: BuilderModel;
  selectedId: string | null;
  problems: ReadonlyMap<string, Problem[]>;
  dispatch: Dispatch<BuilderAction>;
}

export function BuilderCanvas({ model, selectedId, problems, dispatch }: BuilderCanvasProps) {
  const flow = useReactFlow();
  const [selectedEdge, setSelectedEdge] = useState<string | null>(null);

  const nodes: BuilderFlowNode[] = useMemo(
    () =>
      model.nodes.map((n) => ({
        id: n.id,
        type: 'builder',
        position: n.position,
        data: { node: n, problems: problems.get(n.id) ?? NO_PROBLEMS },
        selected: n.id === selectedId,
        width: BUILDER_NODE_WIDTH,
      })),
    [model.nodes, problems, selectedId],
  );
  const edges: Edge[] = useMemo(
    () => model.edges.map((e) => ({ id: edgeId(e), source: e.source, target: e.target, selected: edgeId(e) === selectedEdge })),
    [model.edges, selectedEdge],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<BuilderFlowNode>[]) => {
      for (const c of changes) {
        if (c.type === 'position' && c.position) dispatch({ kind: 'move', id: c.id, position: c.position });
        else if (c.type === 'remove') dispatch({ kind: 'remove', id: c.id });
        else if (c.type === 'select' && c.selected) {
          dispatch({ kind: 'select', id: c.id });
          setSelectedEdge(null);
        }
      }
    },
    [dispatch],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      for (const c of changes) {
        const edge = model.edges.find((e) => edgeId(e) === ('id' in c ? c.id : ''));
        if (c.type === 'remove' && edge) dispatch({ kind: 'disconnect', source: edge.source, target: edge.target });
        else if (c.type === 'select') setSelectedEdge(c.selected ? c.id : null);
      }
    },
    [dispatch, model.edges],
  );

  const onConnect = useCallback((c: Connection) => dispatch({ kind: 'connect', source: c.source, target: c.target }), [dispatch]);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(NODE_TYPE_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(NODE_TYPE_MIME);
      if (!type) return;
      e.preventDefault();
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      dispatch({ kind: 'add', nodeType: type, position: { x: Math.round(at.x - BUILDER_NODE_WIDTH / 2), y: Math.round(at.y - 30) } });
    },
    [dispatch, flow],
  );

  return (
    <div data-testid="builder-canvas" className="relative h-full w-full" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onPaneClick={() => {
          dispatch({ kind: 'select', id: null });
          setSelectedEdge(null);
        }}
        deleteKeyCode={['Backspace', 'Delete']}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
        minZoom={0.2}
        proOptions={{ hideAttribution: true }}
        aria-label="Pipeline canvas"
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
      {model.nodes.length === 0 && (
        <div className="pointer-events-none absolute inset-0 flex items-center justify-center p-6 text-center text-sm text-muted">
          Drag a node type from the palette here, or click one to add it. Connect a node&apos;s right handle to another&apos;s left
          handle to make the second need the first.
        </div>
      )}
    </div>
  );
}
