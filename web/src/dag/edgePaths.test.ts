import { getBezierPath, Position } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { bezier, edgesPath } from './edgePaths';
import { NODE_HEIGHT, NODE_WIDTH, type Positions } from './layoutInput';

const rf = (sx: number, sy: number, tx: number, ty: number) =>
  getBezierPath({ sourceX: sx, sourceY: sy, sourcePosition: Position.Right, targetX: tx, targetY: ty, targetPosition: Position.Left })[0];

// The numbers of a path, so formatting differences do not matter.
const numbers = (d: string) => (d.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);

describe('bezier', () => {
  it("is React Flow's default edge from a right-hand source to a left-hand target", () => {
    for (const [sx, sy, tx, ty] of [
      [200, 32, 256, 116],
      [0, 0, 1000, -500],
      [500, 10, 100, 10], // target left of the source: the curve goes out and back
    ] as const) {
      const mine = numbers(bezier(sx, sy, tx, ty));
      const theirs = numbers(rf(sx, sy, tx, ty));
      expect(mine).toHaveLength(8);
      mine.forEach((v, i) => expect(v).toBeCloseTo(theirs[i]!, 6));
    }
  });
});

describe('edgesPath', () => {
  const positions: Positions = new Map([
    ['a', { x: 0, y: 0 }],
    ['b', { x: 300, y: 0 }],
    ['c', { x: 300, y: 100 }],
  ]);
  const edges = [
    { source: 'a', target: 'b' },
    { source: 'a', target: 'c' },
    { source: 'a', target: 'gone' },
  ];

  it('draws every edge between placed nodes from side middle to side middle', () => {
    const d = edgesPath(edges, positions);
    expect(d).toBe(bezier(NODE_WIDTH, NODE_HEIGHT / 2, 300, NODE_HEIGHT / 2) + bezier(NODE_WIDTH, NODE_HEIGHT / 2, 300, 100 + NODE_HEIGHT / 2));
  });

  it('leaves out edges touching a node that is not shown', () => {
    expect(edgesPath(edges, positions, (id) => id !== 'b')).toBe(bezier(NODE_WIDTH, NODE_HEIGHT / 2, 300, 100 + NODE_HEIGHT / 2));
    expect(edgesPath(edges, positions, (id) => id !== 'a')).toBe('');
  });
});
