// The GitHub integration of one project (admins): what to give GitHub (the
// webhook URL, content type, events, the secret once), the connection's
// state, change or disconnect it, and the deliveries received.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Button } from '../ui/Button';
import { EmptyState } from '../ui/EmptyState';
import { ErrorState } from '../ui/ErrorState';
import { RelativeTime } from '../ui/RelativeTime';
import { SkeletonRows } from '../ui/Skeleton';
import { ConfirmAction } from './ConfirmAction';
import { CopyButton } from './CopyButton';
import { DeliveriesList } from './DeliveriesList';
import { fetchIntegration, githubKey, removeIntegration, type GithubIntegration } from './github';
import { GithubForm } from './GithubForm';
import { OnceSecret } from './OnceSecret';
import { ProjectPicker, useSettingsProject } from './ProjectPicker';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[10rem_1fr] items-center gap-2">
      <dt className="text-xs font-medium text-muted">{label}</dt>
      <dd className="min-w-0 text-sm">{children}</dd>
    </div>
  );
}

function IntegrationCard({ g, onEdit, onRemove }: { g: GithubIntegration; onEdit: () => void; onRemove: () => void }) {
  return (
    <div data-testid="github-integration" className="flex flex-col gap-3 rounded border border-border bg-surface p-3">
      <div className="flex items-baseline justify-between gap-3">
        <h3 className="text-sm font-semibold">
          Connected to <span className="font-mono">{g.full_name}</span>
        </h3>
        <div className="flex gap-2">
          <Button size="sm" data-testid="github-edit" onClick={onEdit}>
            Change
          </Button>
          <Button size="sm" variant="danger" data-testid="github-remove" onClick={onRemove}>
            Disconnect
          </Button>
        </div>
      </div>
      <dl className="flex flex-col gap-1.5">
        <Row label="Payload URL">
          <span className="flex items-center gap-2">
            <code data-testid="github-webhook-url" className="min-w-0 truncate font-mono text-xs select-all">
              {g.webhook_url}
            </code>
            <CopyButton value={g.webhook_url} label="Copy URL" />
          </span>
        </Row>
        <Row label="Content type">
          <code className="font-mono text-xs">{g.content_type}</code>
        </Row>
        <Row label="Events">{g.events.join(', ')}</Row>
        <Row label="Secret">{g.has_webhook_secret ? 'Set (never shown again)' : 'Missing: deliveries are refused'}</Row>
        <Row label="Token">{g.has_token ? 'Set: commit statuses and workflow runs are on' : 'None: no commit statuses'}</Row>
        <Row label="API">
          <code className="font-mono text-xs">{g.api_base_url}</code>
        </Row>
        <Row label="Last changed">
          <RelativeTime iso={g.updated_at} />
        </Row>
      </dl>
      <p className="text-xs text-muted">On GitHub: Settings → Webhooks → Add webhook, with this payload URL, content type and the secret.</p>
    </div>
  );
}

export function GithubSection() {
  const client = useQueryClient();
  const { projectId, projects, loading, setProject } = useSettingsProject();
  const integration = useQuery({ queryKey: githubKey(projectId), queryFn: () => fetchIntegration(projectId), enabled: Boolean(projectId) });
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);

  if (loading) return <SkeletonRows rows={5} label="Loading projects" />;
  if (!projectId)
    return (
      <EmptyState title="No projects yet">
        Create a project first (<code className="font-mono">POST /api/v1/projects</code> or <code className="font-mono">opzenix project create</code>), then connect it here.
      </EmptyState>
    );
  return (
    <div className="flex flex-col gap-4">
      <ProjectPicker
        projectId={projectId}
        projects={projects}
        onChange={(id) => {
          setEditing(false);
          setSecret(null);
          setProject(id);
        }}
      />
      {secret && (
        <OnceSecret
          title="The webhook secret"
          value={secret}
          testId="github-secret"
          warning="Paste it into GitHub’s webhook now: this is the only time it is shown. To change it later, set a new one."
          onDone={() => setSecret(null)}
        />
      )}
      {integration.isPending ? (
        <SkeletonRows rows={4} label="Loading the GitHub integration" />
      ) : integration.isError ? (
        <ErrorState title="Could not load the GitHub integration" error={integration.error} onRetry={() => void integration.refetch()} />
      ) : integration.data === null || editing ? (
        <GithubForm
          key={projectId}
          projectId={projectId}
          existing={integration.data}
          onCancel={editing ? () => setEditing(false) : undefined}
          onSaved={(_, s) => {
            setEditing(false);
            setSecret(s);
          }}
        />
      ) : (
        <IntegrationCard g={integration.data} onEdit={() => setEditing(true)} onRemove={() => setRemoving(true)} />
      )}
      {removing && integration.data && (
        <ConfirmAction
          title={`Disconnect ${integration.data.full_name}?`}
          consequence="GitHub's deliveries to this project are refused from now on (404) and nothing starts from pushes; the stored secret and token are deleted. Past deliveries stay listed."
          confirmLabel="Disconnect"
          onCancel={() => setRemoving(false)}
          onConfirm={async () => {
            await removeIntegration(projectId);
            setRemoving(false);
            client.setQueryData(githubKey(projectId), null);
          }}
        />
      )}
      <DeliveriesList projectId={projectId} canReplay />
    </div>
  );
}
