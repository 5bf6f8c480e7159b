// Users and roles (admins): the list with each role editable, and the form
// to create a user. What each role may do is said once above the list.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { EmptyState } from '../ui/EmptyState';
import { CreateUserForm } from './CreateUserForm';
import { ListPanel } from './ListPanel';
import { TableHead } from './TableHead';
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
      <ListPanel
        state={users}
        empty={!users.data?.items.length}
        loadingLabel="Loading users"
        errorTitle="Could not load the users"
        emptyState={<EmptyState title="No users">Create the first one above.</EmptyState>}
      >
        {() => (
          <table className="w-full border-collapse text-left">
            <caption className="sr-only">Users and their roles</caption>
            <TableHead headers={['User', 'Role', 'Created']} />
            <tbody>
              {users.data?.items.map((u) => (
                <UserRow key={u.id} user={u} actorId={actorId} actorRole={actorRole} />
              ))}
            </tbody>
          </table>
        )}
      </ListPanel>
    </div>
  );
}
