// A user id as a name: "you" for the signed-in user; for admins (who may
// list users) the user's full name or email; for everyone else the id's
// first 8 characters (the user list is admin-only). Ids that are not
// accounts ("github:ana", "poll", "opzenix") stay as they are.
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { get } from '../api/client';
import type { Page } from '../api/types';
import { useSession } from '../shell/useSession';

interface UserRow {
  id: string;
  email: string;
  full_name?: string | null;
}

const UUIDISH = /^[0-9a-f]{8}-?[0-9a-f]{4}/i;

export function useUserName(): (id: string | null | undefined) => string {
  const session = useSession();
  const isAdmin = session?.user.role === 'admin';
  const users = useQuery({
    queryKey: ['environments', 'user-names'],
    queryFn: () => get<Page<UserRow>>('/api/v1/users', { limit: 500 }),
    enabled: isAdmin,
    staleTime: 300_000,
  });
  const selfId = session?.user.id;
  const items = users.data?.items;
  return useCallback(
    (id: string | null | undefined) => {
      if (!id) return 'someone';
      if (id === selfId) return 'you';
      const u = items?.find((x) => x.id === id);
      if (u) return u.full_name || u.email;
      return UUIDISH.test(id) ? `user ${id.slice(0, 8)}` : id;
    },
    [items, selfId],
  );
}
