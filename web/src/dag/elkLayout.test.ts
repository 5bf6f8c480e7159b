import { beforeEach, describe, expect, it, vi } from 'vitest';

// Counts the layout engines (each one a Web Worker loading elk's 1.6 MB).
const started = vi.fn();
vi.mock('elkjs/lib/elk-api', () => ({
  default: class {
    constructor() {
      started();
    }
    layout() {
      return Promise.resolve({ children: [] });
    }
  },
}));
vi.mock('elkjs/lib/elk-worker.min.js?url', () => ({ default: '/elk-worker.js' }));

const fresh = async () => {
  vi.resetModules();
  return import('./elkLayout');
};

beforeEach(() => started.mockClear());

describe('the layout engine preload', () => {
  it('starts the worker when the graph is not known yet', async () => {
    const { preloadLayoutEngine } = await fresh();
    preloadLayoutEngine();
    expect(started).toHaveBeenCalledTimes(1);
  });

  it('starts it as soon as a small graph is announced', async () => {
    const { expectGraph } = await fresh();
    expectGraph(12);
    expect(started).toHaveBeenCalledTimes(1);
  });

  it('skips the page preload once for a large graph, which never uses elk', async () => {
    const { computeLayout, expectGraph, preloadLayoutEngine } = await fresh();
    expectGraph(500);
    preloadLayoutEngine();
    const ids = Array.from({ length: 500 }, (_, i) => `n${i}`);
    expect((await computeLayout(ids, [])).size).toBe(500);
    expect(started).not.toHaveBeenCalled();
    preloadLayoutEngine(); // the next page
    expect(started).toHaveBeenCalledTimes(1);
  });
});
