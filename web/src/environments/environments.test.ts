import { describe, expect, it } from 'vitest';
import { environmentFixture, rowFixture, windowFixture } from './fixtures';
import { localToUtc, nextOccurrence, windowText } from './freezeText';
import { currentRow, rollbackConsequence, rollbackLabel, rollbacksAround, rollbackTargetRefusal } from './history';
import { deployRefusal, emergencyStopRefusal, lockRefusal } from './permissions';
import { promotionPlan } from './promotion';
import { ruleLines } from './ruleWords';
import { spanWords } from './words';

const text = (lines: { key: string; text: string }[], key: string) => lines.find((l) => l.key === key)?.text;

describe('ruleLines', () => {
  it('spells out Production-like rules: approvals with reviewers, self-approval, wait timer, refs, queue', () => {
    const env = environmentFixture({
      name: 'Production',
      required_role: 'admin',
      requires_approval: true,
      required_approvals: 2,
      reviewers: [
        { kind: 'role', id: 'admin' },
        { kind: 'user', id: 'u-ana' },
      ],
      wait_timer_seconds: 300,
      restrict_refs: true,
      allowed_branches: ['main', 'master'],
      allowed_tags: ['v*'],
      auto_deploy: false,
      queue_mode: 'newest_ready_first',
    });
    const lines = ruleLines(env, (id) => (id === 'u-ana' ? 'Ana' : id));
    expect(text(lines, 'role')).toBe('Only admins can deploy');
    expect(text(lines, 'approvals')).toBe('2 approvals from admins and Ana, valid for 30 days');
    expect(text(lines, 'self_approval')).toBe('Whoever started the run or pushed the commit cannot approve it');
    expect(text(lines, 'wait_timer')).toBe('Waits 5 min after the approval before it deploys');
    expect(text(lines, 'refs')).toBe('Only branches main, master; tags v*');
    expect(text(lines, 'auto_deploy')).toMatch(/manual go/);
    expect(text(lines, 'queue')).toMatch(/newest ready run goes next/);
  });

  it('says plainly when nothing is required', () => {
    const lines = ruleLines(environmentFixture({ required_role: 'viewer' }));
    expect(text(lines, 'role')).toBe('Anyone signed in can deploy');
    expect(text(lines, 'approvals')).toBe('No approval needed');
    expect(text(lines, 'self_approval')).toBeUndefined();
    expect(text(lines, 'wait_timer')).toBeUndefined();
    expect(text(lines, 'refs')).toBe('Any branch or tag');
    expect(text(lines, 'queue')).toBe('One deployment at a time, oldest first');
  });

  it('names "any operator or admin" when approvals name no reviewer', () => {
    const lines = ruleLines(environmentFixture({ requires_approval: true, required_approvals: 1, prevent_self_approval: false }));
    expect(text(lines, 'approvals')).toMatch(/^1 approval from any operator or admin/);
    expect(text(lines, 'self_approval')).toMatch(/may approve/);
  });

  it('writes spans in words', () => {
    expect(spanWords(90)).toBe('1 min 30 s');
    expect(spanWords(5400)).toBe('1 h 30 min');
    expect(spanWords(86_400)).toBe('1 day');
  });
});

