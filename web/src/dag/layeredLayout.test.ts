import { describe, expect, it } from 'vitest';
import { NODE_HEIGHT } from './layoutInput';
import { layeredLayout } from './layeredLayout';

describe('layeredLayout', () => {
  it('puts every node right of what it needs, in the column of its longest path', () => {
    // build -> test, build -> scan, test -> deploy, scan -> deploy, build -> deploy
    const ids = ['build', 'test', 'scan', 'deploy'];
    const edges = [
      { source: 'build', target: 'test' },
      { source: 'build', target: 'scan' },
      { source: 'test', target: 'deploy' },
      { source: 'scan', target: 'deploy' },
      { source: 'build', target: 'deploy' },
    ];
    const p = layeredLayout(ids, edges);
    expect(p.get('build')!.x).toBe(0);
    expect(p.get('test')!.x).toBe(p.get('scan')!.x);
    expect(p.get('test')!.x).toBeGreaterThan(p.get('build')!.x);
    expect(p.get('deploy')!.x).toBeGreaterThan(p.get('test')!.x);
    // test and scan share a column without overlapping.
    expect(Math.abs(p.get('test')!.y - p.get('scan')!.y)).toBeGreaterThanOrEqual(NODE_HEIGHT);
  });

  it('places 500 nodes in 50 columns of 10 with no two on one spot, and ignores unknown edges', () => {
    const ids: string[] = [];
    const edges: { source: string; target: string }[] = [];
    for (let l = 0; l < 50; l++)
      for (let w = 0; w < 10; w++) {
        const id = `n${l}_${w}`;
        ids.push(id);
        if (l > 0) edges.push({ source: `n${l - 1}_${(w + 3) % 10}`, target: id });
      }
    edges.push({ source: 'ghost', target: 'n0_0' });
    const p = layeredLayout(ids, edges);
    expect(p.size).toBe(500);
    expect(new Set([...p.values()].map((v) => v.x)).size).toBe(50);
    expect(new Set([...p.values()].map((v) => `${v.x},${v.y}`)).size).toBe(500);
    // Within a column, rows follow the rows of what the nodes need.
    const col1 = ids.filter((id) => id.startsWith('n1_')).sort((a, b) => p.get(a)!.y - p.get(b)!.y);
    expect(col1[0]).toBe('n1_7'); // needs n0_0, the top of column 0
  });

  it('survives a cycle by leaving its nodes in the first column', () => {
    const p = layeredLayout(['a', 'b'], [
      { source: 'a', target: 'b' },
      { source: 'b', target: 'a' },
    ]);
    expect(p.get('a')!.x).toBe(0);
    expect(p.get('b')!.x).toBe(0);
    expect(p.get('a')!.y).not.toBe(p.get('b')!.y);
  });
});
