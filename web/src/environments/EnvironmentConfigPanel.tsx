// An environment's non-secret variables (steps deploying there receive them
// as environment variables; secrets override them): shown as KEY=value,
// edited by operators and admins as KEY=value lines, saved as a whole.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { FormError } from '../settings/FormError';
import { Button } from '../ui/Button';
import { ErrorState } from '../ui/ErrorState';
import { RelativeTime } from '../ui/RelativeTime';
import { SkeletonRows } from '../ui/Skeleton';
import { envConfigKey, envConfigRefusal, fetchEnvConfig, saveEnvConfig, textToVariables, variablesToText } from './envConfig';

export function EnvironmentConfigPanel({
  projectId,
  envName,
  role,
  userName,
}: {
  projectId: string;
  envName: string;
  role: string;
  userName: (id: string | null | undefined) => string;
}) {
  const client = useQueryClient();
  const q = useQuery({ queryKey: envConfigKey(projectId, envName), queryFn: () => fetchEnvConfig(projectId, envName) });
  const [text, setText] = useState<string | null>(null); // non-null while editing
  const inputId = useId();
  const hintId = useId();
  const save = useMutation({
    mutationFn: (variables: Record<string, string>) => saveEnvConfig(projectId, envName, variables),
    onSuccess: (config) => {
      client.setQueryData(envConfigKey(projectId, envName), config);
      setText(null);
    },
  });
  if (q.isPending) return <SkeletonRows rows={2} label={`Loading the variables of ${envName}`} />;
  if (q.isError) return <ErrorState title={`The variables of ${envName} could not be loaded`} error={q.error} onRetry={() => void q.refetch()} />;
  const vars = q.data.variables;
  const names = Object.keys(vars).sort();
  const refusal = envConfigRefusal(role);
  const parsed = text === null ? null : textToVariables(text);
  return (
    <div data-testid="env-config" data-count={names.length} className="flex flex-col gap-2">
      {text === null ? (
        <>
          {names.length ? (
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 font-mono text-xs">
              {names.map((k) => (
                <div key={k} data-testid="env-config-variable" data-name={k} className="contents">
                  <dt className="font-medium">{k}</dt>
                  <dd className="break-all text-muted">{String(vars[k])}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className="text-sm text-muted">No variables. Steps deploying to {envName} receive the ones set here (non-secret values; use Settings → Secrets for the others).</p>
          )}
          {q.data.updated_at && (
            <p className="text-xs text-muted">
              Changed <RelativeTime iso={q.data.updated_at} /> by {userName(q.data.updated_by)}
            </p>
          )}
          <div>
            <Button size="sm" data-testid="env-config-edit" disabled={Boolean(refusal)} reason={refusal ?? undefined} onClick={() => setText(variablesToText(vars))}>
              Edit variables
            </Button>
          </div>
        </>
      ) : (
        <form
          className="flex flex-col gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (parsed?.ok) save.mutate(parsed.variables);
          }}
        >
          <label htmlFor={inputId} className="text-xs font-medium text-muted">
            Variables of {envName}, one KEY=value per line
          </label>
          <textarea
            id={inputId}
            data-testid="env-config-input"
            value={text}
            rows={Math.min(12, Math.max(3, text.split('\n').length + 1))}
            spellCheck={false}
            aria-invalid={parsed && !parsed.ok ? true : undefined}
            aria-describedby={hintId}
            onChange={(e) => setText(e.target.value)}
            className="rounded border border-border bg-surface px-2 py-1 font-mono text-xs text-fg"
          />
          <p id={hintId} className={`text-xs ${parsed && !parsed.ok ? 'text-bad' : 'text-muted'}`}>
            {parsed && !parsed.ok ? parsed.error : 'Saving replaces all of them; never put a secret here (they are shown to everyone and recorded in the audit log).'}
          </p>
          <FormError error={save.error} />
          <div className="flex gap-2">
            <Button
              type="submit"
              size="sm"
              variant="primary"
              data-testid="env-config-save"
              disabled={!parsed?.ok || save.isPending}
              reason={save.isPending ? 'Saving…' : parsed && !parsed.ok ? parsed.error : undefined}
            >
              {save.isPending ? 'Saving…' : 'Save variables'}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setText(null)}>
              Cancel
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}
