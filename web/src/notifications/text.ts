// A notification in words and where it leads (UI.md: sentences, never raw
// enum names or ids). Known types get their own sentence; any other (the
// notify-event function takes any type) its payload's message or its type in
// words. Pure.
import { shortSha } from '../ui/format';
import type { NotificationItem } from './types';

type Payload = Record<string, unknown>;

function str(p: Payload, key: string): string {
  const v = p[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function typeWords(type: string): string {
  const w = type.replace(/[_.-]+/g, ' ').trim();
  return w ? w.charAt(0).toUpperCase() + w.slice(1) : 'Notification';
}

function withReason(text: string, reason: string): string {
  return reason ? `${text}: ${reason}` : text;
}

export function notificationTitle(n: Pick<NotificationItem, 'type' | 'payload'>): string {
  const p: Payload = n.payload ?? {};
  const env = str(p, 'environment');
  const name = str(p, 'name') || 'An execution';
  const to = env ? ` to ${env}` : '';
  switch (n.type) {
    case 'approval_requested': {
      const sha = str(p, 'commit_sha');
      return `Approval needed: deploy${to}${sha ? ` (commit ${shortSha(sha)})` : ''}`;
    }
    case 'approval_decided': {
      const status = str(p, 'status');
      if (status === 'approved') return `Deploy${to} approved`;
      if (status === 'rejected') return `Deploy${to} rejected`;
      if (status === 'expired') return `The approval for the deploy${to} expired`;
      return `The approval for the deploy${to} was decided${status ? `: ${status}` : ''}`;
    }
    case 'execution_finished': {
      const status = str(p, 'status');
      if (status === 'cancelled') return withReason(`${name} was cancelled`, str(p, 'reason'));
      if (status === 'warning') return `${name} succeeded with warnings`;
      return `${name} succeeded`;
    }
    case 'execution_failed':
      return withReason(`${name} failed`, str(p, 'reason'));
    case 'execution_blocked':
      return withReason(`${name} was blocked`, str(p, 'reason'));
    case 'deployment_complete':
      return `${name} deployed${to}`;
    case 'advisory_opened': {
      const severity = str(p, 'severity');
      const what = str(p, 'title') || typeWords(str(p, 'rule')) || 'A rule';
      const lead = severity ? `${severity.charAt(0).toUpperCase()}${severity.slice(1)} advisory` : 'Advisory';
      return withReason(`${lead}: ${what}`, str(p, 'message'));
    }
    case 'advisory_resolved':
      return `Advisory resolved: ${str(p, 'title') || typeWords(str(p, 'rule'))}`;
    default:
      return str(p, 'message') || str(p, 'text') || str(p, 'title') || typeWords(n.type);
  }
}

// The page a notification is about, or null: an approval waiting for you
// opens in the inbox; anything naming an execution opens it; a deployment its
// page; an advisory the dashboard of its project (its Advisories section).
export function notificationLink(n: Pick<NotificationItem, 'type' | 'payload'>): string | null {
  const p: Payload = n.payload ?? {};
  const advisoryProject = str(p, 'project_id');
  if (n.type.startsWith('advisory_') && advisoryProject) return `/?project=${encodeURIComponent(advisoryProject)}`;
  const approval = str(p, 'approval_request_id');
  if (n.type === 'approval_requested' && approval) return `/approvals?approval=${encodeURIComponent(approval)}`;
  const execution = str(p, 'execution_id');
  if (execution) return `/executions/${encodeURIComponent(execution)}`;
  const deployment = str(p, 'deployment_id');
  if (deployment) return `/deployments/${encodeURIComponent(deployment)}`;
  if (approval) return `/approvals?approval=${encodeURIComponent(approval)}`;
  return null;
}

// "3" / "99+" for the badge; "" for none.
export function countText(unread: number, more: boolean): string {
  if (unread <= 0) return '';
  return more || unread > 99 ? '99+' : String(unread);
}
