import { describe, expect, it } from 'vitest';
import { parseBatchEvents, parseResetEvent, parseStreamEvent, streamUrl, subscriptionKey } from './parse';

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

// Three node rows of one submit, as the server writes them (batch_frame.h).
const batch = {
  from: 7,
  to: 9,
  at: '2026-12-05T10:00:00.000Z',
  topic: 'nodes',
  table: 'execution_nodes',
  type: 'INSERT',
  execution_id: 'e1',
  project_id: 'p1',
  old: null,
  common: { execution_id: 'e1', status: 'pending', error: null },
  columns: ['id', 'node_id'],
  rows: [
    ['r7', 'build'],
    ['r8', 'test'],
    ['r9', 'deploy'],
  ],
};

describe('parseBatchEvents', () => {
  it('expands a batch into exactly the events its single frames would carry', () => {
    const events = parseBatchEvents(JSON.stringify(batch));
    expect(events).toHaveLength(3);
    expect(events?.[1]).toEqual({
      id: 8,
      topic: 'nodes',
      table: 'execution_nodes',
      type: 'INSERT',
      execution_id: 'e1',
      project_id: 'p1',
      record: { id: 'r8', execution_id: 'e1', node_id: 'test', status: 'pending', error: null },
      old: null,
      at: '2026-12-05T10:00:00.000Z',
    });
    expect(events?.map((e) => e.id)).toEqual([7, 8, 9]);
  });

  it('takes each event its own time and old values when they differ', () => {
    const events = parseBatchEvents(
      JSON.stringify({ ...batch, type: 'UPDATE', at: ['t7', 't8', 't9'], old: [{ status: 'a' }, null, { status: 'c' }] }),
    );
    expect(events?.map((e) => [e.at, e.old])).toEqual([
      ['t7', { status: 'a' }],
      ['t8', null],
      ['t9', { status: 'c' }],
    ]);
  });

  it('drops frames that are not batches', () => {
    expect(parseBatchEvents('nope')).toBeNull();
    expect(parseBatchEvents(JSON.stringify({ ...batch, to: 10 }))).toBeNull(); // rows != ids
    expect(parseBatchEvents(JSON.stringify({ ...batch, topic: 'weather' }))).toBeNull();
    expect(parseBatchEvents(JSON.stringify({ ...batch, rows: [['r7'], ['r8'], ['r9']] }))).toBeNull();
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
    expect(url).toBe('/api/v1/events?topics=executions%2Cnodes&execution_id=e1&batch=1&access_token=tok+en');
    expect(streamUrl({ topics: [] }, null)).toBe('/api/v1/events?batch=1');
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
