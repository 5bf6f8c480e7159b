// Every edge of the graph as one SVG path: React Flow's default bezier
// (getBezierPath's curve for a right-hand source and a left-hand target,
// written out: only the path, without the label position it also computes) from the middle
// of the source's right side to the middle of the target's left side (the
// nodes have a fixed size, so this is where its handles were).
// One path element instead of React Flow's 900 edge components (each a
// store subscription, a group and two paths) was the largest part of drawing
// a 500-node graph. Edges touching a node the filter hides are left out, as
// React Flow does for hidden nodes. Pure.
import { NODE_HEIGHT, NODE_WIDTH, type Positions } from './layoutInput';
import type { DagEdge } from './model';

export function edgesPath(edges: readonly DagEdge[], positions: Positions, shown: (id: string) => boolean = () => true): string {
  const parts: string[] = [];
  for (const e of edges) {
    const s = positions.get(e.source);
    const t = positions.get(e.target);
    if (!s || !t || !shown(e.source) || !shown(e.target)) continue;
    parts.push(bezier(s.x + NODE_WIDTH, s.y + NODE_HEIGHT / 2, t.x, t.y + NODE_HEIGHT / 2));
  }
  return parts.join('');
}

// React Flow's control offset: half the horizontal distance, or a curve
// out and back when the target is left of the source (curvature 0.25).
const controlOffset = (dx: number) => (dx >= 0 ? 0.5 * dx : 0.25 * 25 * Math.sqrt(-dx));

export function bezier(sx: number, sy: number, tx: number, ty: number): string {
  const o = controlOffset(tx - sx);
  return `M${sx},${sy} C${sx + o},${sy} ${tx - o},${ty} ${tx},${ty}`;
}
