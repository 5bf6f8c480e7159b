// Outgoing webhooks of one project (admins): the list with each one's
// delivery log, and the form to add one (its secret shown once).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { EmptyState } from '../ui/EmptyState';
import { SkeletonRows } from '../ui/Skeleton';
import { CreateWebhookForm } from './CreateWebhookForm';
import { ListPanel } from './ListPanel';
import { OnceSecret } from './OnceSecret';
import { fetchWebhooks, webhooksKey } from './outgoingWebhooks';
import { ProjectPicker, useSettingsProject } from './ProjectPicker';
import { WebhookRow } from './WebhookRow';

export function WebhooksSection() {
  const { projectId, projects, loading, setProject } = useSettingsProject();
  const hooks = useQuery({ queryKey: webhooksKey(projectId), queryFn: () => fetchWebhooks(projectId), enabled: Boolean(projectId) });
  const [secret, setSecret] = useState<string | null>(null);
  if (loading) return <SkeletonRows rows={5} label="Loading projects" />;
  if (!projectId) return <EmptyState title="No projects yet">Create a project first; its events can then be posted to your systems.</EmptyState>;
  return (
    <div className="flex flex-col gap-4">
      <ProjectPicker
        projectId={projectId}
        projects={projects}
        onChange={(id) => {
          setSecret(null);
          setProject(id);
        }}
      />
      <p className="text-sm text-muted">
        Each delivery is a POST signed with <code className="font-mono">X-Opzenix-Signature-256: sha256=&lt;HMAC of the body&gt;</code>; anything but a 2xx answer is
        retried with backoff.
      </p>
      {secret && (
        <OnceSecret
          title="The webhook’s signing secret"
          value={secret}
          testId="webhook-secret-value"
          warning="Give it to the receiving system now to check signatures: it is never shown again."
          onDone={() => setSecret(null)}
        />
      )}
      <ListPanel
        state={hooks}
        empty={!hooks.data?.items.length}
        rows={3}
        loadingLabel="Loading webhooks"
        errorTitle="Could not load the webhooks"
        emptyState={<EmptyState title="No outgoing webhooks">Add one below to post approvals, failures and deployments to chat or another system.</EmptyState>}
      >
        {() => (
          <ul aria-label="Outgoing webhooks">
            {hooks.data?.items.map((w) => (
              <WebhookRow key={w.id} projectId={projectId} webhook={w} />
            ))}
          </ul>
        )}
      </ListPanel>
      <CreateWebhookForm projectId={projectId} onCreated={setSecret} />
    </div>
  );
}
