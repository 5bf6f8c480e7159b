import { describe, expect, it } from 'vitest';
import { agentStatusWords, capacityText, leaseTimeoutFrom, parseDurationText, spanText } from './status';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const seen = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString();
const KNOWN = { ms: 30_000, known: true };

describe('agent status words', () => {
  it('says why a lost agent is lost: the silence and the lease timeout', () => {
    const w = agentStatusWords({ status: 'lost', last_seen_at: seen(52) }, NOW, KNOWN);
    expect(w).toMatchObject({ tone: 'bad', word: 'Lost' });
    expect(w.why).toBe('no heartbeat for 52 s, lease timeout 30 s; its jobs were retried or failed');
  });

  it('says the lease timeout is the default when the server’s setting is not readable', () => {
    const w = agentStatusWords({ status: 'lost', last_seen_at: seen(125) }, NOW, leaseTimeoutFrom(undefined));
    expect(w.why).toBe('no heartbeat for 2 min, lease timeout 30 s unless configured otherwise; its jobs were retried or failed');
  });

  it('an online agent: when it was heard from and when it would be lost', () => {
    const w = agentStatusWords({ status: 'online', last_seen_at: seen(3) }, NOW, { ms: 10_000, known: true });
    expect(w).toMatchObject({ tone: 'ok', word: 'Online', why: 'heard from 3 s ago; lost after 10 s of silence' });
  });

  it('an online agent silent past the lease timeout is flagged before the server declares it lost', () => {
    const w = agentStatusWords({ status: 'online', last_seen_at: seen(31) }, NOW, KNOWN);
    expect(w.tone).toBe('wait');
    expect(w.why).toBe('no heartbeat for 31 s, lease timeout 30 s: about to be declared lost');
  });

  it('disabled and never-seen agents', () => {
    expect(agentStatusWords({ status: 'disabled', last_seen_at: seen(5) }, NOW, KNOWN)).toMatchObject({
      tone: 'idle',
      word: 'Disabled',
      why: 'disabled by an admin: its token no longer works',
    });
    expect(agentStatusWords({ status: 'lost', last_seen_at: null }, NOW, KNOWN).why).toMatch(/^never heard from, /);
    expect(agentStatusWords({ status: 'online', last_seen_at: null }, NOW, KNOWN).why).toBe('registered, not yet polling');
  });
});

describe('durations', () => {
  it('reads the server’s duration text', () => {
    expect(parseDurationText('30s')).toBe(30_000);
    expect(parseDurationText('1m30s')).toBe(90_000);
    expect(parseDurationText('2.5s')).toBe(2_500);
    expect(parseDurationText('500ms')).toBe(500);
    expect(parseDurationText('1h')).toBe(3_600_000);
    expect(parseDurationText('')).toBeNull();
    expect(parseDurationText('soon')).toBeNull();
    expect(leaseTimeoutFrom({ 'agent-lease-timeout': '45s' })).toEqual({ ms: 45_000, known: true });
    expect(leaseTimeoutFrom({ 'agent-lease-timeout': 12 })).toEqual({ ms: 30_000, known: false });
  });

  it('writes spans in whole units', () => {
    expect(spanText(52_900)).toBe('52 s');
    expect(spanText(61_000)).toBe('1 min');
    expect(spanText(2 * 3600_000 + 5)).toBe('2 h');
    expect(spanText(3 * 86400_000)).toBe('3 d');
  });
});

describe('capacity', () => {
  it('used of concurrency, and free slots, for an online agent', () => {
    expect(capacityText({ status: 'online', running_jobs: 1, concurrency: 2 })).toBe('1 of 2 used, 1 free');
    expect(capacityText({ status: 'online', running_jobs: 0, concurrency: 4 })).toBe('0 of 4 used, 4 free');
  });
  it('an agent that is not online takes no work', () => {
    expect(capacityText({ status: 'lost', running_jobs: 0, concurrency: 2 })).toBe('takes no work');
    expect(capacityText({ status: 'disabled', running_jobs: 1, concurrency: 2 })).toBe('1 running, takes no new work');
  });
});
