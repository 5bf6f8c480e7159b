import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEventSource } from '../realtime/fakeEventSource';

// The page's fetches, answered from `answers` in order (the last one repeats).
let answers: unknown[] = [];
const fetchExecution = vi.fn((_id: string) => Promise.resolve(answers.length > 1 ? answers.shift() : answers[0]));
vi.mock('./api', async (original) => ({
  ...(await original<typeof import('./api')>()),
  fetchExecution: (id: string) => fetchExecution(id),
}));
vi.mock('./prefetch', () => ({ takePrefetched: () => undefined, prefetchFromLocation: () => {} }));
vi.mock('../realtime/hub', async () => {
  const { StreamHub } = await import('../realtime/streamHub');
  const { FakeEventSource: Fake } = await import('../realtime/fakeEventSource');
  const { ManualTimers } = await import('../realtime/manualTimers');
  return {
    streamHub: new StreamHub({
      createEventSource: (url) => new Fake(url),
      token: () => null,
      timers: new ManualTimers(),
      retryMs: 3000,
      idleCloseMs: 0,
    }),
  };
});

const { useLiveExecution } = await import('./useLiveExecution');

const detail = (status: string, build: string) => ({
  id: 'e1',
  status,
  nodes: [{ node_id: 'build', name: 'build', type: 'build', status: build, attempt: 1 }],
});

let client: QueryClient;
beforeEach(() => {
  FakeEventSource.made = [];
  fetchExecution.mockClear();
  client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
});
afterEach(() => cleanup());

function wrapper({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

describe('useLiveExecution', () => {
  it("reads the execution again, nodes included, when the stream says it finished", async () => {
    answers = [detail('running', 'running')];
    const { result } = renderHook(() => useLiveExecution('e1'), { wrapper });
    await waitFor(() => expect(result.current.store.getSnapshot().get('build')?.status).toBe('running'));
    const es = FakeEventSource.made[0]!;
    act(() => es.open());
    await waitFor(() => expect(fetchExecution).toHaveBeenCalledTimes(2)); // the read after the stream opened

    // A change that does not end it: no read.
    act(() => es.emit('executions', { id: 1, topic: 'executions', table: 'executions', type: 'UPDATE', execution_id: 'e1', record: { id: 'e1', status: 'running' }, at: '' }));
    await new Promise((r) => setTimeout(r, 20));
    expect(fetchExecution).toHaveBeenCalledTimes(2);

    // Its end, with the build's own event never received: the read brings the node's state.
    answers = [detail('success', 'success')];
    act(() => es.emit('executions', { id: 2, topic: 'executions', table: 'executions', type: 'UPDATE', execution_id: 'e1', record: { id: 'e1', status: 'success' }, at: '' }));
    await waitFor(() => expect(fetchExecution).toHaveBeenCalledTimes(3));
    await waitFor(() => expect(result.current.store.getSnapshot().get('build')?.status).toBe('success'));
  });
});
