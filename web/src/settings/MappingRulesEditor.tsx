// Editing a project's rules (admins): each field inline, move up/down,
// remove, add, then Save replaces the whole ordered list (the server checks
// patterns, environments and templates and names the bad field).
import { useId, useState } from 'react';
import { Button } from '../ui/Button';
import { moveRule, NEW_RULE, replaceRule, type MappingRule } from './branchMappings';
import { inputClass } from './Field';
import { FormError } from './FormError';
import { RuleHead } from './MappingRulesTable';

export function MappingRulesEditor({
  initial,
  environments,
  saving,
  error,
  onSave,
  onCancel,
}: {
  initial: MappingRule[];
  environments: string[];
  saving: boolean;
  error: unknown;
  onSave: (rules: MappingRule[]) => void;
  onCancel: () => void;
}) {
  const [rules, setRules] = useState<MappingRule[]>(initial);
  const envListId = useId();
  const set = (i: number, patch: Partial<MappingRule>) => setRules((rs) => replaceRule(rs, i, patch));
  const empty = rules.some((r) => !r.pattern.trim() || !r.environment.trim());
  return (
    <div className="flex flex-col gap-2">
      <datalist id={envListId}>
        {environments.map((e) => (
          <option key={e} value={e} />
        ))}
      </datalist>
      <table data-testid="mapping-rules-editor" className="w-full border-collapse text-left">
        <caption className="sr-only">Edit the branch mapping rules</caption>
        <RuleHead extra />
        <tbody>
          {rules.map((r, i) => (
            <tr key={i} className="border-b border-border text-sm">
              <td className="py-1 pr-3 pl-3 text-muted tabular-nums">{i + 1}</td>
              <td className="py-1 pr-2">
                <input aria-label={`Pattern of rule ${i + 1}`} value={r.pattern} onChange={(e) => set(i, { pattern: e.target.value })} className={`${inputClass} w-36 font-mono`} />
              </td>
              <td className="py-1 pr-2">
                <select aria-label={`Kind of rule ${i + 1}`} value={r.ref_type} onChange={(e) => set(i, { ref_type: e.target.value as 'branch' | 'tag' })} className={inputClass}>
                  <option value="branch">Branch</option>
                  <option value="tag">Tag</option>
                </select>
              </td>
              <td className="py-1 pr-2">
                <input aria-label={`Environment of rule ${i + 1}`} list={envListId} value={r.environment} onChange={(e) => set(i, { environment: e.target.value })} className={`${inputClass} w-32`} />
              </td>
              <td className="py-1 pr-2">
                <input type="checkbox" aria-label={`Rule ${i + 1} deploys (unchecked: CI only)`} checked={r.deployable} onChange={(e) => set(i, { deployable: e.target.checked })} />
              </td>
              <td className="py-1 pr-2">
                <input aria-label={`Image tag template of rule ${i + 1}`} value={r.image_tag_template} onChange={(e) => set(i, { image_tag_template: e.target.value })} className={`${inputClass} w-36 font-mono`} />
              </td>
              <td className="py-1 pr-2">
                <input type="number" min={0} max={1000} aria-label={`Replicas of rule ${i + 1}`} value={r.replicas} onChange={(e) => set(i, { replicas: Number(e.target.value) })} className={`${inputClass} w-16`} />
              </td>
              <td className="py-1 pr-2 whitespace-nowrap">
                <Button size="sm" variant="ghost" aria-label={`Move rule ${i + 1} up`} disabled={i === 0} reason="Already first" onClick={() => setRules((rs) => moveRule(rs, i, -1))}>
                  ↑
                </Button>
                <Button size="sm" variant="ghost" aria-label={`Move rule ${i + 1} down`} disabled={i === rules.length - 1} reason="Already last" onClick={() => setRules((rs) => moveRule(rs, i, 1))}>
                  ↓
                </Button>
                <Button size="sm" variant="ghost" aria-label={`Remove rule ${i + 1}`} onClick={() => setRules((rs) => rs.filter((_, j) => j !== i))}>
                  ✕
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-xs text-muted">
        Patterns: <code className="font-mono">*</code> stays inside one path segment, <code className="font-mono">**</code> crosses them. Templates:{' '}
        <code className="font-mono">{'{sha}'}</code>, <code className="font-mono">{'{sha7}'}</code>, <code className="font-mono">{'{tag}'}</code>,{' '}
        <code className="font-mono">{'{branch}'}</code>, <code className="font-mono">{'{short_ref}'}</code>.
      </p>
      <FormError error={error} />
      <div className="flex gap-2">
        <Button size="sm" onClick={() => setRules((rs) => [...rs, { ...NEW_RULE }])}>
          Add a rule
        </Button>
        <div className="flex-1" />
        <Button size="sm" onClick={onCancel}>
          Cancel
        </Button>
        <Button
          size="sm"
          variant="primary"
          data-testid="mapping-save"
          disabled={saving || empty}
          reason={saving ? 'Saving…' : empty ? 'Every rule needs a pattern and an environment' : undefined}
          onClick={() => onSave(rules)}
        >
          {saving ? 'Saving…' : 'Save rules'}
        </Button>
      </div>
    </div>
  );
}
