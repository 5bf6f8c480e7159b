// Whether the signed-in user may vote on a request, and if not, why. The
// server's can_vote / cannot_vote_reason decide when present; an older server
// leaves them out, and then the rules the server applies (governance
// check_voter) that the client can see are checked here, in the server's
// words: role, a decided request, a vote already given, self-approval. Pure.
import type { SessionUser } from '../auth/session';
import { asSentence } from './text';
import type { ApprovalItem } from './types';

export function voteBlockReason(item: ApprovalItem, user: Pick<SessionUser, 'id' | 'role'> | null | undefined): string | null {
  if (item.can_vote === true) return null;
  if (item.can_vote === false) return asSentence(item.cannot_vote_reason || 'You may not vote on this request');
  if (!user) return 'Sign in to vote';
  if (user.role !== 'operator' && user.role !== 'admin') return `Only operators and admins can approve (you are a ${user.role}).`;
  if (item.status !== 'pending') return asSentence(`the approval request is ${item.status}`);
  if (item.votes.some((v) => v.user_id === user.id)) return 'You already voted on this request.';
  if (item.prevent_self_approval && item.requested_by === user.id) return `You started this execution: self-approval is not allowed in ${item.environment}.`;
  return null;
}
