// Add a connection (admins): type, name, URL, the registry's username and a
// write-only secret. A refusal (e.g. the outbound guard refusing a loopback
// URL) is shown verbatim under the field it names.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../ui/Button';
import { CONNECTION_TYPES, connectionsKey, createConnection, newConnectionBody, type ConnectionType } from './connections';
import { Field } from './Field';
import { fieldError, FormError } from './FormError';
import { SelectField } from './SelectField';
import { WriteOnlyField } from './WriteOnlyField';

const FIELDS = ['type', 'name', 'config.url', 'config.username', 'secret'];

export function CreateConnectionForm({ refusal }: { refusal: string | null }) {
  const client = useQueryClient();
  const [type, setType] = useState<ConnectionType>('http');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [username, setUsername] = useState('');
  const [secret, setSecret] = useState('');
  const create = useMutation({
    mutationFn: () => createConnection(newConnectionBody(type, name, url, username, secret)),
    onSuccess: () => {
      setName('');
      setUrl('');
      setUsername('');
      setSecret('');
      void client.invalidateQueries({ queryKey: connectionsKey });
    },
  });
  const block =
    refusal ??
    (!name.trim() ? 'Give the name first' : type !== 'github' && !url.trim() ? 'Give the URL first' : type === 'github' && !secret ? 'A GitHub connection needs its token' : null);
  const hint = CONNECTION_TYPES.find((t) => t.type === type)?.hint;
  const namedField = FIELDS.some((f) => fieldError(create.error, f));
  return (
    <form
      aria-label="Add a connection"
      onSubmit={(e) => {
        e.preventDefault();
        if (!block) create.mutate();
      }}
      className="flex flex-col gap-3 rounded border border-border bg-surface p-3"
    >
      <h3 className="text-sm font-semibold">Add a connection</h3>
      <div className="flex flex-wrap items-start gap-3">
        <SelectField label="Type" data-testid="connection-type" value={type} onChange={(e) => setType(e.target.value as ConnectionType)} error={fieldError(create.error, 'type')}>
          {CONNECTION_TYPES.map((t) => (
            <option key={t.type} value={t.type}>
              {t.label}
            </option>
          ))}
        </SelectField>
        <Field label="Name" data-testid="connection-name" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(create.error, 'name')} className="w-44" />
        <Field
          label={type === 'github' ? 'API URL (empty: https://api.github.com)' : 'URL'}
          type="url"
          data-testid="connection-url"
          value={url}
          placeholder={type === 'github' ? 'https://api.github.com' : 'https://status.example.com/health'}
          onChange={(e) => setUrl(e.target.value)}
          error={fieldError(create.error, 'config.url')}
          hint={hint}
          className="w-80"
        />
        {type === 'registry' && (
          <Field label="Username (optional)" data-testid="connection-username" value={username} autoComplete="off" onChange={(e) => setUsername(e.target.value)} error={fieldError(create.error, 'config.username')} className="w-40" />
        )}
        <WriteOnlyField
          label={type === 'github' ? 'Token' : 'Secret (optional)'}
          data-testid="connection-secret"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          error={fieldError(create.error, 'secret')}
          className="w-52"
        />
      </div>
      {!namedField && <FormError error={create.error} />}
      <div>
        <Button type="submit" variant="primary" data-testid="connection-create" disabled={Boolean(block) || create.isPending} reason={create.isPending ? 'Adding…' : (block ?? undefined)}>
          {create.isPending ? 'Adding…' : 'Add connection'}
        </Button>
      </div>
    </form>
  );
}
