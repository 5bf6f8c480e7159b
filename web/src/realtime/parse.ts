// Reading the stream's frames (types.ts is the wire contract). The browser's
// EventSource splits the SSE frames; these turn one frame's `data:` text into
// a typed value, or null when it is not one (a malformed or foreign frame is
// dropped, never thrown into a page).
import type { ResetEvent, StreamEvent, Topic } from './types';

export const TOPICS: readonly Topic[] = [
  'executions',
  'nodes',
  'logs',
  'approvals',
  'deployments',
  'environments',
  'audit',
  'notifications',
];

export function isTopic(value: unknown): value is Topic {
  return typeof value === 'string' && (TOPICS as readonly string[]).includes(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

export function parseStreamEvent(data: string): StreamEvent | null {
  const v = parseJson(data);
  if (!isObject(v)) return null;
  if (typeof v.id !== 'number' || !Number.isSafeInteger(v.id) || v.id < 0) return null;
  if (!isTopic(v.topic)) return null;
  if (v.type !== 'INSERT' && v.type !== 'UPDATE' && v.type !== 'DELETE') return null;
  const optionalId = (x: unknown) => (typeof x === 'string' ? x : null);
  return {
    id: v.id,
    topic: v.topic,
    table: typeof v.table === 'string' ? v.table : '',
    type: v.type,
    execution_id: optionalId(v.execution_id),
    project_id: optionalId(v.project_id),
    record: isObject(v.record) ? v.record : {},
    old: isObject(v.old) ? v.old : null,
    at: typeof v.at === 'string' ? v.at : '',
  };
}

// A `batch` frame (GET /api/v1/events?batch=1; docs/realtime.md "Batches"):
// a run of events of one topic, table, type and scope as one frame, what
// every record shares written once. Returns the events it stands for, in id
// order, each exactly as its single frame would carry it; null when the
// frame is not a batch.
export function parseBatchEvents(data: string): StreamEvent[] | null {
  const v = parseJson(data);
  if (!isObject(v)) return null;
  const { from, to, columns, rows, common } = v;
  if (typeof from !== 'number' || typeof to !== 'number' || !Number.isSafeInteger(from) || !Number.isSafeInteger(to)) return null;
  if (from < 0 || to < from || !Array.isArray(columns) || !Array.isArray(rows) || rows.length !== to - from + 1) return null;
  if (!isTopic(v.topic) || (v.type !== 'INSERT' && v.type !== 'UPDATE' && v.type !== 'DELETE')) return null;
  const names = columns.filter((c): c is string => typeof c === 'string');
  if (names.length !== columns.length) return null;
  const shared = isObject(common) ? common : {};
  const optionalId = (x: unknown) => (typeof x === 'string' ? x : null);
  const events: StreamEvent[] = [];
  for (let k = 0; k < rows.length; ++k) {
    const row: unknown = rows[k];
    if (!Array.isArray(row) || row.length !== names.length) return null;
    const record: Record<string, unknown> = { ...shared };
    names.forEach((name, i) => {
      record[name] = row[i];
    });
    const old: unknown = Array.isArray(v.old) ? v.old[k] : v.old;
    const at: unknown = Array.isArray(v.at) ? v.at[k] : v.at;
    events.push({
      id: from + k,
      topic: v.topic,
      table: typeof v.table === 'string' ? v.table : '',
      type: v.type,
      execution_id: optionalId(v.execution_id),
      project_id: optionalId(v.project_id),
      record,
      old: isObject(old) ? old : null,
      at: typeof at === 'string' ? at : '',
    });
  }
  return events;
}

export function parseResetEvent(data: string): ResetEvent | null {
  const v = parseJson(data);
  if (!isObject(v)) return null;
  const lastId = typeof v.last_id === 'number' && Number.isFinite(v.last_id) ? v.last_id : 0;
  return { reason: typeof v.reason === 'string' ? v.reason : 'unknown', last_id: lastId };
}

// The stream's URL for one subscription. EventSource cannot set headers, so
// the session token goes in `access_token` (the server accepts it there).
// `batch=1`: runs of events come as one `batch` frame (parseBatchEvents).
export function streamUrl(
  key: { topics: readonly Topic[]; executionId?: string; projectId?: string },
  token: string | null,
): string {
  const params = new URLSearchParams();
  if (key.topics.length > 0) params.set('topics', [...key.topics].sort().join(','));
  if (key.executionId) params.set('execution_id', key.executionId);
  if (key.projectId) params.set('project_id', key.projectId);
  params.set('batch', '1');
  if (token) params.set('access_token', token);
  return `/api/v1/events?${params.toString()}`;
}

// One shared connection per distinct topic/filter set: this is its name.
export function subscriptionKey(key: { topics: readonly Topic[]; executionId?: string; projectId?: string }): string {
  const topics = [...new Set(key.topics)].sort().join(',');
  return `${topics}|${key.executionId ?? ''}|${key.projectId ?? ''}`;
}
