import { beforeEach, describe, expect, it } from 'vitest';
import { FakeEventSource } from './fakeEventSource';
import { ManualTimers } from './manualTimers';
import { StreamHub } from './streamHub';
import type { ResetEvent, StreamEvent } from './types';

function event(id: number, topic = 'executions', record: Record<string, unknown> = {}) {
  return { id, topic, table: topic, type: 'UPDATE', execution_id: 'e1', project_id: null, record, old: null, at: '' };
}

function recorder() {
  const events: number[] = [];
  const resets: ResetEvent[] = [];
  const status: boolean[] = [];
  return {
    events,
    resets,
    status,
    listener: {
      onEvent: (e: StreamEvent) => events.push(e.id),
      onReset: (r: ResetEvent) => resets.push(r),
      onStatus: (c: boolean) => status.push(c),
    },
  };
}

let timers: ManualTimers;
let hub: StreamHub;
beforeEach(() => {
  FakeEventSource.made = [];
  timers = new ManualTimers();
  hub = new StreamHub({
    createEventSource: (url) => new FakeEventSource(url),
    token: () => 'T',
    timers,
    retryMs: 3000,
    idleCloseMs: 1000,
  });
});

const only = () => {
  expect(FakeEventSource.made).toHaveLength(1);
  return FakeEventSource.made[0]!;
};

