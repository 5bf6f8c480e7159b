// Who may do what on the environments page, in words (000 §7.2 and
// docs/api.md): each check answers null when allowed, else the reason shown
// on the disabled control. The server stays the judge; these only explain
// ahead of time what it would refuse. Pure.
import type { Environment } from './types';

const RANK: Record<string, number> = { viewer: 0, operator: 1, admin: 2 };

export function roleRank(role: string | null | undefined): number {
  return RANK[role ?? ''] ?? -1;
}

const PLURAL: Record<string, string> = { viewer: 'everyone', operator: 'operators and admins', admin: 'admins' };

// "Only admins can deploy to Production (it requires the admin role)".
function requiredRoleReason(action: string, envName: string, required: string): string {
  return `Only ${PLURAL[required] ?? required + 's'} can ${action} ${envName} (it requires the ${required} role)`;
}

// The role that may lock or unlock: the lock row's, else admin for
// admin-only environments and operator for the others.
export function lockRole(env: Pick<Environment, 'lock_role' | 'required_role'>): string {
  return env.lock_role ?? (env.required_role === 'admin' ? 'admin' : 'operator');
}

export function lockRefusal(env: Environment, role: string): string | null {
  const verb = env.is_locked ? 'unlock' : 'lock';
  if (roleRank(role) < RANK.operator!) return `Viewers cannot ${verb} environments`;
  const needed = lockRole(env);
  if (roleRank(role) < roleRank(needed)) return requiredRoleReason(verb, env.name, needed);
  return null;
}

// Rollback, promotion, hold release, canary control: operators and admins,
// and at least the environment's required role. `action` is a verb phrase
// the environment's name completes ("roll back", "release the hold on").
export function deployRefusal(envName: string, requiredRole: string, role: string, action: string): string | null {
  if (roleRank(role) < RANK.operator!) return `Viewers cannot ${action} ${envName}`;
  if (roleRank(role) < roleRank(requiredRole)) return requiredRoleReason(action, envName, requiredRole);
  return null;
}

export function emergencyStopRefusal(role: string): string | null {
  return role === 'admin' ? null : 'Only admins can turn the emergency stop on or off';
}
