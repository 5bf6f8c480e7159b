// "Which rule matches this ref?": a branch or tag name (or a full ref) and
// optionally a commit; the answer names the rule (its number in the list),
// the environment, whether it deploys, the image tag it renders and the
// server's explanation. Asks GET /api/v1/branch-mappings/resolve.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../ui/Button';
import { StatusBadge } from '../ui/StatusBadge';
import { normalizeRef, resolveRef, ruleText } from './branchMappings';
import { inputClass } from './Field';
import { FormError } from './FormError';

export function MappingTester({ projectId }: { projectId: string }) {
  const [ref, setRef] = useState('');
  const [kind, setKind] = useState<'branch' | 'tag'>('branch');
  const [sha, setSha] = useState('');
  const resolve = useMutation({ mutationFn: () => resolveRef(projectId, normalizeRef(ref, kind), sha.trim()) });
  const r = resolve.data;
  return (
    <div className="flex flex-col gap-2 rounded border border-border bg-surface p-3">
      <h3 className="text-sm font-semibold">Which rule matches this ref?</h3>
      <form
        aria-label="Test a ref against the rules"
        onSubmit={(e) => {
          e.preventDefault();
          if (ref.trim()) resolve.mutate();
        }}
        className="flex flex-wrap items-end gap-3"
      >
        <label className="flex flex-col gap-0.5 text-xs font-medium text-muted">
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as 'branch' | 'tag')} className={inputClass}>
            <option value="branch">Branch</option>
            <option value="tag">Tag</option>
          </select>
        </label>
        <label className="flex flex-col gap-0.5 text-xs font-medium text-muted">
          Branch, tag or full ref
          <input data-testid="mapping-tester-ref" value={ref} placeholder="release/1.2" onChange={(e) => setRef(e.target.value)} className={`${inputClass} w-64 font-mono`} />
        </label>
        <label className="flex flex-col gap-0.5 text-xs font-medium text-muted">
          Commit (optional, for the image tag)
          <input value={sha} placeholder="a1b2c3d…" onChange={(e) => setSha(e.target.value)} className={`${inputClass} w-56 font-mono`} />
        </label>
        <Button type="submit" data-testid="mapping-tester-run" disabled={!ref.trim() || resolve.isPending} reason={!ref.trim() ? 'Type a branch or tag first' : resolve.isPending ? 'Checking…' : undefined}>
          Check
        </Button>
      </form>
      <FormError error={resolve.error} />
      {r && (
        <div data-testid="mapping-tester-result" data-matched={r.matched} data-environment={r.environment ?? ''} aria-live="polite" className="flex flex-col gap-1 rounded border border-border bg-surface-2 p-2 text-sm">
          <p className="flex items-center gap-2">
            <StatusBadge status={r.matched ? (r.deployable ? 'success' : 'skipped') : 'cancelled'} label={r.matched ? (r.deployable ? 'Deploys' : 'CI only') : 'No rule matches'} />
            <code className="font-mono text-xs">{r.ref}</code>
          </p>
          {r.matched && r.rule && (
            <p>
              Rule {(r.rule_index ?? 0) + 1} of the {r.source === 'project' ? 'project’s rules' : 'global defaults'}: <code className="font-mono text-xs">{ruleText(r.rule)}</code>
              {r.environment && (
                <>
                  {' '}
                  → <strong>{r.environment}</strong>
                </>
              )}
              {r.image_tag && (
                <>
                  , image <code className="font-mono text-xs">{r.image_tag}</code>
                  {!sha.trim() && <span className="text-muted"> (for commit 0000000; give one for the real tag)</span>}
                </>
              )}
            </p>
          )}
          {r.image_tag_error && <p className="text-bad">Image tag: {r.image_tag_error}</p>}
          <p className="text-muted">{r.explanation}</p>
        </div>
      )}
    </div>
  );
}
