import { describe, expect, it } from 'vitest';
import { healthSummary, probePoints } from './health';
import { hookAttempts } from './hookAttempts';
import { canaryWeights, phaseWords, strategySteps } from './strategyProgress';
import type { Probe } from './types';

const probe = (ok: boolean, latency: number, at: string, over: Partial<Probe> = {}): Probe => ({
  kind: 'health',
  target: 'http://127.0.0.1:8081/health',
  ok,
  latency_ms: latency,
  status_code: ok ? 200 : 503,
  value: null,
  error: ok ? null : 'HTTP 503',
  created_at: at,
  ...over,
});

describe('hookAttempts', () => {
  it('reads each attempt with its outcome and backoff from the hook runner’s log lines', () => {
    const lines = [
      { message: 'hook migrate: attempt 1 of 6', created_at: '2026-12-05T10:00:00Z' },
      { message: 'some command output' },
      { message: 'hook migrate: attempt 1 of 6 failed (exit code 1); next attempt in 2s' },
      { message: 'hook migrate: attempt 2 of 6', created_at: '2026-12-05T10:00:02Z' },
      { message: 'hook migrate: attempt 2 of 6 failed (exit code 1); next attempt in 4s' },
      { message: 'hook migrate: attempt 3 of 6' },
      { message: 'hook migrate: attempt 3 of 6 succeeded' },
      { message: 'hook seed: attempt 1 of 1' },
      { message: 'hook seed: attempt 1 of 1 failed (timed out after 5s); no attempts left' },
    ];
    const a = hookAttempts(lines);
    expect(a.map((x) => `${x.hook}#${x.attempt}:${x.outcome}`)).toEqual([
      'migrate#1:failed',
      'migrate#2:failed',
      'migrate#3:succeeded',
      'seed#1:failed',
    ]);
    expect(a[0]).toMatchObject({ of: 6, failure: 'exit code 1', nextIn: '2s', at: '2026-12-05T10:00:00Z' });
    expect(a[1]!.nextIn).toBe('4s');
    expect(a[3]).toMatchObject({ failure: 'timed out after 5s', nextIn: null, finalWords: 'no attempts left' });
  });

  it('shows a started attempt as running', () => {
    expect(hookAttempts([{ message: 'hook migrate: attempt 1 of 6' }])[0]!.outcome).toBe('running');
  });
});

describe('strategy progress', () => {
  it('draws a canary’s weights from its log and marks where it is', () => {
    const messages = ['canary paused at 10% until promoted', 'canary paused at 10% until promoted', 'canary paused at 50% until promoted'];
    expect(canaryWeights(messages)).toEqual([10, 50]);
    const steps = strategySteps({ strategy: 'canary', phase: 'paused', slot: 'green', canary_weight: 50, status: 'running' }, messages);
    expect(steps.map((s) => `${s.label}:${s.state}`)).toEqual(['Deploy at 0% (green slot):done', '10%:done', '50%:current', '100%:todo']);
  });

  it('marks every step done when the deployment succeeded, and the failing one when it did not', () => {
    const ok = strategySteps({ strategy: 'blue_green', phase: 'switching', slot: 'blue', canary_weight: 0, status: 'success' });
    expect(ok.every((s) => s.state === 'done')).toBe(true);
    const bad = strategySteps({ strategy: 'rolling', phase: 'health_check', slot: null, canary_weight: 0, status: 'rolled_back' });
    expect(bad.map((s) => s.state)).toEqual(['done', 'failed']);
  });

  it('says the phase in words', () => {
    const d = { slot: 'green', canary_weight: 10, status: 'running' };
    expect(phaseWords('paused', d)).toBe('Paused at 10%');
    expect(phaseWords('switching', d)).toBe('Switching traffic to the green slot');
    expect(phaseWords('hook migrate', d)).toBe('Running the migrate hook');
    expect(phaseWords(null, { ...d, status: 'pending' })).toBe('Waiting to start');
    expect(phaseWords('health_check', { ...d, status: 'success' })).toBe('Finished: the new version serves the traffic');
    expect(phaseWords('health_check', { ...d, status: 'failed' })).toBe('Failed while checking health');
  });
});

describe('health', () => {
  it('sums up the last health probes', () => {
    const probes = [probe(true, 12, '2026-12-05T10:00:03Z'), probe(false, 30, '2026-12-05T10:00:02Z'), probe(true, 9, '2026-12-05T10:00:01Z')];
    expect(healthSummary(probes)).toEqual({ tone: 'ok', text: 'Healthy: last probe 12 ms; 2 of 3 recent probes passed' });
    expect(healthSummary([probes[1]!]).text).toBe('Unhealthy: last probe HTTP 503; 0 of 1 recent probes passed');
    expect(healthSummary([])).toEqual({ tone: 'none', text: 'No health check recorded' });
  });

  it('orders chart points oldest first', () => {
    const points = probePoints([probe(true, 12, '2026-12-05T10:00:03Z'), probe(false, 30, '2026-12-05T10:00:02Z')]);
    expect(points.map((p) => p.latency)).toEqual([30, 12]);
    expect(points[0]!.label).toBe('health failed: HTTP 503');
  });
});
