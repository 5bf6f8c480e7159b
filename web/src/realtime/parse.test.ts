import { describe, expect, it } from 'vitest';
import { parseResetEvent, parseStreamEvent, streamUrl, subscriptionKey } from './parse';

const frame = {
  id: 42,
  topic: 'nodes',
  table: 'execution_nodes',
  type: 'UPDATE',
  execution_id: 'e1',
  project_id: null,
  record: { node_id: 'build', status: 'running' },
  old: { status: 'queued' },
  at: '2026-12-05T10:00:00.000Z',
};

describe('parseStreamEvent', () => {
  it('reads a frame of the wire contract', () => {
    const e = parseStreamEvent(JSON.stringify(frame));
    expect(e).toEqual({ ...frame, project_id: null });
  });

  it('drops frames that are not events', () => {
    expect(parseStreamEvent('not json')).toBeNull();
    expect(parseStreamEvent('[]')).toBeNull();
    expect(parseStreamEvent(JSON.stringify({ ...frame, id: '42' }))).toBeNull();
    expect(parseStreamEvent(JSON.stringify({ ...frame, topic: 'weather' }))).toBeNull();
    expect(parseStreamEvent(JSON.stringify({ ...frame, type: 'TRUNCATE' }))).toBeNull();
  });

  it('keeps a DELETE without a record as an empty record', () => {
    const e = parseStreamEvent(JSON.stringify({ ...frame, type: 'DELETE', record: null }));
    expect(e?.record).toEqual({});
    expect(e?.type).toBe('DELETE');
  });
});

describe('parseResetEvent', () => {
  it('reads the reason and the id to resume after', () => {
    expect(parseResetEvent('{"reason":"too_far_behind","last_id":900}')).toEqual({
      reason: 'too_far_behind',
      last_id: 900,
    });
    expect(parseResetEvent('nope')).toBeNull();
  });
});

describe('streamUrl', () => {
  it('carries topics, filters and the token for EventSource', () => {
    const url = streamUrl({ topics: ['nodes', 'executions'], executionId: 'e1' }, 'tok en');
    expect(url).toBe('/api/v1/events?topics=executions%2Cnodes&execution_id=e1&access_token=tok+en');
    expect(streamUrl({ topics: [] }, null)).toBe('/api/v1/events');
  });

  it('names one shared connection per distinct topic/filter set', () => {
    expect(subscriptionKey({ topics: ['nodes', 'executions'] })).toBe(
      subscriptionKey({ topics: ['executions', 'nodes', 'nodes'] }),
    );
    expect(subscriptionKey({ topics: ['nodes'], executionId: 'a' })).not.toBe(
      subscriptionKey({ topics: ['nodes'], executionId: 'b' }),
    );
  });
});
