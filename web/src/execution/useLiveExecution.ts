// An execution kept live: the detail is fetched once, node changes from the
// stream go into a NodeStateStore (patched per frame, never re-laid out),
// execution changes into the query cache; a reset or a node the page does
// not know refetches. While the stream is down and the execution is active,
// it polls instead.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { invalidateLive } from '../realtime/invalidateLive';
import { throttle } from '../realtime/throttle';
import type { NodeRecord } from '../dag/model';
import { NodeStateStore } from '../dag/nodeStore';
import { useEventStream } from '../realtime/useEventStream';
import type { StreamEvent } from '../realtime/types';
import { executionKeys, fetchExecution, type ExecutionDetail } from './api';
import { prefetchFromLocation, takePrefetched } from './prefetch';

// Loading this page's code on /executions/{id} asks for the execution at once.
if (typeof window !== 'undefined') prefetchFromLocation(window.location.pathname);

const ACTIVE = new Set(['idle', 'running', 'paused']);
// A finished execution changes no more (a rerun is a new execution).
const FINISHED = new Set(['success', 'failed', 'warning', 'cancelled']);
// Node types after which the engine writes a checkpoint.
const CHECKPOINTING = new Set(['build', 'test', 'scan', 'deploy']);
// A 500-node run sends dozens of events a second: the page's own data (the
// execution row, checkpoints) is refreshed at most this often.
const REFRESH_MS = 500;

export function useLiveExecution(id: string) {
  const qc = useQueryClient();
  // one store per execution id
  const store = useMemo(() => (id ? new NodeStateStore() : new NodeStateStore()), [id]);
  const known = useRef(new Set<string>());
  const connectedRef = useRef(false);
  const latest = useRef<Partial<ExecutionDetail> | null>(null);
  const refresh = useMemo(
    () => ({
      execution: throttle(() => {
        const r = latest.current;
        latest.current = null;
        if (r) qc.setQueryData<ExecutionDetail>(executionKeys.detail(id), (cur) => (cur ? { ...cur, ...r, nodes: cur.nodes, metadata: cur.metadata } : cur));
      }, REFRESH_MS),
      checkpoints: throttle(() => void invalidateLive(qc, executionKeys.checkpoints(id)), REFRESH_MS * 4),
    }),
    [qc, id],
  );
  useEffect(() => () => (refresh.execution.cancel(), refresh.checkpoints.cancel()), [refresh]);
  const query = useQuery({
    queryKey: executionKeys.detail(id),
    queryFn: () => takePrefetched(id) ?? fetchExecution(id),
    refetchInterval: (q) => (!connectedRef.current && ACTIVE.has(q.state.data?.status ?? '') ? 3000 : false),
  });

  // Only a fetched node list resets the store: execution events merged into
  // the cached detail keep its `nodes` array (older than the live states).
  const fetchedNodes = query.data?.nodes;
  useEffect(() => {
    if (!fetchedNodes) return;
    known.current = new Set(fetchedNodes.map((n) => n.node_id));
    store.reset(fetchedNodes);
  }, [fetchedNodes, store]);

  const onEvent = (e: StreamEvent) => {
    if (e.execution_id && e.execution_id !== id) return;
    if (e.topic === 'nodes') {
      const r = e.record as unknown as NodeRecord;
      // Before the first answer every node is unknown: the store holds the
      // record until the answer comes and keeps whichever is further along.
      if (fetchedNodes && !known.current.has(r.node_id)) {
        void invalidateLive(qc, executionKeys.detail(id), true);
        return;
      }
      store.apply(r);
      if (r.status === 'success' && CHECKPOINTING.has(store.getSnapshot().get(r.node_id)?.type ?? '')) refresh.checkpoints();
    } else if (e.topic === 'executions') {
      const record = e.record as Partial<ExecutionDetail>;
      latest.current = { ...latest.current, ...record };
      refresh.execution();
      // Its end is read once more, nodes included: the final word on every
      // node, whatever the stream delivered (the stream's own gaps are
      // closed elsewhere: early events are held, the first answer read again).
      if (FINISHED.has(record.status ?? '')) void invalidateLive(qc, executionKeys.detail(id), true);
      if (e.old && ('governance_status' in e.old || 'blocked_reason' in e.old)) void invalidateLive(qc, executionKeys.governance(id));
    }
  };

  const { connected } = useEventStream({
    topics: ['executions', 'nodes'],
    executionId: id,
    onEvent,
    onReset: () => void invalidateLive(qc, ['execution', id]),
  });
  connectedRef.current = connected;
  // Events between the first fetch and the stream's opening were never
  // seen: read the execution again once it is open (and after a reconnect),
  // unless it had finished when read (a 500-node answer read again for
  // nothing while the graph is drawn).
  const finished = FINISHED.has(query.data?.status ?? '');
  const finishedRef = useRef(finished);
  finishedRef.current = finished;
  // (invalidateLive: when the first answer is still on its way, it may have
  // been read, or prefetched, before the stream existed; it is read once more
  // when it lands.)
  useEffect(() => {
    if (connected && !finishedRef.current) void invalidateLive(qc, executionKeys.detail(id), true);
  }, [connected, qc, id]);

  return { query, store, connected };
}
