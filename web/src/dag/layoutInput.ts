// The graph handed to elkjs: layered, left to right, fixed node size (the
// node component is drawn at this size). Pure.
import type { DagEdge } from './model';

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 64;

export interface ElkInput {
  id: string;
  layoutOptions: Record<string, string>;
  children: { id: string; width: number; height: number }[];
  edges: { id: string; sources: string[]; targets: string[] }[];
}

export const LAYOUT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '56',
  'elk.spacing.nodeNode': '20',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.edgeRouting': 'POLYLINE',
};

// Above this many nodes the graph is laid out by layeredLayout.ts instead of
// elk: elk's defaults took 1.6–2.9 s for 500 nodes and 900 edges, and ~2 s
// with its quickest settings.
export const LARGE_GRAPH = 150;

export function layoutInput(nodeIds: readonly string[], edges: readonly DagEdge[]): ElkInput {
  return {
    id: 'root',
    layoutOptions: LAYOUT_OPTIONS,
    children: nodeIds.map((id) => ({ id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: edges.map((e, i) => ({ id: `e${i}`, sources: [e.source], targets: [e.target] })),
  };
}

export type Positions = Map<string, { x: number; y: number }>;

// Positions from elk's answer; nodes elk did not place (never expected) go
// in a column to the right so nothing is lost.
export function positionsOf(nodeIds: readonly string[], laid: { children?: { id: string; x?: number; y?: number }[] }): Positions {
  const out: Positions = new Map();
  let maxX = 0;
  for (const c of laid.children ?? []) {
    out.set(c.id, { x: c.x ?? 0, y: c.y ?? 0 });
    maxX = Math.max(maxX, c.x ?? 0);
  }
  let row = 0;
  for (const id of nodeIds) if (!out.has(id)) out.set(id, { x: maxX + NODE_WIDTH + 56, y: row++ * (NODE_HEIGHT + 20) });
  return out;
}
