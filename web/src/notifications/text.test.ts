import { describe, expect, it } from 'vitest';
import { countText, notificationLink, notificationTitle } from './text';

const n = (type: string, payload: Record<string, unknown> | null) => ({ type, payload });

describe('notification words', () => {
  it('says what each known notification is about', () => {
    expect(notificationTitle(n('approval_requested', { environment: 'Production', commit_sha: 'a1b2c3d4e5f6' }))).toBe('Approval needed: deploy to Production (commit a1b2c3d)');
    expect(notificationTitle(n('approval_decided', { environment: 'Production', status: 'approved' }))).toBe('Deploy to Production approved');
    expect(notificationTitle(n('approval_decided', { environment: 'Production', status: 'rejected' }))).toBe('Deploy to Production rejected');
    expect(notificationTitle(n('approval_decided', { environment: 'Staging', status: 'expired' }))).toBe('The approval for the deploy to Staging expired');
    expect(notificationTitle(n('execution_failed', { name: 'web', reason: 'test failed' }))).toBe('web failed: test failed');
    expect(notificationTitle(n('execution_finished', { name: 'web', status: 'success' }))).toBe('web succeeded');
    expect(notificationTitle(n('execution_finished', { name: 'web', status: 'cancelled', reason: 'wrong branch' }))).toBe('web was cancelled: wrong branch');
    expect(notificationTitle(n('execution_blocked', { name: 'web', reason: 'Production is locked' }))).toBe('web was blocked: Production is locked');
    expect(notificationTitle(n('deployment_complete', { name: 'web', environment: 'Staging' }))).toBe('web deployed to Staging');
  });

  it('falls back to the message, then to the type in words, never raw', () => {
    expect(notificationTitle(n('custom.event', { message: 'Cache warmed' }))).toBe('Cache warmed');
    expect(notificationTitle(n('backup_done', null))).toBe('Backup done');
  });

  it('links to what it is about', () => {
    expect(notificationLink(n('approval_requested', { approval_request_id: 'a 1', execution_id: 'e1' }))).toBe('/approvals?approval=a%201');
    expect(notificationLink(n('approval_decided', { approval_request_id: 'a1', execution_id: 'e1' }))).toBe('/executions/e1');
    expect(notificationLink(n('rollback', { deployment_id: 'd1' }))).toBe('/deployments/d1');
    expect(notificationLink(n('custom', { message: 'x' }))).toBeNull();
  });

  it('says which advisory opened or resolved, with its severity and message', () => {
    const payload = { advisory_id: 'a1', project_id: 'p 1', rule: 'http_5xx_rate', severity: 'critical', title: 'HTTP 5xx above 5%', message: '5xx at 12% over 5 min', observed: 12, threshold: 5 };
    expect(notificationTitle(n('advisory_opened', payload))).toBe('Critical advisory: HTTP 5xx above 5%: 5xx at 12% over 5 min');
    expect(notificationTitle(n('advisory_opened', { rule: 'pod_restarts', severity: 'warning' }))).toBe('Warning advisory: Pod restarts');
    expect(notificationTitle(n('advisory_resolved', payload))).toBe('Advisory resolved: HTTP 5xx above 5%');
    expect(notificationTitle(n('advisory_resolved', { rule: 'error_rate' }))).toBe('Advisory resolved: Error rate');
    expect(notificationLink(n('advisory_opened', payload))).toBe('/?project=p%201');
    expect(notificationLink(n('advisory_resolved', payload))).toBe('/?project=p%201');
    expect(notificationLink(n('advisory_opened', {}))).toBeNull();
  });

  it('caps the count at 99+', () => {
    expect(countText(0, false)).toBe('');
    expect(countText(3, false)).toBe('3');
    expect(countText(100, false)).toBe('99+');
    expect(countText(100, true)).toBe('99+');
  });
});
