// Your API tokens (everyone): create one (shown once, with a copy button and
// the warning), the list, revoke.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../ui/Button';
import { EmptyState } from '../ui/EmptyState';
import { Field, inputClass } from './Field';
import { fieldError, FormError } from './FormError';
import { ListPanel } from './ListPanel';
import { OnceSecret } from './OnceSecret';
import { TableHead } from './TableHead';
import { TokenRow } from './TokenRow';
import { createToken, EXPIRY_CHOICES, tokensKey, tokensQuery, type CreatedToken } from './tokens';

const HEADERS = ['Name', 'Prefix', 'State', 'Created', 'Last used', 'Expires', ''];

export function TokensSection() {
  const client = useQueryClient();
  const tokens = useQuery(tokensQuery);
  const [name, setName] = useState('');
  const [expiresIn, setExpiresIn] = useState('90d');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const create = useMutation({
    mutationFn: () => createToken(name.trim(), expiresIn),
    onSuccess: (t) => {
      setCreated(t);
      setName('');
      void client.invalidateQueries({ queryKey: tokensKey });
    },
  });
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-muted">
        A token acts as you, with your role, for scripts and the CLI: send it as <code className="font-mono">Authorization: Bearer &lt;token&gt;</code>.
      </p>
      <form
        aria-label="Create an API token"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) create.mutate();
        }}
        className="flex flex-wrap items-end gap-3 rounded border border-border bg-surface p-3"
      >
        <Field label="Name" data-testid="token-name" value={name} placeholder="deploy script" onChange={(e) => setName(e.target.value)} error={fieldError(create.error, 'name')} className="w-60" />
        <label className="flex flex-col gap-0.5 text-xs font-medium text-muted">
          Expires after
          <select data-testid="token-expiry" value={expiresIn} onChange={(e) => setExpiresIn(e.target.value)} className={inputClass}>
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <Button
          type="submit"
          variant="primary"
          data-testid="token-create"
          disabled={!name.trim() || create.isPending}
          reason={create.isPending ? 'Creating…' : !name.trim() ? 'Name the token first (what uses it?)' : undefined}
        >
          {create.isPending ? 'Creating…' : 'Create token'}
        </Button>
        {!fieldError(create.error, 'name') && <FormError error={create.error} />}
      </form>
      {created && (
        <OnceSecret
          title={`Your new token “${created.name}”`}
          value={created.token}
          testId="token-value"
          warning="Copy it now: this is the only time it is shown. Opzenix keeps only a hash; if you lose it, revoke it and create another."
          onDone={() => setCreated(null)}
        />
      )}
      <ListPanel
        state={tokens}
        empty={!tokens.data?.items.length}
        rows={3}
        loadingLabel="Loading tokens"
        errorTitle="Could not load your tokens"
        emptyState={<EmptyState title="No API tokens yet">Create one above for a script or the CLI.</EmptyState>}
      >
        {() => (
          <table className="w-full border-collapse text-left">
            <caption className="sr-only">Your API tokens</caption>
            <TableHead headers={HEADERS} />
            <tbody>
              {tokens.data?.items.map((t) => (
                <TokenRow key={t.id} token={t} />
              ))}
            </tbody>
          </table>
        )}
      </ListPanel>
    </div>
  );
}
