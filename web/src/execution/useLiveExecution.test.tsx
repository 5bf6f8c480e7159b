import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEventSource } from '../realtime/fakeEventSource';

// The page's fetches, answered from `answers` in order (the last one repeats);
// `held`, when set, is the answer to the next fetch, given when the test says.
let answers: unknown[] = [];
let held: Promise<unknown> | null = null;
const fetchExecution = vi.fn((_id: string) => {
  const h = held;
  held = null;
  return h ?? Promise.resolve(answers.length > 1 ? answers.shift() : answers[0]);
});
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

const detail = (status: string, build: string, id = 'e1') => ({
  id,
  status,
  nodes: [{ node_id: 'build', name: 'build', type: 'build', status: build, attempt: 1 }],
});

let client: QueryClient;
beforeEach(() => {
  FakeEventSource.made = [];
  fetchExecution.mockClear();
  held = null;
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

  it('keeps node events that arrive before the first answer, and reads again once it lands', async () => {
    // The first read is slow (or was prefetched before the stream existed): it answers with the
    // build still running, although the stream, open meanwhile, has said it succeeded.
    let answerFirst: (d: unknown) => void = () => {};
    held = new Promise((resolve) => (answerFirst = resolve));
    answers = [detail('running', 'success', 'e2')];
    // Another execution: e1's stream is still open in the shared hub.
    const { result } = renderHook(() => useLiveExecution('e2'), { wrapper });
    const es = FakeEventSource.made[0]!;
    act(() => es.open());
    act(() => es.emit('nodes', { id: 5, topic: 'nodes', table: 'execution_nodes', type: 'UPDATE', execution_id: 'e2', record: { node_id: 'build', name: 'build', type: 'build', status: 'success', attempt: 1 }, at: '' }));
    expect(fetchExecution).toHaveBeenCalledTimes(1); // the invalidations joined the fetch in flight

    await act(async () => answerFirst(detail('running', 'running', 'e2')));
    // The event is not lost to the older answer: the further-along state wins at once...
    await waitFor(() => expect(result.current.store.getSnapshot().get('build')?.status).toBe('success'));
    // ...and the execution is read once more, since the answer may predate the stream.
    await waitFor(() => expect(fetchExecution).toHaveBeenCalledTimes(2));
    await new Promise((r) => setTimeout(r, 20));
    expect(result.current.store.getSnapshot().get('build')?.status).toBe('success');
  });
});