describe('freeze windows in two time zones', () => {
  const now = Date.parse('2026-12-05T12:00:00Z');

  it('writes the server’s next occurrence in the window’s zone and in the reader’s', () => {
    const w = windowFixture({
      kind: 'weekly',
      weekdays: ['sat'],
      start_time: '22:00',
      end_time: '23:00',
      timezone: 'Europe/Berlin',
      next_start: '2026-12-05T21:00:00Z',
      next_end: '2026-12-05T22:00:00Z',
    });
    const t = windowText(w, 'America/New_York', now);
    expect(t.state).toBe('upcoming');
    expect(t.rule).toBe('Saturdays 22:00–23:00');
    expect(t.inZone).toBe('Sat 5 Dec 22:00–23:00 (Europe/Berlin)');
    expect(t.inUserZone).toBe('Sat 5 Dec 16:00–17:00 your time (America/New_York)');
  });

  it('writes one line when the reader is in the window’s zone', () => {
    const w = windowFixture({ timezone: 'UTC', next_start: '2026-12-24T00:00:00Z', next_end: '2026-12-26T00:00:00Z' });
    const t = windowText(w, 'UTC', now);
    expect(t.inZone).toBe('Thu 24 Dec 00:00 – Sat 26 Dec 00:00 (UTC)');
    expect(t.inUserZone).toBeNull();
  });

  it('falls back to active_until while active, and to an absolute window’s local times', () => {
    const active = windowFixture({ active: true, active_until: '2026-12-05T13:30:00Z', timezone: 'Asia/Tokyo' });
    const a = windowText(active, 'UTC', now);
    expect(a.state).toBe('active');
    expect(a.inZone).toBe('until Sat 5 Dec 22:30 (Asia/Tokyo)');
    expect(a.inUserZone).toBe('until Sat 5 Dec 13:30 your time (UTC)');

    const absolute = windowFixture({ start: '2026-12-24T00:00:00', end: '2026-12-26T23:59:00', timezone: 'Europe/Berlin' });
    expect(nextOccurrence(absolute)).toEqual({
      start: Date.parse('2026-12-23T23:00:00Z'),
      end: Date.parse('2026-12-26T22:59:00Z'),
    });
  });

  it('reads local times across a DST change', () => {
    expect(localToUtc('2026-07-01T12:00:00', 'Europe/Berlin')).toBe(Date.parse('2026-07-01T10:00:00Z'));
    expect(localToUtc('2026-01-01T12:00:00', 'Europe/Berlin')).toBe(Date.parse('2026-01-01T11:00:00Z'));
    expect(localToUtc('nonsense', 'UTC')).toBeNull();
  });

  it('gives a recurring window without next_* only its rule', () => {
    const w = windowFixture({ kind: 'cron', cron: '0 22 * * 5', duration_seconds: 7200 });
    const t = windowText(w, 'UTC', now);
    expect(t.state).toBe('unknown');
    expect(t.rule).toBe('Every match of cron 0 22 * * 5, for 2 h');
    expect(t.inZone).toBeNull();
  });
});

describe('history', () => {
  // Newest first: a rollback from v3 to v1, then v3 (bad), v2 failed, v1.
  const rows = [
    rowFixture('d4', 'v1', { is_current: true, rollback_of: 'd1', reason: 'v3 answers 500' }),
    rowFixture('d3', 'v3', { marked_bad: true }),
    rowFixture('d2', 'v2', { status: 'failed' }),
    rowFixture('d1', 'v1'),
  ];

  it('labels a rollback with the version it replaced and the one it restored', () => {
    expect(rollbackLabel(rows, 0)?.text).toBe('rollback v3 → v1');
    expect(rollbackLabel(rows, 1)).toBeNull();
  });

  it('skips deployments that never became current when finding the version replaced', () => {
    const r = [rowFixture('d5', 'v1', { rollback_of: 'd1' }), rowFixture('d2', 'v2', { status: 'failed' }), rowFixture('d1', 'v1')];
    expect(rollbackLabel(r, 0)?.text).toBe('rollback v1 → v1');
    const alone = [rowFixture('d9', 'v7', { rollback_of: 'gone' })];
    expect(rollbackLabel(alone, 0)?.text).toBe('rollback to v7');
  });

  it('says which rows can be rolled back to', () => {
    expect(rollbackTargetRefusal(rows[0]!)).toBe('This is the version running now');
    expect(rollbackTargetRefusal(rows[1]!)).toBeNull();
    expect(rollbackTargetRefusal(rows[2]!)).toMatch(/succeeded.*this one failed/);
    expect(rollbackTargetRefusal(rows[3]!)).toBeNull();
    expect(currentRow(rows)?.deployment_id).toBe('d4');
  });

  it('spells out the version change', () => {
    const current = rowFixture('d3', 'v3', { commit_sha: '3'.repeat(40) });
    const target = rowFixture('d1', 'v1', { commit_sha: '1'.repeat(40) });
    expect(rollbackConsequence('Staging', current, target)).toBe('Staging will run v1 (1111111) instead of v3 (3333333).');
    expect(rollbackConsequence('Staging', null, target)).toBe('Staging will run v1 (1111111).');
  });
});

