// Branch mappings: the rules a project uses (its own, or the global defaults
// when it has none) with the tester beside them; admins edit the rules,
// apply the GitOps preset or go back to the global defaults. Everyone can
// read and test them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../api/client';
import { Button } from '../ui/Button';
import { ErrorState } from '../ui/ErrorState';
import { SkeletonRows } from '../ui/Skeleton';
import { applyPreset, fetchMappings, mappingsKey, resetMappings, saveMappings, type Mappings, type MappingRule } from './branchMappings';
import { MappingRulesEditor } from './MappingRulesEditor';
import { MappingRulesTable } from './MappingRulesTable';
import { MappingTester } from './MappingTester';
import { FormError } from './FormError';
import { GLOBAL } from './projectChoice';
import { ProjectPicker, useSettingsProject } from './ProjectPicker';

function useEnvironmentNames(projectId: string): string[] {
  const q = useQuery({
    queryKey: ['environments', projectId, 'names'],
    queryFn: () => get<{ items: { name: string }[] }>(`/api/v1/projects/${encodeURIComponent(projectId)}/environments`),
    enabled: Boolean(projectId),
    staleTime: 60_000,
  });
  return q.data?.items.map((e) => e.name) ?? [];
}

export function BranchMappingsSection({ isAdmin }: { isAdmin: boolean }) {
  const client = useQueryClient();
  const { projectId: chosen, projects, loading, setProject } = useSettingsProject(true);
  const projectId = chosen === GLOBAL ? '' : chosen;
  const mappings = useQuery({ queryKey: mappingsKey(projectId), queryFn: () => fetchMappings(projectId), enabled: !loading });
  const environments = useEnvironmentNames(projectId);
  const [editing, setEditing] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const done = (m: Mappings, text: string) => {
    client.setQueryData(mappingsKey(projectId), m);
    setEditing(false);
    const created = m.created_environments?.length ? ` Created the environments ${m.created_environments.join(', ')} with default settings.` : '';
    setNote(text + created);
  };
  const save = useMutation({ mutationFn: (rules: MappingRule[]) => saveMappings(projectId, rules), onSuccess: (m) => done(m, 'Saved the project’s rules.') });
  const preset = useMutation({ mutationFn: () => applyPreset(projectId, 'gitops'), onSuccess: (m) => done(m, 'Applied the GitOps preset.') });
  const reset = useMutation({ mutationFn: () => resetMappings(projectId), onSuccess: (m) => done(m, 'The project uses the global defaults again.') });

  const editBlock = !isAdmin
    ? 'Only admins change branch mappings'
    : !projectId
      ? 'The global defaults are seeded; give a project its own rules instead'
      : undefined;
  const source = mappings.data?.source;
  if (loading) return <SkeletonRows rows={8} label="Loading projects" />;
  return (
    <div className="flex flex-col gap-4">
      <ProjectPicker
        projectId={chosen}
        projects={projects}
        allowGlobal
        onChange={(id) => {
          setEditing(false);
          setNote(null);
          setProject(id);
        }}
      />
      <MappingTester projectId={projectId} />
      <div className="flex flex-col gap-2 rounded border border-border bg-surface p-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h3 className="text-sm font-semibold">
            {!projectId ? 'Global defaults' : source === 'project' ? 'This project’s rules' : 'Global defaults (this project has no rules of its own)'}
            <span className="ml-2 text-xs font-normal text-muted">tried in order; the first match wins</span>
          </h3>
          {!editing && (
            <div className="flex gap-2">
              <Button size="sm" data-testid="mapping-edit" disabled={Boolean(editBlock)} reason={editBlock} onClick={() => setEditing(true)}>
                {source === 'project' ? 'Edit rules' : 'Give it its own rules'}
              </Button>
              <Button size="sm" disabled={Boolean(editBlock) || preset.isPending} reason={editBlock ?? (preset.isPending ? 'Applying…' : undefined)} onClick={() => preset.mutate()}>
                Apply GitOps preset
              </Button>
              <Button
                size="sm"
                disabled={Boolean(editBlock) || source !== 'project' || reset.isPending}
                reason={editBlock ?? (source !== 'project' ? 'It already uses the global defaults' : 'Resetting…')}
                onClick={() => reset.mutate()}
              >
                Use global defaults
              </Button>
            </div>
          )}
        </div>
        {note && (
          <p role="status" className="text-sm text-ok">
            {note}
          </p>
        )}
        <FormError error={preset.error ?? reset.error} />
        {mappings.isPending ? (
          <SkeletonRows rows={7} label="Loading the rules" />
        ) : mappings.isError ? (
          <ErrorState title="Could not load the branch mappings" error={mappings.error} onRetry={() => void mappings.refetch()} />
        ) : editing ? (
          <MappingRulesEditor
            initial={mappings.data.rules}
            environments={environments}
            saving={save.isPending}
            error={save.error}
            onSave={(rules) => save.mutate(rules)}
            onCancel={() => setEditing(false)}
          />
        ) : mappings.data.rules.length === 0 ? (
          <p className="text-sm text-muted">No rules: nothing deploys from pushes.</p>
        ) : (
          <MappingRulesTable rules={mappings.data.rules} />
        )}
      </div>
    </div>
  );
}
