import { describe, expect, it } from 'vitest';
import type { Execution } from '../api/types';
import { executionFixture } from '../executions/executionFixture';
import { summarizeEnvironments, type Deployment } from './environments';
import { durations, executionsOverTime } from './series';
import { axisSeconds } from './Charts';

const now = Date.parse('2026-12-05T12:30:00Z');

function exec(id: string, status: Execution['status'], started: string, completed: string | null = null, over: Partial<Execution> = {}): Execution {
  return executionFixture({ id, name: id, status, started_at: started, completed_at: completed, created_at: started, ...over });
}

describe('executionsOverTime', () => {
  it('counts executions per hour by outcome over the last 24 h', () => {
    const b = executionsOverTime(
      [
        exec('a', 'success', '2026-12-05T12:05:00Z'),
        exec('b', 'failed', '2026-12-05T12:10:00Z'),
        exec('c', 'failed', '2026-12-05T11:59:00Z', null, { governance_status: 'blocked', blocked_reason: 'locked' }),
        exec('d', 'paused', '2026-12-05T11:00:00Z', null, { governance_status: 'pending_approval' }),
        exec('e', 'success', '2026-12-03T11:00:00Z'), // outside the range
      ],
      '24h',
      now,
    );
    expect(b).toHaveLength(24);
    expect(b[23]).toMatchObject({ start: Date.parse('2026-12-05T12:00:00Z'), success: 1, failed: 1 });
    expect(b[22]).toMatchObject({ failed: 1, waiting: 1, success: 0 });
    expect(b.reduce((n, x) => n + x.success + x.failed + x.running + x.waiting + x.cancelled, 0)).toBe(4);
  });

  it('counts per day over 7 d', () => {
    const b = executionsOverTime([exec('e', 'running', '2026-11-29T01:00:00Z')], '7d', now);
    expect(b).toHaveLength(7);
    expect(b[0]).toMatchObject({ start: Date.parse('2026-11-29T00:00:00Z'), running: 1 });
  });
});

describe('durations', () => {
  it('lists finished executions oldest first with their seconds', () => {
    const d = durations([
      exec('late', 'success', '2026-12-05T12:00:00Z', '2026-12-05T12:01:04Z'),
      exec('running', 'running', '2026-12-05T12:10:00Z'),
      exec('early', 'failed', '2026-12-05T10:00:00Z', '2026-12-05T10:00:30Z'),
    ]);
    expect(d.map((p) => [p.id, p.seconds, p.outcome])).toEqual([
      ['early', 30, 'failed'],
      ['late', 64, 'success'],
    ]);
  });
});

describe('summarizeEnvironments', () => {
  const dep = (id: string, environment: string, status: string, version: string): Deployment => ({
    id,
    execution_id: 'x',
    project_id: null,
    environment,
    version,
    commit_sha: null,
    status,
    strategy: 'rolling',
    deployed_by: null,
    started_at: null,
    completed_at: null,
    rollback_of: null,
    created_at: '',
  });

  it('gives the current version (newest success) and the last deployment per environment, standard ones first', () => {
    const s = summarizeEnvironments([
      dep('3', 'Staging', 'failed', 'v3'),
      dep('2', 'Staging', 'success', 'v2'),
      dep('1', 'Staging', 'success', 'v1'),
      dep('9', 'QA', 'success', 'q1'),
    ]);
    expect(s.map((e) => e.name)).toEqual(['Development', 'Staging', 'PreProd', 'Production', 'QA']);
    const staging = s[1]!;
    expect(staging.current?.version).toBe('v2');
    expect(staging.last?.version).toBe('v3');
    expect(s[3]).toEqual({ name: 'Production', current: null, last: null });
  });
});

describe('axisSeconds', () => {
  it('keeps sub-second durations apart and rounds longer ones', () => {
    expect([0, 0.015, 0.02, 0.25, 0.5, 4.56, 45.4, 300, 7200].map(axisSeconds)).toEqual(['0s', '0.015s', '0.02s', '0.25s', '0.5s', '4.6s', '45s', '5m', '2h']);
  });
});
