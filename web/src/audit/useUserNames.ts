// user id → how the audit list names them: "You" for oneself, the name or
// email for users an admin can list, "System" for entries without a user
// (a refused login, the trigger worker).
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { userLabel, usersQuery, type User } from '../settings/users';

export function useUserNames(selfId: string, isAdmin: boolean): { users: User[]; nameOf: (id: string | null) => string } {
  const q = useQuery({ ...usersQuery, enabled: isAdmin });
  const users = q.data?.items ?? [];
  const nameOf = useCallback(
    (id: string | null) => {
      if (!id) return 'System';
      if (id === selfId) return 'You';
      const u = (q.data?.items ?? []).find((x) => x.id === id);
      return u ? userLabel(u) : id.slice(0, 8) + '…';
    },
    [q.data, selfId],
  );
  return { users, nameOf };
}
