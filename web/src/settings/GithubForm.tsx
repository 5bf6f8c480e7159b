// Connect a project to a GitHub repository, or change the connection. The
// webhook secret is generated here (or typed, to match an existing hook) and
// shown once after saving; an existing secret is kept unless rotated. The
// token is optional (commit statuses, workflow runs) and never shown back.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../ui/Button';
import { Field } from './Field';
import { fieldError, FormError } from './FormError';
import { githubKey, saveIntegration, type GithubIntegration, type GithubIntegrationInput } from './github';
import { generateSecret } from './secret';

export function GithubForm({
  projectId,
  existing,
  onSaved,
  onCancel,
}: {
  projectId: string;
  existing: GithubIntegration | null;
  onSaved: (saved: GithubIntegration, secretShownOnce: string | null) => void;
  onCancel?: () => void;
}) {
  const client = useQueryClient();
  const [owner, setOwner] = useState(existing?.repository_owner ?? '');
  const [name, setName] = useState(existing?.repository_name ?? '');
  const [secret, setSecret] = useState('');
  const [rotate, setRotate] = useState(!existing);
  const [token, setToken] = useState('');
  const [apiBase, setApiBase] = useState(existing?.api_base_url ?? '');
  const [workflow, setWorkflow] = useState(existing?.workflow_file ?? '');
  const save = useMutation({
    mutationFn: async () => {
      const input: GithubIntegrationInput = { repository_owner: owner.trim(), repository_name: name.trim() };
      const newSecret = rotate ? secret.trim() || generateSecret() : null;
      if (newSecret) input.webhook_secret = newSecret;
      if (token.trim()) input.token = token.trim();
      if (apiBase.trim()) input.api_base_url = apiBase.trim();
      input.workflow_file = workflow.trim();
      const saved = await saveIntegration(projectId, input);
      return { saved, newSecret };
    },
    onSuccess: ({ saved, newSecret }) => {
      client.setQueryData(githubKey(projectId), saved);
      onSaved(saved, newSecret);
    },
  });
  const missing = !owner.trim() || !name.trim() ? 'Name the repository first (owner and name)' : undefined;
  const err = (f: string) => fieldError(save.error, f);
  return (
    <form
      aria-label={existing ? 'Change the GitHub connection' : 'Connect GitHub'}
      onSubmit={(e) => {
        e.preventDefault();
        if (!missing) save.mutate();
      }}
      className="flex flex-col gap-3 rounded border border-border bg-surface p-3"
    >
      <h3 className="text-sm font-semibold">{existing ? 'Change the connection' : 'Connect a GitHub repository'}</h3>
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Owner" data-testid="github-owner" value={owner} placeholder="octo-org" onChange={(e) => setOwner(e.target.value)} error={err('repository_owner')} className="w-44" />
        <Field label="Repository" data-testid="github-repo" value={name} placeholder="service" onChange={(e) => setName(e.target.value)} error={err('repository_name')} className="w-44" />
        <Field
          label="Token (optional)"
          type="password"
          autoComplete="off"
          data-testid="github-token"
          value={token}
          placeholder={existing?.has_token ? 'kept; type to replace' : 'ghp_…'}
          hint="For commit statuses and workflow runs (scopes repo, workflow)."
          onChange={(e) => setToken(e.target.value)}
          error={err('token')}
          className="w-60"
        />
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <Field
          label="API base URL (GitHub Enterprise only)"
          data-testid="github-api-base"
          value={apiBase}
          placeholder="https://api.github.com"
          onChange={(e) => setApiBase(e.target.value)}
          error={err('api_base_url')}
          className="w-80"
        />
        <Field label="Default workflow file" data-testid="github-workflow" value={workflow} placeholder="deploy.yml" onChange={(e) => setWorkflow(e.target.value)} error={err('workflow_file')} className="w-44" />
      </div>
      <fieldset className="flex flex-col gap-2">
        <legend className="text-xs font-medium text-muted">Webhook secret</legend>
        {existing && (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" data-testid="github-rotate" checked={rotate} onChange={(e) => setRotate(e.target.checked)} />
            Set a new secret (GitHub’s webhook must then use the new one)
          </label>
        )}
        {rotate ? (
          <Field
            label="Secret (leave empty to generate one)"
            type="password"
            autoComplete="off"
            data-testid="github-secret-input"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            hint="A generated secret is shown once after saving, to paste into GitHub."
            error={err('webhook_secret')}
            className="w-80"
          />
        ) : (
          <p className="text-sm text-muted">The current secret is kept (it is never shown again).</p>
        )}
      </fieldset>
      {!['repository_owner', 'repository_name', 'token', 'api_base_url', 'workflow_file', 'webhook_secret'].some((f) => err(f)) && <FormError error={save.error} />}
      <div className="flex gap-2">
        <Button type="submit" variant="primary" data-testid="github-save" disabled={Boolean(missing) || save.isPending} reason={save.isPending ? 'Saving…' : missing}>
          {save.isPending ? 'Saving…' : existing ? 'Save changes' : 'Connect'}
        </Button>
        {onCancel && <Button onClick={onCancel}>Cancel</Button>}
      </div>
    </form>
  );
}
