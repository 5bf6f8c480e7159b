import { describe, expect, it } from 'vitest';
import { computeLayout } from './elkLayout';
import { layeredLayout } from './layeredLayout';
import { layoutInput, NODE_WIDTH, positionsOf } from './layoutInput';
import { edgesOf, isFailingOrBlocked, nodeStateOf, shapeKey, type NodeRecord } from './model';
import { NodeStateStore } from './nodeStore';
import { mergeFetched, mergeState, syncFlags } from './patch';
import { summaryText } from './summary';

const rec = (node_id: string, status = 'pending', extra: Partial<NodeRecord> = {}): NodeRecord => ({ node_id, status, attempt: 0, max_attempts: 1, ...extra });

describe('edgesOf', () => {
  it('reads edges or needs, dropping unknown, self and duplicate edges', () => {
    const nodes = [rec('a'), rec('b', 'pending', { needs: ['a', 'zzz', 'b'] }), rec('c', 'pending', { needs: ['a', 'b'] })];
    expect(edgesOf({ nodes, edges: [{ source: 'a', target: 'b' }, { from: 'b', to: 'c' }] })).toEqual([
      { source: 'a', target: 'b' },
      { source: 'b', target: 'c' },
      { source: 'a', target: 'c' },
    ]);
  });
});

describe('edgesOf on a live page', () => {
  it('answers the same array while the node and edge lists are the same, a new one when either changes', () => {
    const nodes = [rec('a'), rec('b', 'pending', { needs: ['a'] })];
    const first = edgesOf({ nodes });
    expect(edgesOf({ nodes, edges: undefined })).toBe(first); // an execution event merged: a new detail, the same nodes
    const other = [rec('a'), rec('b'), rec('c', 'pending', { needs: ['a', 'b'] })];
    expect(edgesOf({ nodes: other })).toEqual([
      { source: 'a', target: 'c' },
      { source: 'b', target: 'c' },
    ]);
    const listed = [{ source: 'b', target: 'a' }];
    expect(edgesOf({ nodes, edges: listed })).toEqual([{ source: 'b', target: 'a' }, { source: 'a', target: 'b' }]);
  });
});

describe('shapeKey', () => {
  it('changes with nodes or edges, not with status', () => {
    const k = shapeKey(['a', 'b'], [{ source: 'a', target: 'b' }]);
    expect(shapeKey(['a', 'b'], [{ source: 'a', target: 'b' }])).toBe(k);
    expect(shapeKey(['a', 'b'], [])).not.toBe(k);
    expect(shapeKey(['a', 'c'], [{ source: 'a', target: 'b' }])).not.toBe(k);
  });
});

describe('layoutInput', () => {
  it('is a layered left-to-right graph of fixed-size nodes', () => {
    const g = layoutInput(['a', 'b'], [{ source: 'a', target: 'b' }]);
    expect(g.layoutOptions['elk.algorithm']).toBe('layered');
    expect(g.layoutOptions['elk.direction']).toBe('RIGHT');
    expect(g.children).toEqual([
      { id: 'a', width: NODE_WIDTH, height: 64 },
      { id: 'b', width: NODE_WIDTH, height: 64 },
    ]);
    expect(g.edges).toEqual([{ id: 'e0', sources: ['a'], targets: ['b'] }]);
  });
  it('lays big graphs out without elk (the linear layered layout)', async () => {
    const ids = Array.from({ length: 500 }, (_, i) => `n${i}`);
    const edges = ids.slice(1).map((id, i) => ({ source: ids[i]!, target: id }));
    expect(await computeLayout(ids, edges)).toEqual(layeredLayout(ids, edges));
    expect(layoutInput(['a'], []).layoutOptions['elk.direction']).toBe('RIGHT');
  });
  it('keeps nodes elk did not place', () => {
    const p = positionsOf(['a', 'b'], { children: [{ id: 'a', x: 10, y: 20 }] });
    expect(p.get('a')).toEqual({ x: 10, y: 20 });
    expect(p.get('b')!.x).toBeGreaterThan(10);
  });
});

describe('mergeState', () => {
  const cur = nodeStateOf(rec('c'));
  it('answers the same object when nothing changed', () => {
    expect(mergeState(cur, rec('c'))).toBe(cur);
    expect(mergeState(cur, { node_id: 'c', status: 'pending' })).toBe(cur);
  });
  it('folds a partial record in, keeping what it does not carry', () => {
    const running = mergeState(cur, rec('c', 'running', { started_at: 's', attempt: 1 }));
    const failed = mergeState(running, { node_id: 'c', status: 'failed', exit_code: 2, error: 'boom' });
    expect(failed).toMatchObject({ status: 'failed', exitCode: 2, error: 'boom', startedAt: 's', attempt: 1 });
    expect(running).toMatchObject({ status: 'running', exitCode: null });
  });
});

