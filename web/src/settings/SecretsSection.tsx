// Secrets of one project (or the global ones): everyone may read the names,
// operators and admins set and delete a project's, admins the global ones.
// Values go in through a write-only field and never come back.
import { useQuery } from '@tanstack/react-query';
import { fetchEnvironments } from '../environments/api';
import { useUserName } from '../environments/useUserName';
import { useSession } from '../shell/useSession';
import { EmptyState } from '../ui/EmptyState';
import { SkeletonRows } from '../ui/Skeleton';
import { ListPanel } from './ListPanel';
import { GLOBAL } from './projectChoice';
import { ProjectPicker, useSettingsProject } from './ProjectPicker';
import { fetchSecrets, secretsKey, secretsRefusal } from './secrets';
import { SecretRow } from './SecretRow';
import { SetSecretForm } from './SetSecretForm';
import { TableHead } from './TableHead';

export function SecretsSection() {
  const { projectId, projects, loading, setProject } = useSettingsProject(true);
  const role = useSession()?.user.role ?? 'viewer';
  const userName = useUserName();
  const secrets = useQuery({ queryKey: secretsKey(projectId), queryFn: () => fetchSecrets(projectId), enabled: Boolean(projectId) });
  const envs = useQuery({
    queryKey: ['environments', projectId, 'names'],
    queryFn: () => fetchEnvironments(projectId).then((es) => es.map((e) => e.name)),
    enabled: Boolean(projectId) && projectId !== GLOBAL,
  });
  if (loading) return <SkeletonRows rows={5} label="Loading projects" />;
  const refusal = secretsRefusal(role, projectId);
  return (
    <div className="flex flex-col gap-4">
      <ProjectPicker label="Secrets of" projectId={projectId} projects={projects} onChange={setProject} allowGlobal globalLabel="Global (every project)" />
      <p className="text-sm text-muted">
        Each secret reaches a pipeline’s steps as the environment variable of its name; one limited to an environment only after that environment’s gates pass.
        Values are encrypted at rest, never shown again and masked as <code className="font-mono">***</code> in logs.
      </p>
      <ListPanel
        state={secrets}
        empty={!secrets.data?.length}
        rows={3}
        loadingLabel="Loading secrets"
        errorTitle="Could not load the secrets"
        emptyState={<EmptyState title="No secrets here yet">Set one below; steps then receive it as an environment variable.</EmptyState>}
      >
        {() => (
          <table className="w-full text-left">
            <TableHead headers={['Name', 'Applies to', 'Value', 'Updated', '']} />
            <tbody>
              {secrets.data?.map((s) => (
                <SecretRow key={`${s.environment ?? ''}/${s.name}`} projectId={projectId} secret={s} refusal={refusal} userName={userName} />
              ))}
            </tbody>
          </table>
        )}
      </ListPanel>
      <SetSecretForm key={projectId} projectId={projectId} environments={envs.data ?? []} refusal={refusal} />
    </div>
  );
}
