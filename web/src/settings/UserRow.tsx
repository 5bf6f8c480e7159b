// One user: who, their role as a select (changes at once; your own is
// disabled with the reason), since when.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { RelativeTime } from '../ui/RelativeTime';
import { inputClass } from './Field';
import { FormError } from './FormError';
import { roleChangeBlock, roleChangeSummary, roleSelectBlock } from './roleRules';
import { changeRole, ROLE_WORDS, ROLES, userLabel, usersKey, type User, type UserRole } from './users';

export function UserRow({ user, actorId, actorRole }: { user: User; actorId: string; actorRole: string }) {
  const client = useQueryClient();
  const reasonId = useId();
  const [done, setDone] = useState<string | null>(null);
  const input = { actorId, actorRole, targetId: user.id, targetRole: user.role };
  const blocked = roleSelectBlock(input);
  const change = useMutation({
    mutationFn: (role: UserRole) => changeRole(user.id, role),
    onSuccess: (u, role) => {
      setDone(roleChangeSummary(u.email, user.role, role));
      void client.invalidateQueries({ queryKey: usersKey });
    },
  });
  const isSelf = user.id === actorId;
  return (
    <tr data-testid="user-row" data-user-id={user.id} data-email={user.email} data-role={user.role} className="border-b border-border">
      <td className="py-2 pr-3 pl-3 align-top">
        <p className="text-sm font-medium">
          {userLabel(user)}
          {isSelf && <span className="ml-1 text-xs text-muted">(you)</span>}
        </p>
        <p className="text-xs text-muted">{user.email}</p>
      </td>
      <td className="py-2 pr-3 align-top">
        <select
          data-testid="role-select"
          aria-label={`Role of ${user.email}`}
          aria-describedby={blocked ? reasonId : undefined}
          title={blocked ?? undefined}
          value={user.role}
          disabled={Boolean(blocked) || change.isPending}
          onChange={(e) => {
            const next = e.target.value as UserRole;
            setDone(null);
            if (!roleChangeBlock(input, next)) change.mutate(next);
          }}
          className={`${inputClass} ${blocked ? 'cursor-not-allowed opacity-60' : ''}`}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_WORDS[r]}
            </option>
          ))}
        </select>
        {blocked && (
          <p id={reasonId} className="mt-0.5 max-w-72 text-xs text-muted">
            {blocked}
          </p>
        )}
        {change.isError && <FormError error={change.error} />}
        {done && (
          <p role="status" className="mt-0.5 text-xs text-ok">
            {done}
          </p>
        )}
      </td>
      <td className="py-2 pr-3 align-top text-sm whitespace-nowrap">
        <RelativeTime iso={user.created_at} />
      </td>
    </tr>
  );
}