describe('permissions', () => {
  const staging = environmentFixture();
  const production = environmentFixture({ name: 'Production', required_role: 'admin', lock_role: 'admin', is_locked: true });

  it('lets operators lock non-production environments only, and viewers none', () => {
    expect(lockRefusal(staging, 'operator')).toBeNull();
    expect(lockRefusal(staging, 'viewer')).toBe('Viewers cannot lock environments');
    expect(lockRefusal(production, 'operator')).toBe('Only admins can unlock Production (it requires the admin role)');
    expect(lockRefusal(production, 'admin')).toBeNull();
  });

  it('needs the environment’s role to roll back, and admin for the emergency stop', () => {
    expect(deployRefusal('Staging', 'operator', 'viewer', 'roll back')).toBe('Viewers cannot roll back Staging');
    expect(deployRefusal('Production', 'admin', 'operator', 'roll back')).toBe('Only admins can roll back Production (it requires the admin role)');
    expect(deployRefusal('Staging', 'operator', 'operator', 'roll back')).toBeNull();
    expect(emergencyStopRefusal('operator')).toMatch(/Only admins/);
    expect(emergencyStopRefusal('admin')).toBeNull();
  });
});

describe('rollbacksAround', () => {
  const rows = [
    rowFixture('d4', 'v1', { is_current: true, rollback_of: 'd1' }),
    rowFixture('d3', 'v3', { marked_bad: true }),
    rowFixture('d1', 'v1'),
  ];
  it('links a rollback to what it restored and replaced, and a bad version to the rollback it caused', () => {
    expect(rollbacksAround(rows, 'd4')).toMatchObject({ restored: { id: 'd1', version: 'v1' }, replaced: { deployment_id: 'd3' }, replacedBy: null });
    expect(rollbacksAround(rows, 'd3')).toMatchObject({ restored: null, replaced: null, replacedBy: { deployment_id: 'd4' } });
    expect(rollbacksAround(rows, 'd1').replacedBy).toBeNull();
    expect(rollbacksAround(rows, 'nope').replacedBy).toBeNull();
  });
});

describe('promotionPlan', () => {
  const envs = ['Development', 'Staging', 'PreProd', 'Production'].map((name, position) => environmentFixture({ id: name, name, position }));
  const now = Date.parse('2026-12-05T12:00:00Z');
  const current = { completed_at: '2026-12-05T11:55:00Z' };

  it('promotes to the next environment in order when there is no lifecycle', () => {
    expect(promotionPlan(envs, { project_id: 'p1', phases: [] }, 'Staging', current, now)).toEqual({ target: 'PreProd', rule: null, blocked: null });
    expect(promotionPlan(envs, undefined, 'Production', current, now).target).toBeNull();
  });

  it('follows the lifecycle, explains its rule and says how long the soak still holds', () => {
    const lifecycle = {
      project_id: 'p1',
      phases: [
        { position: 0, environment: 'Staging', soak_seconds: 0 },
        { position: 1, environment: 'Production', soak_seconds: 600 },
      ],
    };
    const plan = promotionPlan(envs, lifecycle, 'Staging', current, now);
    expect(plan.target).toBe('Production');
    expect(plan.rule).toBe('Lifecycle: a version enters Production only after it succeeded in Staging, at least 10 min after it succeeded there');
    expect(plan.blocked).toBe('Still soaking in Staging: 5 min left');
    expect(promotionPlan(envs, lifecycle, 'Staging', { completed_at: '2026-12-05T11:00:00Z' }, now).blocked).toBeNull();
    expect(promotionPlan(envs, lifecycle, 'Production', current, now)).toMatchObject({ target: null, rule: "Production is the last phase of the project's lifecycle" });
    expect(promotionPlan(envs, lifecycle, 'Development', current, now)).toMatchObject({ target: 'Staging', rule: "Development is outside the project's lifecycle" });
  });
});
