import { describe, expect, it } from 'vitest';
import type { GovernanceExplanation, RuleOutcome } from './types';
import { whenText } from './whenText';
import { whoCanUnblock, whyWaiting } from './whyWaiting';

const now = Date.parse('2026-12-05T12:00:00Z'); // a Saturday

function rule(r: Partial<RuleOutcome> & { rule: string }): RuleOutcome {
  return { result: 'pass', reason: '', unblock_by: '', ends_at: null, ...r };
}

function held(status: string, rules: RuleOutcome[]) {
  const governance: GovernanceExplanation = { status, rules };
  return { status: 'paused', governance_status: status, blocked_reason: null, environment: 'Production', metadata: { governance } };
}

describe('whyWaiting for executions', () => {
  it('counts the approvals still missing and says who may give them', () => {
    const e = held('pending_approval', [
      rule({ rule: 'environment_locked', reason: 'Environment Production is unlocked' }),
      rule({
        rule: 'approval_required',
        result: 'needs_approval',
        reason: 'Environment Production needs 1 approval of commit abc',
        unblock_by: 'operator or admin',
      }),
    ]);
    expect(whyWaiting(e, { now })).toBe('Waiting for 1 more approval (operators or admins)');
  });

  it('says how many were given and by whom when the request is loaded', () => {
    const e = held('pending_approval', [
      rule({ rule: 'approval_required', result: 'needs_approval', reason: '1 of 2 approvals so far; expires at …', unblock_by: 'operator or admin' }),
    ]);
    const approvals = [
      {
        id: 'a1',
        execution_id: 'e1',
        node_id: null,
        environment: 'Production',
        status: 'pending',
        required_approvals: 2,
        approvals: 1,
        votes: [{ user_id: 'u-ana', vote: true }],
        expires_at: null,
      },
    ];
    expect(whyWaiting(e, { now, approvals, userName: (id) => (id === 'u-ana' ? 'Ana' : id) })).toBe(
      'Waiting for 1 more approval (operators or admins) — 1 of 2 given by Ana',
    );
    // Without the request, the counts come from the rule's words.
    expect(whyWaiting(e, { now })).toBe('Waiting for 1 more approval (operators or admins) — 1 of 2 given');
  });

  it('names a lock, who can lift it, and prefers a block over a wait', () => {
    const e = held('blocked', [
      rule({ rule: 'emergency_stop', result: 'wait', reason: 'Emergency stop by bob since …: db migration', unblock_by: 'admin' }),
      rule({ rule: 'environment_locked', result: 'block', reason: 'Environment Production is locked: incident 42', unblock_by: 'admin' }),
    ]);
    expect(whyWaiting(e, { now })).toBe('Blocked: Production is locked: incident 42 — admins can unlock it, or wait');
  });

  it('says until when a freeze holds it, and why', () => {
    const e = held('waiting', [
      rule({
        rule: 'freeze_window',
        result: 'wait',
        reason: 'Frozen by window w1 (release freeze) until 2026-12-07T09:00:00Z',
        unblock_by: 'admin (override with a reason)',
        ends_at: '2026-12-07T09:00:00.000Z',
      }),
    ]);
    expect(whyWaiting(e, { now })).toBe('Frozen until Mon 09:00 UTC (release freeze) — admins (override with a reason) can override');
  });

  it('explains the wait timer, the deploy queue and unknown rules in words', () => {
    expect(
      whyWaiting(held('waiting', [rule({ rule: 'wait_timer', result: 'wait', reason: 'wait timer of 600 s runs until …', ends_at: '2026-12-05T12:10:00Z' })]), { now }),
    ).toBe('Wait timer until 12:10 UTC');
    expect(
      whyWaiting(held('waiting', [rule({ rule: 'deploy_queue', result: 'wait', reason: 'waits behind e7 (running; position 1 in the queue)' })]), { now }),
    ).toBe('Queued: waits behind e7 (running; position 1 in the queue)');
    expect(
      whyWaiting(held('waiting', [rule({ rule: 'lifecycle', result: 'wait', reason: 'soak time runs', unblock_by: 'admin', ends_at: '2026-12-05T13:00:00Z' })]), { now }),
    ).toBe('Waiting: soak time runs until 13:00 UTC — admins can unblock it');
  });

  it('falls back to the blocked reason a trigger got, and says nothing for a running execution', () => {
    const failed = { status: 'failed', governance_status: 'blocked', blocked_reason: 'branch feature/x may not deploy to Production' };
    expect(whyWaiting(failed, { now })).toBe('Blocked: branch feature/x may not deploy to Production');
    expect(whyWaiting({ status: 'running', governance_status: 'allowed', blocked_reason: null }, { now })).toBeNull();
    expect(whyWaiting({ status: 'success', governance_status: null }, { now })).toBeNull();
    expect(whyWaiting({ status: 'paused', governance_status: 'pending_approval' }, { now })).toBe('Waiting for approval');
  });

  it('prefers a fresher explanation from the governance endpoint', () => {
    const e = held('waiting', [rule({ rule: 'wait_timer', result: 'wait', reason: '', ends_at: '2026-12-05T12:10:00Z' })]);
    const explanation = { status: 'waiting', rules: [rule({ rule: 'deploy_queue', result: 'wait', reason: 'waits behind e9' })] };
    expect(whyWaiting(e, { now, explanation })).toBe('Queued: waits behind e9');
  });
});

describe('whyWaiting for nodes', () => {
  it('says an approval gate waits, and when a retry runs', () => {
    expect(whyWaiting({ node_id: 'gate', status: 'waiting' }, { now })).toBe('Waiting for approval');
    expect(
      whyWaiting({ node_id: 'build', status: 'queued', attempt: 1, max_attempts: 3, next_attempt_at: '2026-12-05T12:00:30Z' }, { now }),
    ).toBe('Retrying at 12:00 UTC (attempt 2 of 3)');
    expect(whyWaiting({ node_id: 'build', status: 'running' }, { now })).toBeNull();
  });
});

describe('words', () => {
  it('writes roles in the plural and times in UTC with the day when not today', () => {
    expect(whoCanUnblock('operator or admin')).toBe('operators or admins');
    expect(whoCanUnblock('user u1, role admin')).toBe('user u1, role admin');
    expect(whoCanUnblock('admin')).toBe('admins');
    expect(whenText('2026-12-05T18:30:00Z', now)).toBe('18:30 UTC');
    expect(whenText('2026-12-07T09:00:00Z', now)).toBe('Mon 09:00 UTC');
    expect(whenText('2027-01-20T09:00:00Z', now)).toBe('Wed 20 Jan 09:00 UTC');
    expect(whenText(null, now)).toBeNull();
  });
});
