// A node's whole log, then its new lines as they come. The END first: the
// last TAIL_LINES lines with the log's total (so they show at once, numbered
// by their place in the whole log), then the earlier lines filled in behind
// them, pages of 10,000 from the start (after=<seq>), without moving what the
// reader sees (LogBuffer keeps a hole of the right height). New lines come on
// the `logs` topic of the event stream (filtered to this execution, picked to
// this node); while the stream is down and the node still runs, polling
// `after` instead. Stream lines that arrive while the tail loads wait until it
// is in, so lines stay in seq order and none repeats (LogBuffer skips seen seqs).
import { useEffect, useRef, useState } from 'react';
import { get } from '../api/client';
import { useEventStream } from '../realtime/useEventStream';
import type { StreamEvent } from '../realtime/types';
import { backfill, PAGE_LINES, type LogPage } from './backfill';
import { LogBuffer, type IncomingLine } from './logBuffer';

export const TAIL_LINES = 2_000;
const POLL_MS = 1500;
const FINISHED = new Set(['success', 'failed', 'skipped', 'cancelled']);

export interface NodeLog {
  buffer: LogBuffer;
  version: number; // bumps whenever lines were added
  loading: boolean; // the tail is still coming
  backfilling: boolean; // the lines before the tail are still coming
  error: unknown;
  nodeStatus: string | null;
  live: boolean; // the stream is connected
}

function logsPath(executionId: string, nodeId: string): string {
  return `/api/v1/executions/${encodeURIComponent(executionId)}/nodes/${encodeURIComponent(nodeId)}/logs`;
}

function fetchPage(executionId: string, nodeId: string, after: number): Promise<LogPage> {
  return get<LogPage>(logsPath(executionId, nodeId), { after, limit: PAGE_LINES });
}

function fetchTail(executionId: string, nodeId: string): Promise<LogPage> {
  return get<LogPage>(logsPath(executionId, nodeId), { tail: TAIL_LINES });
}

// Resolves once the browser has painted what was rendered before the call.
function afterPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))));
}

export function useNodeLog(executionId: string, nodeId: string): NodeLog {
  const [buffer, setBuffer] = useState(() => new LogBuffer());
  const [version, setVersion] = useState(0);
  const [loading, setLoading] = useState(true);
  const [backfilling, setBackfilling] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [nodeStatus, setNodeStatus] = useState<string | null>(null);
  const held = useRef<IncomingLine[] | null>([]); // stream lines during the load; null after
  const bufferRef = useRef(buffer);
  bufferRef.current = buffer;
  // New lines re-render at most once per frame, however fast they come.
  const frame = useRef<number | null>(null);
  const bump = () => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      setVersion((v) => v + 1);
    });
  };

  // Initial load: the tail, then what came before it.
  useEffect(() => {
    const b = new LogBuffer();
    setBuffer(b);
    bufferRef.current = b;
    held.current = [];
    setLoading(true);
    setBackfilling(false);
    setError(null);
    let live = true;
    (async () => {
      try {
        const tail = await fetchTail(executionId, nodeId);
        if (!live) return;
        setNodeStatus(tail.node_status);
        b.startWithTail(tail.items, tail.total, tail.first_seq);
        const waiting = held.current ?? [];
        held.current = null;
        b.append(waiting);
        bump();
        setLoading(false);
        if (b.headComplete) return;
        setBackfilling(true);
        // The end on screen first: the earlier pages' parsing would delay its paint.
        await afterPaint();
        if (!live) return;
        await backfill(b, (after) => fetchPage(executionId, nodeId, after), () => live, bump);
      } catch (e) {
        if (live) setError(e);
      } finally {
        if (live) {
          setLoading(false);
          setBackfilling(false);
        }
      }
    })();
    return () => {
      live = false;
    };
  }, [executionId, nodeId]);

  // A finished node writes no more: stop taking the execution's log events
  // (the stream filters by execution, not by node).
  const finished = !loading && nodeStatus !== null && FINISHED.has(nodeStatus);
  const { connected } = useEventStream({
    topics: ['logs', 'nodes'],
    executionId,
    enabled: !finished,
    onEvent: (e: StreamEvent) => {
      const r = e.record as Record<string, unknown> | null;
      if (!r || r.node_id !== nodeId) return;
      if (e.topic === 'nodes') {
        if (typeof r.status === 'string') setNodeStatus(r.status);
        return;
      }
      const line: IncomingLine = {
        seq: Number(r.id ?? r.seq),
        attempt: Number(r.attempt ?? 0),
        stream: String(r.stream ?? 'stdout'),
        level: String(r.level ?? 'info'),
        message: String(r.message ?? ''),
        created_at: String(r.created_at ?? e.at),
      };
      if (held.current) held.current.push(line);
      else if (bufferRef.current.append([line])) bump();
    },
    onReset: () => {
      // Missed events: fetch what came after the last line we have.
      void catchUp();
    },
  });

  const catchUp = async () => {
    const b = bufferRef.current;
    if (held.current) return; // a load is running and will see them
    // Stream lines wait while this runs, so lines stay in seq order.
    held.current = [];
    try {
      for (;;) {
        const page = await fetchPage(executionId, nodeId, b.lastSeq);
        setNodeStatus(page.node_status);
        if (b.append(page.items)) bump();
        if (page.items.length < PAGE_LINES) break;
      }
    } catch (e) {
      setError(e);
    } finally {
      if (bufferRef.current === b) {
        // (another node's load may have started meanwhile: its holding stays)
        const waiting = held.current ?? [];
        held.current = null;
        if (b.append(waiting)) bump();
      }
    }
  };

  // Lines written between the initial load and the stream's opening (or
  // while it reconnected) came on neither: fetch what follows the last one.
  useEffect(() => {
    if (connected && !loading) void catchUp();
  }, [connected, loading]); // eslint-disable-line react-hooks/exhaustive-deps

  // Fallback: poll while the stream is down and the node may still write.
  const mayWrite = nodeStatus === null || !FINISHED.has(nodeStatus);
  useEffect(() => {
    if (connected || loading || !mayWrite) return;
    const t = setInterval(() => void catchUp(), POLL_MS);
    return () => clearInterval(t);
  }, [connected, loading, mayWrite, executionId, nodeId]);

  return { buffer, version, loading, backfilling, error, nodeStatus, live: connected };
}
