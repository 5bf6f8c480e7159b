// Set or replace a secret: its name (checked against the server's rule as
// typed), a write-only value and, for a project, the environment it is
// limited to. The value is never shown again, here or anywhere.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../api/client';
import { Button } from '../ui/Button';
import { Field } from './Field';
import { fieldError, FormError } from './FormError';
import { isNoMasterKey, NoMasterKey } from './NoMasterKey';
import { GLOBAL } from './projectChoice';
import { SelectField } from './SelectField';
import { secretNameProblem, secretsKey, secretValueProblem, setSecret } from './secrets';
import { WriteOnlyField } from './WriteOnlyField';

export function SetSecretForm({ projectId, environments, refusal }: { projectId: string; environments: string[]; refusal: string | null }) {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [environment, setEnvironment] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => setSecret(projectId, name, value, environment || null),
    onSuccess: (item) => {
      setValue('');
      setName('');
      setSaved(item.name);
      void client.invalidateQueries({ queryKey: secretsKey(projectId) });
    },
  });
  const nameProblem = name ? secretNameProblem(name) : null;
  const block = refusal ?? secretNameProblem(name) ?? secretValueProblem(value);
  const serverField = fieldError(save.error, 'name') ?? fieldError(save.error, 'value') ?? fieldError(save.error, 'environment');
  return (
    <form
      aria-label="Set a secret"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(null);
        if (!block) save.mutate();
      }}
      className="flex flex-col gap-3 rounded border border-border bg-surface p-3"
    >
      <h3 className="text-sm font-semibold">Set a secret</h3>
      <p className="text-xs text-muted">Setting an existing name (in the same environment) replaces its value. The value is write-only: it is never shown again.</p>
      <div className="flex flex-wrap items-start gap-3">
        <Field
          label="Name"
          data-testid="secret-name"
          value={name}
          autoComplete="off"
          spellCheck={false}
          placeholder="DEPLOY_TOKEN"
          onChange={(e) => setName(e.target.value.toUpperCase())}
          error={fieldError(save.error, 'name') ?? nameProblem ?? undefined}
          className="w-60 font-mono"
        />
        <WriteOnlyField label="Value" data-testid="secret-value" value={value} onChange={(e) => setValue(e.target.value)} error={fieldError(save.error, 'value')} className="w-72" />
        {projectId !== GLOBAL && (
          <SelectField label="Environment" data-testid="secret-environment" value={environment} onChange={(e) => setEnvironment(e.target.value)} error={fieldError(save.error, 'environment')}>
            <option value="">Every environment</option>
            {environments.map((e) => (
              <option key={e} value={e}>
                {e} only
              </option>
            ))}
          </SelectField>
        )}
      </div>
      {isNoMasterKey(save.error) ? <NoMasterKey error={save.error as ApiError} /> : !serverField && <FormError error={save.error} />}
      {saved && (
        <p role="status" className="text-sm text-ok">
          ✓ {saved} saved. Its value is stored encrypted and will not be shown again.
        </p>
      )}
      <div>
        <Button type="submit" variant="primary" data-testid="secret-save" disabled={Boolean(block) || save.isPending} reason={save.isPending ? 'Saving…' : (block ?? undefined)}>
          {save.isPending ? 'Saving…' : 'Save secret'}
        </Button>
      </div>
    </form>
  );
}
