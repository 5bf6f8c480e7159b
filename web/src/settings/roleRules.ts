// Who may change whose role (the server's rule, said before asking it): only
// admins change roles, and an admin cannot demote themselves (another admin
// must), so there is always an admin left. Pure.
import type { UserRole } from './users';

export interface RoleChangeInput {
  actorId: string;
  actorRole: string;
  targetId: string;
  targetRole: string;
}

// Why the role select for this user is disabled, or null when it is not.
export function roleSelectBlock({ actorId, actorRole, targetId }: RoleChangeInput): string | null {
  if (actorRole !== 'admin') return 'Only admins change roles.';
  if (actorId === targetId) return 'You cannot change your own role: another admin must (there is always an admin left).';
  return null;
}

// Why changing to `next` is refused, or null when it may go to the server.
export function roleChangeBlock(input: RoleChangeInput, next: UserRole): string | null {
  const block = roleSelectBlock(input);
  if (block) return block;
  if (next === input.targetRole) return 'That is already their role.';
  return null;
}

// What the change means, said in the confirmation line.
export function roleChangeSummary(email: string, from: string, to: UserRole): string {
  const rank: Record<string, number> = { viewer: 0, operator: 1, admin: 2 };
  const verb = (rank[to] ?? 0) > (rank[from] ?? 0) ? 'promoted' : 'demoted';
  return `${email} ${verb} from ${from} to ${to}.`;
}
