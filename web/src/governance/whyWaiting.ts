// whyWaiting(item, context) → one line in words saying why an execution or a
// node waits or is blocked — the rule, who can unblock it, when it ends —
// or null when it is neither (UI.md: the same words on dashboard tiles, list
// rows and the execution page). Built from what the API gives: the
// execution's governance_status and blocked_reason, its metadata.governance
// explanation (or a fresher one from GET /executions/{id}/governance), the
// approval requests, a node's status and retry time. Pure.
import type { ApprovalRequest, GovernanceExplanation, RuleOutcome } from './types';
import { whenText } from './whenText';

export interface WaitingExecution {
  status: string;
  governance_status?: string | null;
  blocked_reason?: string | null;
  environment?: string | null;
  metadata?: Record<string, unknown> | null;
}

export interface WaitingNode {
  node_id: string;
  status: string;
  attempt?: number;
  max_attempts?: number;
  next_attempt_at?: string | null;
}

export interface WhyContext {
  now?: number;
  explanation?: GovernanceExplanation | null; // overrides metadata.governance
  approvals?: ApprovalRequest[]; // the execution's requests, if loaded
  userName?: (userId: string) => string; // a voter's name (default: the id)
}

const HOLDING = new Set(['block', 'wait', 'needs_approval']);

// A leading role list in the plural: "operator or admin" → "operators or
// admins", "admin (override with a reason)" → "admins (override …)"; lists
// of named users ("user u1, role admin") stay as they are.
export function whoCanUnblock(unblockBy: string): string {
  const m = /^((?:operator|admin|viewer)(?: or (?:operator|admin|viewer))*)(?![\w,])(.*)$/.exec(unblockBy);
  if (!m) return unblockBy;
  return m[1]!.replace(/(operator|admin|viewer)/g, '$1s') + m[2];
}

function isNode(item: WaitingExecution | WaitingNode): item is WaitingNode {
  return 'node_id' in item;
}

function explanationOf(e: WaitingExecution, ctx: WhyContext): GovernanceExplanation | null {
  if (ctx.explanation) return ctx.explanation;
  const g = e.metadata?.governance;
  if (g && typeof g === 'object' && Array.isArray((g as GovernanceExplanation).rules)) return g as GovernanceExplanation;
  return null;
}

function voters(req: ApprovalRequest, ctx: WhyContext): string {
  const name = ctx.userName ?? ((id: string) => id);
  return req.votes
    .filter((v) => v.vote)
    .map((v) => name(v.user_id))
    .join(', ');
}

function approvalLine(required: number, given: number, who: string, ctx: WhyContext, req?: ApprovalRequest): string {
  const missing = Math.max(1, required - given);
  let text = `Waiting for ${missing} more ${missing === 1 ? 'approval' : 'approvals'}`;
  if (who) text += ` (${whoCanUnblock(who)})`;
  if (given > 0) {
    const by = req ? voters(req, ctx) : '';
    text += ` — ${given} of ${required} given${by ? ` by ${by}` : ''}`;
  }
  return text;
}

// "1 of 2 approvals so far; ..." or "... needs 2 approvals of commit ..."
function approvalCounts(reason: string): { required: number; given: number } {
  const sofar = /(\d+) of (\d+) approvals? so far/.exec(reason);
  if (sofar) return { given: Number(sofar[1]), required: Number(sofar[2]) };
  const needs = /needs (\d+) approvals?/.exec(reason);
  return { given: 0, required: needs ? Number(needs[1]) : 1 };
}

function pendingRequest(ctx: WhyContext, nodeId?: string): ApprovalRequest | undefined {
  return ctx.approvals?.find((a) => a.status === 'pending' && (nodeId === undefined || a.node_id === nodeId));
}

function ruleLine(r: RuleOutcome, ctx: WhyContext): string {
  const now = ctx.now ?? Date.now();
  const until = whenText(r.ends_at, now);
  const who = r.unblock_by ? whoCanUnblock(r.unblock_by) : '';
  switch (r.rule) {
    case 'approval_required': {
      if (r.result !== 'needs_approval') return `Blocked: ${r.reason}`;
      const req = pendingRequest(ctx, undefined);
      const c = req ? { required: req.required_approvals, given: req.approvals } : approvalCounts(r.reason);
      return approvalLine(c.required, c.given, r.unblock_by, ctx, req);
    }
    case 'environment_locked':
      return `Blocked: ${r.reason.replace(/^Environment /, '')} — ${who ? `${who} can unlock it` : 'unlock'}, or wait`;
    case 'freeze_window': {
      const why = /\(([^)]*)\)/.exec(r.reason)?.[1];
      return `Frozen${until ? ` until ${until}` : ''}${why ? ` (${why})` : ''}${who ? ` — ${who} can override` : ''}`;
    }
    case 'wait_timer':
      return `Wait timer${until ? ` until ${until}` : ' running'}${who ? ` — ${who} can cancel it` : ''}`;
    case 'emergency_stop':
      return `Emergency stop is on — ${r.reason.replace(/^Emergency stop /, '')}${who ? ` (${who} can lift it)` : ''}`;
    case 'deploy_queue':
      return r.result === 'block' ? `Superseded: ${r.reason}` : `Queued: ${r.reason}`;
    default: {
      const head = r.result === 'block' ? 'Blocked' : 'Waiting';
      return `${head}: ${r.reason}${until && !r.reason.includes('until') ? ` until ${until}` : ''}${who ? ` — ${who} can unblock it` : ''}`;
    }
  }
}

function nodeLine(n: WaitingNode, ctx: WhyContext): string | null {
  const now = ctx.now ?? Date.now();
  if (n.status === 'waiting') {
    const req = pendingRequest(ctx, n.node_id);
    if (req) return approvalLine(req.required_approvals, req.approvals, '', ctx, req);
    return 'Waiting for approval';
  }
  if ((n.status === 'queued' || n.status === 'pending') && n.next_attempt_at) {
    const at = whenText(n.next_attempt_at, now);
    const attempt = n.attempt && n.max_attempts ? ` (attempt ${n.attempt + 1} of ${n.max_attempts})` : '';
    return `Retrying${at ? ` at ${at}` : ' soon'}${attempt}`;
  }
  return null;
}

export function whyWaiting(item: WaitingExecution | WaitingNode, ctx: WhyContext = {}): string | null {
  if (isNode(item)) return nodeLine(item, ctx);
  const gov = item.governance_status ?? null;
  const held = gov === 'pending_approval' || gov === 'waiting';
  const blocked = gov === 'blocked' || (item.status === 'failed' && Boolean(item.blocked_reason));
  if (!held && !blocked) {
    if (item.status === 'paused') return 'Paused at a gate';
    return null;
  }
  if (blocked && item.blocked_reason && !explanationOf(item, ctx)) return `Blocked: ${item.blocked_reason}`;
  const explanation = explanationOf(item, ctx);
  const holding = explanation?.rules.filter((r) => HOLDING.has(r.result)) ?? [];
  // A block wins over waits; among waits, the first in the seeds' rule order.
  const first = holding.find((r) => r.result === 'block') ?? holding[0];
  if (first) return ruleLine(first, ctx);
  if (item.blocked_reason) return `Blocked: ${item.blocked_reason}`;
  if (gov === 'pending_approval') {
    const req = pendingRequest(ctx);
    return req ? approvalLine(req.required_approvals, req.approvals, '', ctx, req) : 'Waiting for approval';
  }
  return `Waiting for governance${item.environment ? ` to admit it to ${item.environment}` : ''}`;
}
