// The event stream's wire shape (GET /api/v1/events, Server-Sent Events; see
// docs/realtime.md). Each `data:` line is one StreamEvent; `event:` is its
// topic, or `reset` when the client must refetch (it missed too much).
export type Topic =
  | 'executions'
  | 'nodes'
  | 'logs'
  | 'approvals'
  | 'deployments'
  | 'environments'
  | 'audit'
  | 'notifications';

export interface StreamEvent<R = Record<string, unknown>> {
  id: number;
  topic: Topic;
  table: string;
  type: 'INSERT' | 'UPDATE' | 'DELETE';
  execution_id?: string | null;
  project_id?: string | null;
  record: R;
  old?: Record<string, unknown> | null;
  at: string;
}

export interface ResetEvent {
  reason: 'too_far_behind' | 'slow_client' | 'future_id' | string;
  last_id: number;
}

// What a page asks of the stream (implemented by realtime/useEventStream.ts):
//   useEventStream({ topics, executionId?, projectId?, onEvent, onReset? })
//   → { connected: boolean }
// onEvent gets every matching event once, in id order; onReset is called after
// a `reset` (refetch what the page shows); onOpened when the connection opened
// after the page subscribed (what changed before was not sent: a page that
// read before should read again).
export interface StreamOptions {
  topics: Topic[];
  executionId?: string;
  projectId?: string;
  onEvent: (event: StreamEvent) => void;
  onReset?: (reset: ResetEvent) => void;
  onOpened?: () => void;
  enabled?: boolean;
}