describe('summaryText', () => {
  it('counts in a fixed order with words', () => {
    const s = [...Array(8).fill('success'), 'running', 'failed', 'pending', 'pending'];
    expect(summaryText(s)).toBe('12 nodes: 8 succeeded, 1 running, 1 failed, 2 pending');
    expect(summaryText(['success'])).toBe('1 node: 1 succeeded');
    expect(summaryText([])).toBe('0 nodes');
    expect(summaryText(['odd_state'])).toBe('1 node: 1 odd state');
  });
  it('the filter keeps failing and blocked nodes', () => {
    expect(['failed', 'waiting', 'running', 'success'].filter(isFailingOrBlocked)).toEqual(['failed', 'waiting']);
  });
});

describe('mergeFetched', () => {
  const live = nodeStateOf(rec('c', 'success', { attempt: 1, duration_ms: 5 }));
  it('never takes a fetched row older than the live state', () => {
    expect(mergeFetched(live, rec('c', 'running', { attempt: 1 }))).toBe(live);
    expect(mergeFetched(live, rec('c', 'success', { attempt: 0 }))).toBe(live);
  });
  it('takes a newer one: a later attempt, or a later status', () => {
    expect(mergeFetched(live, rec('c', 'running', { attempt: 2 })).status).toBe('running');
    const running = nodeStateOf(rec('c', 'running', { attempt: 1 }));
    expect(mergeFetched(running, rec('c', 'failed', { attempt: 1 })).status).toBe('failed');
  });
});

describe('syncFlags', () => {
  const base = ['a', 'b'].map((id) => ({ id, position: { x: 0, y: 0 } }));
  it('replaces only nodes whose visibility or selection changed', () => {
    expect(syncFlags(base, () => false, null)).toBe(base);
    const out = syncFlags(base, (id) => id === 'a', 'b');
    expect(out[0]).toMatchObject({ id: 'a', hidden: true, selected: false });
    expect(out[1]).toMatchObject({ id: 'b', hidden: false, selected: true });
    expect(out[1]!.position).toBe(base[1]!.position);
    expect(syncFlags(out, (id) => id === 'a', 'b')).toBe(out);
  });
});

describe('NodeStateStore', () => {
  it('batches live records until the frame, then publishes once with new objects only for changes', () => {
    const frames: (() => void)[] = [];
    const store = new NodeStateStore((f) => frames.push(f));
    let published = 0;
    store.subscribe(() => published++);
    store.reset([rec('a'), rec('b')]);
    expect(published).toBe(1);
    const before = store.getSnapshot();
    const aBefore = before.get('a');
    store.apply({ node_id: 'b', status: 'running' });
    store.apply({ node_id: 'b', status: 'success', duration_ms: 1200 });
    store.apply({ node_id: 'zzz', status: 'failed' });
    expect(frames.length).toBe(1);
    expect(published).toBe(1);
    frames.shift()!();
    expect(published).toBe(2);
    const after = store.getSnapshot();
    expect(after).not.toBe(before);
    expect(after.get('a')).toBe(aBefore);
    expect(after.get('b')).toMatchObject({ status: 'success', durationMs: 1200 });
    store.apply({ node_id: 'a', status: 'pending' });
    frames.shift()!();
    expect(published).toBe(2); // nothing changed: no publish
    store.reset([rec('a'), { node_id: 'b', status: 'success', duration_ms: 1200 }]);
    expect(published).toBe(2); // a refetch that changed nothing
    expect(store.getSnapshot()).toBe(after);
    store.reset([rec('a', 'running'), { node_id: 'b', status: 'success', duration_ms: 1200 }]);
    expect(published).toBe(3);
    expect(store.getSnapshot().get('b')).toBe(after.get('b'));
  });

  it('holds records that arrive before the first snapshot and keeps whichever is further along', () => {
    const frames: (() => void)[] = [];
    const store = new NodeStateStore((f) => frames.push(f));
    let published = 0;
    store.subscribe(() => published++);
    store.apply({ node_id: 'a', status: 'running', attempt: 1 });
    store.apply({ node_id: 'a', status: 'success', attempt: 1, duration_ms: 900 });
    store.apply({ node_id: 'b', status: 'running', attempt: 1 });
    frames.shift()!();
    expect(published).toBe(0); // nothing to draw before the snapshot
    expect(store.getSnapshot().size).toBe(0);
    // The snapshot was read before a's end, after b's start: a from the stream, b as read.
    store.reset([rec('a', 'running', { attempt: 1 }), rec('b', 'success', { attempt: 1 })]);
    expect(published).toBe(1);
    expect(store.getSnapshot().get('a')).toMatchObject({ status: 'success', durationMs: 900 });
    expect(store.getSnapshot().get('b')?.status).toBe('success');
    // After the snapshot, a node it does not have is still ignored (the page refetches).
    store.apply({ node_id: 'zzz', status: 'failed' });
    frames.shift()!();
    expect(store.getSnapshot().has('zzz')).toBe(false);
  });
});
