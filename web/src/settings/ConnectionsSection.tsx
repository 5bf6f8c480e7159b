// Connections to external services (GitHub, a container registry, an
// OpenTelemetry endpoint, any HTTP endpoint) and their health: everyone
// reads, operators and admins run checks, admins add and delete.
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../shell/useSession';
import { EmptyState } from '../ui/EmptyState';
import { connectionsKey, fetchConnections, manageRefusal } from './connections';
import { ConnectionRow } from './ConnectionRow';
import { CreateConnectionForm } from './CreateConnectionForm';
import { ListPanel } from './ListPanel';

export function ConnectionsSection() {
  const role = useSession()?.user.role ?? 'viewer';
  const list = useQuery({ queryKey: connectionsKey, queryFn: fetchConnections });
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-muted">
        Every URL goes through the outbound guard: loopback, private and cloud-metadata addresses are refused unless the server’s{' '}
        <code className="font-mono">outbound-allow</code> option names them. A check follows no redirect and gives up after 10 s.
      </p>
      <ListPanel
        state={list}
        empty={!list.data?.length}
        rows={3}
        loadingLabel="Loading connections"
        errorTitle="Could not load the connections"
        emptyState={<EmptyState title="No connections yet">Add one below to have Opzenix check a GitHub token, a registry, a telemetry endpoint or any HTTP endpoint.</EmptyState>}
      >
        {() => (
          <ul aria-label="Connections">
            {list.data?.map((c) => (
              <ConnectionRow key={c.id} connection={c} role={role} />
            ))}
          </ul>
        )}
      </ListPanel>
      <CreateConnectionForm refusal={manageRefusal(role, 'add')} />
    </div>
  );
}
