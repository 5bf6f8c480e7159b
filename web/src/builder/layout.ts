// Canvas positions for nodes that come without one (from opzenix.yml, or a
// template saved without positions): the DAG page's layered layout, left to
// right, with rows spaced for the builder's taller nodes. Pure.
import { layeredLayout } from '../dag/layeredLayout';
import type { BuilderEdge, BuilderNode, Position } from './model';

const ROW_STRETCH = 1.6;

export function layeredPositions(ids: readonly string[], edges: readonly BuilderEdge[]): Map<string, Position> {
  const laid = layeredLayout(ids, edges);
  const out = new Map<string, Position>();
  for (const [id, p] of laid) out.set(id, { x: p.x, y: Math.round(p.y * ROW_STRETCH) });
  return out;
}

// Keeps the positions of nodes `previous` already had when every node is
// known; otherwise (a node was added or renamed elsewhere) lays the whole
// graph out again, so nothing lands on top of something else.
export function placeNodes(
  nodes: Omit<BuilderNode, 'position'>[],
  edges: readonly BuilderEdge[],
  previous: readonly BuilderNode[],
): BuilderNode[] {
  const known = new Map(previous.map((n) => [n.id, n.position]));
  if (nodes.every((n) => known.has(n.id))) return nodes.map((n) => ({ ...n, position: known.get(n.id)! }));
  const laid = layeredPositions(
    nodes.map((n) => n.id),
    edges,
  );
  return nodes.map((n) => ({ ...n, position: laid.get(n.id) ?? { x: 0, y: 0 } }));
}
