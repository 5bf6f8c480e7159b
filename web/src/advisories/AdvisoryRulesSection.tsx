// Settings › Advisory rules: the rules the advisory scan checks, with the
// settings in force globally or for one project (?project=, or "global"):
// threshold, window, severity, enabled, and where each comes from (default,
// global, this project). Admins edit a rule in that scope (RuleEditor);
// everyone else reads it, the Edit button saying why it is not theirs.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormError } from '../settings/FormError';
import { GLOBAL } from '../settings/projectChoice';
import { ProjectPicker, useSettingsProject } from '../settings/ProjectPicker';
import { TableHead } from '../settings/TableHead';
import { Button } from '../ui/Button';
import { ErrorState } from '../ui/ErrorState';
import { SkeletonRows } from '../ui/Skeleton';
import { advisoryKeys, fetchRules, updateRule, type AdvisoryRule, type RuleChange } from './api';
import { SeverityBadge } from './AdvisoriesSection';
import { RuleEditor } from './RuleEditor';
import { ruleCondition, SOURCE_WORD, windowText, withUnit } from './words';

export function AdvisoryRulesSection({ isAdmin }: { isAdmin: boolean }) {
  const client = useQueryClient();
  const { projectId: chosen, projects, loading, setProject } = useSettingsProject(true);
  const projectId = chosen === GLOBAL ? '' : chosen;
  const rules = useQuery({ queryKey: advisoryKeys.rules(projectId), queryFn: () => fetchRules(projectId), enabled: !loading });
  const [editing, setEditing] = useState<AdvisoryRule | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: ({ rule, change }: { rule: string; change: RuleChange }) => updateRule(rule, change),
    onSuccess: (saved) => {
      // A global change shows in every project that inherits it.
      void client.invalidateQueries({ queryKey: ['advisories', 'rules'] });
      setNote(`Saved “${saved.title}”.`);
    },
  });
  const scopeName = projectId ? (projects.find((p) => p.id === projectId)?.name ?? 'this project') : 'every project without its own setting';
  const editBlock = isAdmin ? undefined : 'Only admins change advisory rules';

  if (loading) return <SkeletonRows rows={9} label="Loading projects" />;
  return (
    <div className="flex flex-col gap-4">
      <ProjectPicker
        projectId={chosen}
        projects={projects}
        allowGlobal
        label="Settings for"
        globalLabel="Every project (global settings)"
        onChange={(id) => {
          setNote(null);
          setProject(id);
        }}
      />
      {note && (
        <p role="status" className="text-sm text-ok">
          {note}
        </p>
      )}
      {rules.isError ? (
        <ErrorState title="Could not load the advisory rules" error={rules.error} onRetry={() => void rules.refetch()} />
      ) : rules.isPending ? (
        <SkeletonRows rows={9} label="Loading advisory rules" />
      ) : (
        <table data-testid="advisory-rules" className="w-full border-collapse rounded border border-border bg-surface text-left text-sm">
          <TableHead headers={['Rule', 'Threshold', 'Window', 'Severity', 'Enabled', 'Source', '']} />
          <tbody>
            {rules.data.items.map((r) => (
              <tr key={r.rule} data-testid="advisory-rule" data-rule={r.rule} className="border-b border-border last:border-b-0">
                <td className="py-2 pr-3 pl-3">
                  <span className="font-medium">{r.title}</span>
                  <span className="block text-xs text-muted">{ruleCondition(r)}</span>
                </td>
                <td className="py-2 pr-3 tabular-nums" data-testid="rule-threshold-value">
                  {withUnit(r.threshold, r.unit)}
                </td>
                <td className="py-2 pr-3 tabular-nums">{windowText(r.window_seconds)}</td>
                <td className="py-2 pr-3">
                  <SeverityBadge severity={r.severity} />
                </td>
                <td className="py-2 pr-3">{r.enabled ? 'Yes' : 'No (not checked)'}</td>
                <td className="py-2 pr-3 text-xs text-muted" data-testid="rule-source">
                  {SOURCE_WORD[r.source] ?? r.source}
                </td>
                <td className="py-2 pr-3 text-right">
                  <Button size="sm" data-testid="rule-edit" aria-label={`Edit ${r.title}`} disabled={Boolean(editBlock)} reason={editBlock} onClick={() => setEditing(r)}>
                    Edit
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {save.isError && !editing && <FormError error={save.error} />}
      {editing && (
        <RuleEditor
          rule={editing}
          projectId={projectId}
          scopeName={scopeName}
          onSubmit={(change) => save.mutateAsync({ rule: editing.rule, change })}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}
