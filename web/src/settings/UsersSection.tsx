// Users and roles (admins): the list with each role editable, and the form
// to create a user. What each role may do is said once above the list.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { EmptyState } from '../ui/EmptyState';
import { ErrorState } from '../ui/ErrorState';
import { SkeletonRows } from '../ui/Skeleton';
import { CreateUserForm } from './CreateUserForm';
import { UserRow } from './UserRow';
import { usersQuery } from './users';

export function UsersSection({ actorId, actorRole }: { actorId: string; actorRole: string }) {
  const users = useQuery(usersQuery);
  const [created, setCreated] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-muted">
        <strong className="text-fg">Viewers</strong> read everything but the audit trail of others. <strong className="text-fg">Operators</strong> also start,
        cancel and approve runs and lock environments. <strong className="text-fg">Admins</strong> also manage users, settings, Production and the emergency stop.
      </p>
      <CreateUserForm onCreated={(u) => setCreated(`Created ${u.email} (${u.role}). Give them their initial password through a safe channel.`)} />
      {created && (
        <p role="status" className="text-sm text-ok">
          {created}
        </p>
      )}
      <div className="overflow-x-auto rounded border border-border bg-surface">
        {users.isPending ? (
          <div className="p-3">
            <SkeletonRows rows={4} label="Loading users" />
          </div>
        ) : users.isError ? (
          <div className="p-3">
            <ErrorState title="Could not load the users" error={users.error} onRetry={() => void users.refetch()} />
          </div>
        ) : users.data.items.length === 0 ? (
          <div className="p-3">
            <EmptyState title="No users">Create the first one above.</EmptyState>
          </div>
        ) : (
          <table className="w-full border-collapse text-left">
            <caption className="sr-only">Users and their roles</caption>
            <thead>
              <tr className="border-b border-border text-xs text-muted">
                <th scope="col" className="py-2 pr-3 pl-3 font-medium">
                  User
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Role
                </th>
                <th scope="col" className="py-2 pr-3 font-medium">
                  Created
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => (
                <UserRow key={u.id} user={u} actorId={actorId} actorRole={actorRole} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
