// useLiveInvalidation(topics, queryKeys): keep TanStack queries fresh from
// the stream. Any event on `topics` marks `queryKeys` stale, at most once per
// `intervalMs` (a burst of 100 events refetches once or twice, not 100
// times); a reset refetches at once, and so does the connection's first
// opening (what changed between the page's first read and it was not sent).
// Every invalidation goes through invalidateLive: a change that arrives while
// a query's first fetch is in flight is read once that fetch lands.
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import type { StreamHub } from './streamHub';
import { invalidateLive } from './invalidateLive';
import { throttle } from './throttle';
import type { StreamEvent, Topic } from './types';
import { useEventStream } from './useEventStream';

export interface LiveInvalidationOptions {
  executionId?: string;
  projectId?: string;
  intervalMs?: number;
  enabled?: boolean;
  // Only events this returns true for invalidate (default: all on `topics`).
  filter?: (event: StreamEvent) => boolean;
  hub?: StreamHub; // tests pass their own
}

export function useLiveInvalidation(
  topics: Topic[],
  queryKeys: QueryKey[],
  options: LiveInvalidationOptions = {},
): { connected: boolean } {
  const client = useQueryClient();
  const keys = useRef(queryKeys);
  keys.current = queryKeys;
  const { intervalMs = 500 } = options;

  const invalidate = useMemo(
    () =>
      throttle(() => {
        for (const queryKey of keys.current) void invalidateLive(client, queryKey);
      }, intervalMs),
    [client, intervalMs],
  );
  useEffect(() => () => invalidate.cancel(), [invalidate]);

  const stream = {
    topics,
    executionId: options.executionId,
    projectId: options.projectId,
    enabled: options.enabled,
    onEvent: (e: StreamEvent) => {
      if (!options.filter || options.filter(e)) invalidate();
    },
    onReset: () => {
      invalidate.cancel();
      for (const queryKey of keys.current) void invalidateLive(client, queryKey);
    },
    onOpened: () => {
      invalidate.cancel();
      for (const queryKey of keys.current) void invalidateLive(client, queryKey);
    },
  };
  return useEventStream(stream, options.hub);
}
