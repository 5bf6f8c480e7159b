// An environment's protection rules in words, one line each, in the order
// admission checks them (docs/governance.md): who may deploy, the
// approvals and their reviewers, self-approval, the wait timer, the
// allowed branches and tags, automatic deploys and the queue. Pure.
import type { Environment, Reviewer } from './types';
import { listWords, spanWords } from './words';

const ROLE_PLURAL: Record<string, string> = { viewer: 'viewers', operator: 'operators', admin: 'admins' };

export interface RuleLine {
  key: string;
  text: string;
}

function reviewerWords(reviewers: Reviewer[], userName: (id: string) => string): string {
  if (reviewers.length === 0) return 'any operator or admin';
  return listWords(reviewers.map((r) => (r.kind === 'role' ? (ROLE_PLURAL[r.id] ?? r.id) : userName(r.id))));
}

function deployerWords(required: string): string {
  if (required === 'admin') return 'Only admins can deploy';
  if (required === 'operator') return 'Operators and admins can deploy';
  return 'Anyone signed in can deploy';
}

export function ruleLines(env: Environment, userName: (id: string) => string = (id) => id): RuleLine[] {
  const lines: RuleLine[] = [{ key: 'role', text: deployerWords(env.required_role) }];
  if (env.requires_approval) {
    const n = env.required_approvals;
    lines.push({
      key: 'approvals',
      text: `${n} approval${n === 1 ? '' : 's'} from ${reviewerWords(env.reviewers, userName)}, valid for ${spanWords(env.approval_expiry_seconds)}`,
    });
    lines.push({
      key: 'self_approval',
      text: env.prevent_self_approval
        ? 'Whoever started the run or pushed the commit cannot approve it'
        : 'Whoever started the run may approve it too',
    });
  } else {
    lines.push({ key: 'approvals', text: 'No approval needed' });
  }
  if (env.wait_timer_seconds > 0) {
    const after = env.requires_approval ? 'after the approval' : 'after it is requested';
    lines.push({ key: 'wait_timer', text: `Waits ${spanWords(env.wait_timer_seconds)} ${after} before it deploys` });
  }
  if (env.restrict_refs) {
    const b = env.allowed_branches.length ? `branches ${env.allowed_branches.join(', ')}` : 'no branch';
    const t = env.allowed_tags.length ? `tags ${env.allowed_tags.join(', ')}` : 'no tag';
    lines.push({ key: 'refs', text: `Only ${b}; ${t}` });
  } else {
    lines.push({ key: 'refs', text: 'Any branch or tag' });
  }
  if (!env.auto_deploy) lines.push({ key: 'auto_deploy', text: 'Pushes do not deploy on their own: each needs a manual go' });
  lines.push({
    key: 'queue',
    text:
      env.queue_mode === 'newest_ready_first'
        ? 'One deployment at a time; the newest ready run goes next and supersedes older ones'
        : 'One deployment at a time, oldest first',
  });
  return lines;
}
