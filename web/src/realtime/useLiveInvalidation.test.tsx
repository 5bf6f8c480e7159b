import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEventSource } from './fakeEventSource';
import { ManualTimers } from './manualTimers';
import { StreamHub } from './streamHub';
import { useLiveInvalidation } from './useLiveInvalidation';

const frame = (id: number) => ({ id, topic: 'executions', table: 'executions', type: 'UPDATE', record: {}, at: '' });

let hub: StreamHub;
let client: QueryClient;
beforeEach(() => {
  vi.useFakeTimers();
  FakeEventSource.made = [];
  hub = new StreamHub({
    createEventSource: (url) => new FakeEventSource(url),
    token: () => null,
    timers: new ManualTimers(),
    retryMs: 3000,
    idleCloseMs: 0,
  });
  client = new QueryClient();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function wrapper({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

describe('useLiveInvalidation', () => {
  it('invalidates the keys at most once per interval during a burst, and at once on reset', () => {
    const spy = vi.spyOn(client, 'invalidateQueries').mockResolvedValue();
    const { result } = renderHook(() => useLiveInvalidation(['executions'], [['executions'], ['metrics']], { hub }), {
      wrapper,
    });
    const es = FakeEventSource.made[0]!;
    act(() => es.open());
    expect(result.current.connected).toBe(true);
    // The first opening reads both again: what changed before it was never sent.
    expect(spy.mock.calls.map((c) => c[0]?.queryKey)).toEqual([['executions'], ['metrics']]);
    spy.mockClear();

    act(() => {
      for (let i = 1; i <= 50; i++) es.emit('executions', frame(i));
    });
    expect(spy.mock.calls.map((c) => c[0]?.queryKey)).toEqual([['executions'], ['metrics']]);
    act(() => vi.advanceTimersByTime(500));
    expect(spy).toHaveBeenCalledTimes(4);

    spy.mockClear();
    act(() => es.emit('reset', { reason: 'slow_client', last_id: 99 }));
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('tells only the subscribers that waited for the opening; one that joins an open stream reads nothing more', () => {
    const spy = vi.spyOn(client, 'invalidateQueries').mockResolvedValue();
    renderHook(() => useLiveInvalidation(['executions'], [['first']], { hub }), { wrapper });
    act(() => FakeEventSource.made[0]!.open());
    expect(spy.mock.calls.map((c) => c[0]?.queryKey)).toEqual([['first']]);
    spy.mockClear();
    renderHook(() => useLiveInvalidation(['deployments'], [['second']], { hub }), { wrapper });
    expect(FakeEventSource.made).toHaveLength(1); // the shared connection
    expect(spy).not.toHaveBeenCalled();
  });
});
