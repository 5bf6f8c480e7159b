// The inbox's words (UI.md: names, not ids; sentences, not enum names). Pure.
import { ApiError } from '../api/client';
import { errorText } from '../ui/ErrorState';
import { shortSha } from '../ui/format';
import type { BulkOutcome } from './bulk';
import type { ApprovalChanges, ApprovalItem, ApprovalVoteItem } from './types';

// A server reason ("the user who started the execution may not approve it")
// as a sentence.
export function asSentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

export function voterName(v: Pick<ApprovalVoteItem, 'user_id' | 'email' | 'full_name'>, me?: string): string {
  if (me && v.user_id === me) return 'you';
  return v.full_name || v.email || `user ${v.user_id.slice(0, 8)}`;
}

// Who asked: "you", a name when the server gives one, "octocat (GitHub)" for
// an external actor, else the short id.
export function requesterText(item: Pick<ApprovalItem, 'requested_by' | 'requested_by_name'>, me?: string): string {
  const by = item.requested_by;
  if (!by) return 'the system';
  if (me && by === me) return 'you';
  if (item.requested_by_name) return item.requested_by_name;
  const ext = /^(github|cli|gitlab):(.+)$/.exec(by);
  if (ext) return `${ext[2]} (${ext[1] === 'github' ? 'GitHub' : ext[1] === 'gitlab' ? 'GitLab' : 'CLI'})`;
  if (!by.includes(':') && by.length > 12) return `user ${by.slice(0, 8)}`;
  return by;
}

// "1 of 2 approvals"
export function progressText(item: Pick<ApprovalItem, 'approvals' | 'required_approvals'>): string {
  const n = item.required_approvals;
  return `${item.approvals} of ${n} ${n === 1 ? 'approval' : 'approvals'}`;
}

// "Approved by Ana and Bob; rejected by Carl" / "No votes yet"
export function votesText(votes: readonly ApprovalVoteItem[], me?: string): string {
  const list = (names: string[]) => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);
  const yes = votes.filter((v) => v.vote).map((v) => voterName(v, me));
  const no = votes.filter((v) => !v.vote).map((v) => voterName(v, me));
  const parts: string[] = [];
  if (yes.length) parts.push(`approved by ${list(yes)}`);
  if (no.length) parts.push(`rejected by ${list(no)}`);
  return parts.length ? asSentence(parts.join('; ')).replace(/\.$/, '') : 'No votes yet';
}

// "Waiting for 1 more approval — 1 of 2 given by Ana"
export function waitingText(item: Pick<ApprovalItem, 'approvals' | 'required_approvals' | 'votes'>, me?: string): string {
  const missing = Math.max(0, item.required_approvals - item.approvals);
  if (missing === 0) return 'Enough approvals given';
  let text = `Waiting for ${missing} more ${missing === 1 ? 'approval' : 'approvals'}`;
  const yes = item.votes.filter((v) => v.vote).map((v) => voterName(v, me));
  if (yes.length) text += ` — ${item.approvals} of ${item.required_approvals} given by ${yes.join(', ')}`;
  return text;
}

// "Operators and admins may approve, not the one who started it" /
// "Only ana@x.io or admins may approve"
export function whoMayApproveText(item: Pick<ApprovalItem, 'reviewers' | 'prevent_self_approval'>, me?: string): string {
  const reviewers = item.reviewers ?? [];
  const self = item.prevent_self_approval ? ', not the one who started it' : '';
  if (reviewers.length === 0) return `Operators and admins may approve${self}`;
  const names = reviewers.map((r) => {
    if (r.kind === 'role') return r.id === 'admin' ? 'admins' : r.id === 'operator' ? 'operators and admins' : `${r.id}s`;
    if (me && r.id === me) return 'you';
    return r.full_name || r.email || `user ${r.id.slice(0, 8)}`;
  });
  return `Only ${names.join(' or ')} may approve${self}`;
}

function versionOf(version: string | null | undefined, sha: string | null | undefined): string {
  if (version && sha) return `${version} (${shortSha(sha)})`;
  if (!version && !sha) return 'a build that names no version or commit';
  return version || shortSha(sha);
}

// "Production will run v1.4.2 (a1b2c3d) instead of v1.4.1 (e5f6a7b)"
export function versionChangeText(c: ApprovalChanges): string {
  const target = versionOf(c.target.version, c.target.commit_sha);
  if (!c.current) return `${c.environment} will run ${target}: its first deployment`;
  if (c.current.commit_sha && c.current.commit_sha === c.target.commit_sha) return `${c.environment} already runs ${target}: a redeploy`;
  return `${c.environment} will run ${target} instead of ${versionOf(c.current.version, c.current.commit_sha)}`;
}

// Why one vote failed, for the bulk report: "Refused (403): the user who started …"
export function failureText(error: unknown): string {
  if (error instanceof ApiError) {
    const what = error.status === 403 ? 'Not allowed' : error.status === 409 ? 'Conflict' : error.status === 422 ? 'Invalid' : 'Failed';
    return `${what} (${error.status}): ${errorText(error)}`;
  }
  return errorText(error);
}

// "2 approved, 1 failed"
export function bulkSummaryText(outcomes: readonly BulkOutcome[]): string {
  const ok = outcomes.filter((o) => o.ok).length;
  const failed = outcomes.length - ok;
  if (failed === 0) return `${ok} approved`;
  if (ok === 0) return `${failed} failed`;
  return `${ok} approved, ${failed} failed`;
}

// The request's title, else its execution's name, else the execution's short id.
export function executionLabel(item: Pick<ApprovalItem, 'title' | 'execution_id'>, executionName?: string): string {
  return item.title || executionName || `Execution ${item.execution_id.slice(0, 8)}`;
}
