import { beforeEach, describe, expect, it, vi } from 'vitest';

const fetchExecution = vi.fn((id: string) => Promise.resolve({ id, nodes: new Array(id === 'big' ? 500 : 3).fill({}) }));
const expectGraph = vi.fn();
let token: string | null = 'tok';
vi.mock('./api', () => ({ fetchExecution: (id: string) => fetchExecution(id) }));
vi.mock('../dag/elkLayout', () => ({ expectGraph: (n: number) => expectGraph(n) }));
vi.mock('../auth/session', () => ({ currentToken: () => token }));

const { prefetchExecution, prefetchFromLocation, takePrefetched } = await import('./prefetch');

beforeEach(() => {
  fetchExecution.mockClear();
  expectGraph.mockClear();
  token = 'tok';
  takePrefetched('', 0); // forget any earlier prefetch
});

describe('execution prefetch', () => {
  it('hands the answer to the page once, for the same execution, while fresh', async () => {
    prefetchExecution('e1', 1_000);
    expect(fetchExecution).toHaveBeenCalledWith('e1');
    const p = takePrefetched('e1', 2_000);
    await expect(p).resolves.toMatchObject({ id: 'e1' });
    expect(takePrefetched('e1', 2_000)).toBeUndefined();
  });

  it('gives nothing for another execution or a stale answer', () => {
    prefetchExecution('e1', 1_000);
    expect(takePrefetched('e2', 1_000)).toBeUndefined();
    prefetchExecution('e1', 1_000);
    expect(takePrefetched('e1', 7_000)).toBeUndefined();
  });

  it('tells the layout how big the graph will be', async () => {
    prefetchExecution('big', 0);
    await takePrefetched('big', 0);
    await Promise.resolve();
    expect(expectGraph).toHaveBeenCalledWith(500);
  });

  it('starts only on an execution page, and only when signed in', () => {
    prefetchFromLocation('/executions/a%2Fb');
    expect(fetchExecution).toHaveBeenLastCalledWith('a/b');
    prefetchFromLocation('/executions/x/nodes/build/logs');
    prefetchFromLocation('/executions');
    prefetchFromLocation('/');
    expect(fetchExecution).toHaveBeenCalledTimes(1);
    token = null;
    prefetchFromLocation('/executions/e9');
    expect(fetchExecution).toHaveBeenCalledTimes(1);
  });
});
