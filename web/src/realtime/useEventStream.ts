// useEventStream(options) → { connected }: the page's events from the shared
// stream (realtime/types.ts StreamOptions). onEvent gets every matching event
// once, in id order; onReset asks the page to refetch what it shows. The
// callbacks may change on every render; the connection does not.
import { useEffect, useRef, useState } from 'react';
import { streamHub } from './hub';
import type { StreamHub } from './streamHub';
import type { StreamOptions } from './types';

export function useEventStream(options: StreamOptions, hub: StreamHub = streamHub): { connected: boolean } {
  const { topics, executionId, projectId, enabled = true } = options;
  const [connected, setConnected] = useState(false);
  const callbacks = useRef(options);
  callbacks.current = options;
  const topicKey = [...topics].sort().join(',');

  useEffect(() => {
    if (!enabled) {
      setConnected(false);
      return;
    }
    const key = {
      topics: topicKey ? (topicKey.split(',') as StreamOptions['topics']) : [],
      executionId,
      projectId,
    };
    return hub.subscribe(key, {
      onEvent: (e) => callbacks.current.onEvent(e),
      onReset: (r) => callbacks.current.onReset?.(r),
      onOpened: () => callbacks.current.onOpened?.(),
      onStatus: setConnected,
    });
  }, [hub, topicKey, executionId, projectId, enabled]);

  return { connected };
}