describe('StreamHub', () => {
  it('opens one connection with the topics, filters and token, and reports its state', () => {
    const r = recorder();
    hub.subscribe({ topics: ['nodes', 'executions'], executionId: 'e1' }, r.listener);
    const es = only();
    expect(es.url).toBe('/api/v1/events?topics=executions%2Cnodes&execution_id=e1&batch=1&access_token=T');
    // (an execution filter: its own connection with exactly its topics, and batches)
    expect(es.topics.sort()).toEqual(['batch', 'executions', 'nodes', 'reset']);
    es.open();
    es.fail(0);
    expect(r.status).toEqual([false, true, false]);
  });

  it('delivers each event once, in order, dropping replays and malformed frames', () => {
    const r = recorder();
    hub.subscribe({ topics: ['executions'] }, r.listener);
    const es = only();
    es.open();
    es.emit('executions', event(1));
    es.emit('executions', event(2));
    es.emit('executions', 'garbage');
    es.fail(0); // the browser reconnects with Last-Event-ID: 2 ...
    es.open();
    es.emit('executions', event(2)); // ... and an overlapping replay is dropped
    es.emit('executions', event(3));
    expect(r.events).toEqual([1, 2, 3]);
    expect(r.resets).toEqual([]);
  });

  it('hands a batch frame on as its events, once each, in order, only of the listened topics', () => {
    const r = recorder();
    hub.subscribe({ topics: ['nodes'], executionId: 'e1' }, r.listener);
    const es = only();
    es.open();
    es.emit('nodes', event(1, 'nodes'));
    const run = (from: number, topic: string) => ({
      from,
      to: from + 2,
      at: 't',
      topic,
      table: topic,
      type: 'INSERT',
      execution_id: 'e1',
      project_id: null,
      old: null,
      common: { status: 'pending' },
      columns: ['node_id'],
      rows: [['a'], ['b'], ['c']],
    });
    es.emit('batch', run(2, 'nodes'), '4');
    es.emit('batch', run(3, 'nodes'), '5'); // overlaps: only 5 is new
    es.emit('batch', run(6, 'logs'), '8'); // not a topic of this subscription
    es.emit('batch', 'garbage');
    es.emit('nodes', event(9, 'nodes'));
    expect(r.events).toEqual([1, 2, 3, 4, 5, 9]);
  });

  it('on reset, tells every listener to refetch and skips events the refetch covers', () => {
    const a = recorder();
    const b = recorder();
    hub.subscribe({ topics: ['executions'] }, a.listener);
    hub.subscribe({ topics: ['executions'] }, b.listener);
    const es = only();
    es.emit('executions', event(1));
    es.emit('reset', { reason: 'too_far_behind', last_id: 50 }, '50');
    es.emit('executions', event(40));
    es.emit('executions', event(51));
    for (const r of [a, b]) {
      expect(r.events).toEqual([1, 51]);
      expect(r.resets).toEqual([{ reason: 'too_far_behind', last_id: 50 }]);
    }
  });

  it('gives every unfiltered subscription without logs one shared connection, each listener only its topics', () => {
    // Six sections with six topic sets would take all six connections a
    // browser allows per server and leave none for requests.
    const sets = [['executions'], ['deployments', 'approvals'], ['notifications'], ['environments', 'audit'], ['nodes'], ['approvals']] as const;
    const recorders = sets.map((topics) => {
      const r = recorder();
      hub.subscribe({ topics: [...topics] }, r.listener);
      return r;
    });
    const es = only();
    expect(es.topics).not.toContain('logs');
    expect(es.topics).toContain('audit');
    es.open();
    es.emit('executions', event(1));
    es.emit('approvals', event(2, 'approvals'));
    es.emit('audit', event(3, 'audit'));
    expect(recorders.map((r) => r.events)).toEqual([[1], [2], [], [3], [], [2]]);
    expect(recorders.every((r) => r.status.at(-1) === true)).toBe(true);
    // Logs, and filtered streams, still get their own connection.
    hub.subscribe({ topics: ['logs'] }, recorder().listener);
    hub.subscribe({ topics: ['executions'], projectId: 'p1' }, recorder().listener);
    expect(FakeEventSource.made).toHaveLength(3);
  });

  it('shares one connection per topic/filter set and closes it after the last listener leaves', () => {
    const offA = hub.subscribe({ topics: ['executions', 'logs'] }, recorder().listener);
    const offB = hub.subscribe({ topics: ['logs', 'executions'] }, recorder().listener);
    hub.subscribe({ topics: ['nodes'], executionId: 'x' }, recorder().listener);
    expect(FakeEventSource.made).toHaveLength(2);
    const shared = FakeEventSource.made[0]!;
    offA();
    offB();
    timers.advance(999);
    expect(shared.closed).toBe(false);
    timers.advance(1);
    expect(shared.closed).toBe(true);
    expect(hub.openConnections).toBe(1);
  });

  it('keeps the connection when a listener comes back within the grace period', () => {
    const off = hub.subscribe({ topics: ['executions'] }, recorder().listener);
    off();
    hub.subscribe({ topics: ['executions'] }, recorder().listener);
    timers.advance(5000);
    expect(only().closed).toBe(false);
  });

  it('reopens a connection the browser gave up on, then asks for a refetch', () => {
    const r = recorder();
    hub.subscribe({ topics: ['executions'] }, r.listener);
    const first = only();
    first.open();
    first.emit('executions', event(7));
    first.fail(2);
    expect(first.closed).toBe(true);
    timers.advance(2999);
    expect(FakeEventSource.made).toHaveLength(1);
    timers.advance(1);
    const second = FakeEventSource.made[1]!;
    expect(r.resets).toEqual([]);
    second.open();
    expect(r.resets).toEqual([{ reason: 'reconnected', last_id: 7 }]);
    second.emit('executions', event(8));
    expect(r.events).toEqual([7, 8]);
  });

  it('backs off while the server keeps refusing, and starts over once connected', () => {
    hub.subscribe({ topics: ['executions'] }, recorder().listener);
    const gaps: number[] = [];
    for (let i = 0; i < 3; i++) {
      FakeEventSource.made.at(-1)!.fail(2);
      const before = FakeEventSource.made.length;
      let waited = 0;
      while (FakeEventSource.made.length === before) {
        timers.advance(1000);
        waited += 1000;
      }
      gaps.push(waited);
    }
    expect(gaps).toEqual([3000, 6000, 12000]);
    FakeEventSource.made.at(-1)!.open();
    FakeEventSource.made.at(-1)!.fail(2);
    timers.advance(3000);
    expect(FakeEventSource.made).toHaveLength(5);
  });

  it('listens to every topic when none is named', () => {
    const r = recorder();
    hub.subscribe({ topics: [] }, r.listener);
    const es = only();
    expect(es.topics).toContain('audit');
    es.emit('audit', event(1, 'audit'));
    es.emit('notifications', event(2, 'notifications'));
    expect(r.events).toEqual([1, 2]);
  });
});
