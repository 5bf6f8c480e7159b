// Starting a run of a saved flow template: the environment (and, when a
// project is chosen, one of that project's environments, which governance
// then checks), then the execution page.
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { get } from '../api/client';
import { STANDARD_ENVIRONMENTS } from '../dashboard/environments';
import { useProjects } from '../executions/useProjectNames';
import { useProjectScope } from '../shell/projectScope';
import { Button } from '../ui/Button';
import { errorText } from '../ui/ErrorState';
import { Modal } from '../ui/Modal';
import { startFromTemplate } from './api';

interface EnvironmentItem {
  name: string;
}

export interface RunDialogProps {
  templateId: string;
  templateName: string;
  projectId?: string; // the template's project; else the chosen one
  onClose: () => void;
}

export function RunDialog({ templateId, templateName, projectId: templateProject, onClose }: RunDialogProps) {
  const id = useId();
  const navigate = useNavigate();
  const scope = useProjectScope();
  const { projects } = useProjects();
  const [projectId, setProjectId] = useState(templateProject || scope);
  const [environment, setEnvironment] = useState('Development');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const environments = useQuery({
    queryKey: ['project-environments', projectId],
    queryFn: () => get<{ items: EnvironmentItem[] }>(`/api/v1/projects/${encodeURIComponent(projectId)}/environments`),
    enabled: Boolean(projectId),
  });
  const names = projectId ? (environments.data?.items ?? []).map((e) => e.name) : STANDARD_ENVIRONMENTS;

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const e = await startFromTemplate(templateId, environment.trim(), projectId || undefined);
      navigate(`/executions/${e.id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Modal labelledBy={`${id}-title`} onClose={onClose} testId="run-dialog">
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <h2 id={`${id}-title`} className="text-lg font-semibold">
          Run {templateName}
        </h2>
        <label className="flex flex-col gap-1 text-sm">
          Project
          <select value={projectId} data-testid="run-project" onChange={(e) => setProjectId(e.target.value)} className="rounded border border-border bg-surface px-2 py-1">
            <option value="">No project (any environment name)</option>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          Environment
          <input
            list={`${id}-envs`}
            value={environment}
            data-testid="run-environment"
            onChange={(e) => setEnvironment(e.target.value)}
            className="rounded border border-border bg-surface px-2 py-1"
          />
          <datalist id={`${id}-envs`}>
            {names.map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
        </label>
        <p className="text-xs text-muted">The environment&apos;s rules apply: locks, freezes, approvals and the role it requires.</p>
        {error !== null && (
          <p role="alert" className="text-sm text-bad">
            {errorText(error)}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            variant="primary"
            data-testid="run-start"
            disabled={busy || !environment.trim()}
            reason={busy ? 'Starting…' : 'Name the environment to run in'}
          >
            {busy ? 'Starting…' : 'Start run'}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
