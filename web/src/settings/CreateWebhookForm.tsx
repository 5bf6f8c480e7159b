// Add an outgoing webhook: URL, format, the events it wants (none = all),
// and its signing secret (generated unless typed; shown once after adding).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../ui/Button';
import { Field, inputClass } from './Field';
import { fieldError, FormError } from './FormError';
import { createWebhook, eventWords, WEBHOOK_EVENTS, webhooksKey } from './outgoingWebhooks';
import { generateSecret } from './secret';

export function CreateWebhookForm({ projectId, onCreated }: { projectId: string; onCreated: (secret: string) => void }) {
  const client = useQueryClient();
  const [url, setUrl] = useState('');
  const [format, setFormat] = useState<'opzenix' | 'slack'>('opzenix');
  const [events, setEvents] = useState<string[]>([]);
  const [secret, setSecret] = useState('');
  const create = useMutation({
    mutationFn: async () => {
      const s = secret.trim() || generateSecret();
      await createWebhook(projectId, { url: url.trim(), secret: s, format, events, enabled: true });
      return s;
    },
    onSuccess: (s) => {
      setUrl('');
      setSecret('');
      setEvents([]);
      void client.invalidateQueries({ queryKey: webhooksKey(projectId) });
      onCreated(s);
    },
  });
  const toggle = (e: string, on: boolean) => setEvents((es) => (on ? [...es, e] : es.filter((x) => x !== e)));
  const shortSecret = secret.trim() !== '' && secret.trim().length < 8;
  const block = !url.trim() ? 'Give the URL first' : shortSecret ? 'The secret needs at least 8 characters' : undefined;
  return (
    <form
      aria-label="Add an outgoing webhook"
      onSubmit={(e) => {
        e.preventDefault();
        if (!block) create.mutate();
      }}
      className="flex flex-col gap-3 rounded border border-border bg-surface p-3"
    >
      <h3 className="text-sm font-semibold">Add a webhook</h3>
      <div className="flex flex-wrap items-end gap-3">
        <Field label="URL" type="url" data-testid="webhook-url" value={url} placeholder="https://hooks.example.com/opzenix" onChange={(e) => setUrl(e.target.value)} error={fieldError(create.error, 'url')} className="w-96" />
        <label className="flex flex-col gap-0.5 text-xs font-medium text-muted">
          Format
          <select data-testid="webhook-format" value={format} onChange={(e) => setFormat(e.target.value as 'opzenix' | 'slack')} className={inputClass}>
            <option value="opzenix">Opzenix JSON</option>
            <option value="slack">Slack message</option>
          </select>
        </label>
        <Field
          label="Secret (empty: generate one)"
          type="password"
          autoComplete="off"
          data-testid="webhook-secret"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          error={fieldError(create.error, 'secret') ?? (shortSecret ? 'At least 8 characters' : undefined)}
          className="w-60"
        />
      </div>
      <fieldset className="flex flex-col gap-1">
        <legend className="text-xs font-medium text-muted">Events (none chosen: every event)</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {WEBHOOK_EVENTS.map((e) => (
            <label key={e} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" checked={events.includes(e)} onChange={(ev) => toggle(e, ev.target.checked)} />
              {eventWords(e)}
            </label>
          ))}
        </div>
      </fieldset>
      {!fieldError(create.error, 'url') && !fieldError(create.error, 'secret') && <FormError error={create.error} />}
      <div>
        <Button type="submit" variant="primary" data-testid="webhook-create" disabled={Boolean(block) || create.isPending} reason={create.isPending ? 'Adding…' : block}>
          {create.isPending ? 'Adding…' : 'Add webhook'}
        </Button>
      </div>
    </form>
  );
}
