import { describe, expect, it } from 'vitest';
import { executionActions } from './actions';
import type { GovernanceExplanation } from '../governance/types';
import { headline, holdingRules, humanizeTimes, ruleSentence, ruleTitle } from './governanceText';

describe('executionActions', () => {
  it('viewers see every action disabled with the reason', () => {
    const a = executionActions('running', 'viewer', 0);
    expect(a.cancel).toEqual({ enabled: false, reason: expect.stringContaining('operator or admin') });
    expect(a.forceFail).toEqual({ enabled: false, reason: expect.stringContaining('viewer') });
    expect(executionActions('failed', 'viewer', 1).rerunFailed.reason).toContain('viewer');
  });
  it('operators cancel and force-fail idle, running and paused executions', () => {
    for (const status of ['idle', 'running', 'paused']) {
      const a = executionActions(status, 'operator', 0);
      expect(a.cancel).toEqual({ enabled: true });
      expect(a.forceFail).toEqual({ enabled: true });
    }
    const running = executionActions('running', 'operator', 0);
    expect(running.rerunFailed).toEqual({ enabled: false, reason: 'A rerun is possible once the execution has finished' });
  });
  it('nobody cancels or force-fails a finished execution: the reason says it finished', () => {
    for (const status of ['success', 'warning', 'failed', 'cancelled']) {
      for (const role of ['admin', 'viewer']) {
        const a = executionActions(status, role, 0);
        expect(a.cancel).toEqual({ enabled: false, reason: 'The execution already finished' });
        expect(a.forceFail).toEqual({ enabled: false, reason: 'The execution already finished' });
      }
    }
    const done = executionActions('success', 'admin', 0);
    expect(done.rerunFailed.reason).toBe('Nothing failed: there is nothing to rerun');
    expect(done.rerunCheckpoint.enabled).toBe(true);
  });
  it('a failed execution can be rerun from its failures', () => {
    expect(executionActions('failed', 'admin', 1).rerunFailed.enabled).toBe(true);
  });
});

describe('governance in words', () => {
  const held: GovernanceExplanation = {
    status: 'pending_approval',
    rules: [
      { rule: 'emergency_stop', result: 'pass', reason: 'no emergency stop is active', unblock_by: '', ends_at: null },
      { rule: 'approval_required', result: 'needs_approval', reason: '1 of 2 approvals so far; expires at 2026-12-05T10:00:00Z', unblock_by: 'operator or admin', ends_at: null },
      { rule: 'wait_timer', result: 'skipped', reason: 'the wait timer starts when the approval is complete', unblock_by: '', ends_at: null },
    ],
  };
  it('titles rules and says each outcome as a sentence', () => {
    expect(ruleTitle('environment_locked')).toBe('Environment lock');
    expect(ruleTitle('something_new')).toBe('Something new');
    expect(ruleSentence(held.rules[0]!)).toBe('Emergency stop passed: No emergency stop is active.');
    const s = ruleSentence(held.rules[1]!);
    expect(s).toMatch(/^Approval waiting for approval: 1 of 2 approvals so far; expires at .+\. Who can unblock it: operators or admins\.$/);
    expect(s).not.toContain('2026-12-05T10:00:00Z');
    expect(ruleSentence(held.rules[2]!)).toBe('Wait timer not checked: The wait timer starts when the approval is complete.');
  });
  it('says when a wait ends', () => {
    const now = Date.parse('2026-12-05T09:50:00Z');
    expect(ruleSentence({ rule: 'freeze_window', result: 'wait', reason: 'freeze "release"', unblock_by: 'admin', ends_at: '2026-12-05T10:00:00Z' }, now)).toBe(
      'Freeze window waiting: Freeze "release". Who can unblock it: admins. Ends at 10:00 UTC.',
    );
  });
  it('headlines the decision', () => {
    expect(holdingRules(held).map((r) => r.rule)).toEqual(['approval_required']);
    expect(headline(held)).toMatch(/^Waiting for approval — 1 of 2 approvals so far/);
    expect(headline({ status: 'allowed', rules: [held.rules[0]!] })).toBe('Admitted: every rule passed.');
    expect(headline({ status: null, rules: [], note: 'this execution was not admitted through governance rules' })).toBe(
      'This execution was not admitted through governance rules.',
    );
    expect(headline({ status: 'blocked', rules: [{ rule: 'environment_locked', result: 'block', reason: 'Environment Staging is locked: incident 42', unblock_by: '', ends_at: null }] })).toBe(
      'Blocked — Environment Staging is locked: incident 42.',
    );
  });
  it('uses the shared why-waiting words for a held execution', () => {
    expect(headline(held, { status: 'paused', governance_status: 'pending_approval' })).toMatch(/^Waiting for 1 more approval \(operators or admins\)/);
  });
  it('rewrites ISO times only', () => {
    expect(humanizeTimes('no time here')).toBe('no time here');
    expect(humanizeTimes('at 2026-01-01T00:00:00.000Z')).not.toContain('T00:00');
  });
});
