import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { invalidateLive } from './invalidateLive';

// A query with an observer (an active one, as on a page) whose answers the test gives.
function watched(client: QueryClient) {
  const answers: ((v: string) => void)[] = [];
  let fetches = 0;
  const observer = new QueryObserver(client, {
    queryKey: ['runs'],
    queryFn: () => {
      fetches += 1;
      return new Promise<string>((resolve) => answers.push(resolve));
    },
  });
  const stop = observer.subscribe(() => {});
  return { answers, fetches: () => fetches, data: () => client.getQueryData(['runs']), stop };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

let stops: (() => void)[] = [];
afterEach(() => {
  stops.forEach((s) => s());
  stops = [];
});

describe('invalidateLive', () => {
  it('reads a query again once its first answer lands, when a change came while it was on its way', async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const q = watched(client);
    stops.push(q.stop);
    await settle();
    expect(q.fetches()).toBe(1);

    // Plain invalidateQueries joins the fetch in flight: the change would be lost.
    await Promise.race([client.invalidateQueries({ queryKey: ['runs'] }), settle()]);
    expect(q.fetches()).toBe(1);

    // Two changes while the first answer is on its way: one more read, after it.
    void invalidateLive(client, ['runs']);
    void invalidateLive(client, ['runs']);
    await settle();
    expect(q.fetches()).toBe(1);
    q.answers[0]!('read before the change');
    await settle();
    expect(q.fetches()).toBe(2);
    q.answers[1]!('read after the change');
    await settle();
    expect(q.data()).toBe('read after the change');
    await settle();
    expect(q.fetches()).toBe(2); // and no more
  });

  it('refetches at once a query that has data', async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const q = watched(client);
    stops.push(q.stop);
    await settle();
    q.answers[0]!('first');
    await settle();
    void invalidateLive(client, ['runs']);
    await settle();
    expect(q.fetches()).toBe(2);
  });

  it('does not read again after a first fetch that failed', async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    let fetches = 0;
    const observer = new QueryObserver(client, {
      queryKey: ['broken'],
      queryFn: () => {
        fetches += 1;
        return Promise.reject(new Error('500'));
      },
    });
    stops.push(observer.subscribe(() => {}));
    void invalidateLive(client, ['broken']);
    await settle();
    await settle();
    expect(fetches).toBe(1);
  });
});
