// The governance decision in words (GET /api/v1/executions/{id}/governance):
// one sentence per rule — what it checked, what it decided, who can unblock
// it and when the wait ends — and a headline for the whole decision. Times
// the server writes as ISO text are shown as local times. Pure.
import type { GovernanceExplanation, RuleOutcome } from '../governance/types';
import { whenText } from '../governance/whenText';
import { whoCanUnblock, whyWaiting, type WaitingExecution } from '../governance/whyWaiting';
import { formatAbsolute } from '../ui/format';

export type { GovernanceExplanation } from '../governance/types';
type GovernanceRule = Pick<RuleOutcome, 'rule' | 'result' | 'reason'> & Partial<Pick<RuleOutcome, 'unblock_by' | 'ends_at'>>;

const TITLES: Record<string, string> = {
  emergency_stop: 'Emergency stop',
  environment_exists: 'Environment',
  environment_locked: 'Environment lock',
  role_authorized: 'Role',
  ref_allowed: 'Branch or tag',
  freeze_window: 'Freeze window',
  approval_required: 'Approval',
  wait_timer: 'Wait timer',
  deploy_queue: 'Deploy queue',
  deploy_hold: 'Deploy hold',
  lifecycle: 'Promotion order',
};

const OUTCOME: Record<string, string> = {
  pass: 'passed',
  block: 'blocked',
  wait: 'waiting',
  needs_approval: 'waiting for approval',
  skipped: 'not checked',
};

export function ruleTitle(rule: string): string {
  return TITLES[rule] ?? rule.charAt(0).toUpperCase() + rule.slice(1).replace(/_/g, ' ');
}

const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;

export function humanizeTimes(text: string): string {
  return text.replace(ISO, (iso) => formatAbsolute(iso) || iso);
}

function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

export function ruleSentence(r: GovernanceRule, now = Date.now()): string {
  const parts = [`${ruleTitle(r.rule)} ${OUTCOME[r.result] ?? r.result.replace(/_/g, ' ')}: ${sentence(humanizeTimes(r.reason))}`];
  if (r.result !== 'pass' && r.result !== 'skipped') {
    if (r.unblock_by) parts.push(`Who can unblock it: ${whoCanUnblock(r.unblock_by)}.`);
    const until = whenText(r.ends_at, now);
    if (until) parts.push(`Ends at ${until}.`);
  }
  return parts.join(' ');
}

// The rules that hold or block the execution (empty when it was admitted).
export function holdingRules(e: GovernanceExplanation): GovernanceRule[] {
  return e.rules.filter((r) => r.result === 'block' || r.result === 'wait' || r.result === 'needs_approval');
}

// The decision in one line: the same "why waiting" words as the dashboard and
// the list (governance/whyWaiting) while held or blocked, else what passed.
export function headline(e: GovernanceExplanation, execution?: WaitingExecution, now = Date.now()): string {
  const why = execution ? whyWaiting(execution, { explanation: e, now }) : null;
  if (why) return why;
  const holding = holdingRules(e);
  if (e.note && e.rules.length === 0) return sentence(e.note);
  if (holding.length === 0) {
    const overridden = (e as { freeze_overridden?: boolean }).freeze_overridden ? ' (a freeze was overridden by an admin)' : '';
    return e.rules.length ? `Admitted: every rule passed${overridden}.` : 'No governance rules apply.';
  }
  const first = holding[0]!;
  const verb = first.result === 'block' ? 'Blocked' : first.result === 'needs_approval' ? 'Waiting for approval' : 'Waiting';
  return `${verb} — ${sentence(humanizeTimes(first.reason))}`;
}
