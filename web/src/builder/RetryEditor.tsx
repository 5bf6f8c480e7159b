// retry: none, the seeds' default (7 attempts, 2s doubling to 60s) or custom.
import { SelectField, TextField } from './fields';
import type { RetryForm, RetryMode } from './nodeFields';

const MODES = [
  ['none', 'No retry'],
  ['default', 'Default: 7 attempts, 2s → 60s'],
  ['custom', 'Custom'],
] as const satisfies readonly (readonly [RetryMode, string])[];

export function RetryEditor({ form, onChange }: { form: RetryForm; onChange: (f: RetryForm) => void }) {
  return (
    <div className="flex flex-col gap-2">
      <SelectField label="Retry" value={form.mode} options={MODES} onChange={(mode) => onChange({ ...form, mode })} />
      {form.mode === 'custom' && (
        <div className="grid grid-cols-3 gap-1.5">
          <TextField label="Attempts" value={form.maxAttempts} placeholder="7" hint="1–100" onChange={(maxAttempts) => onChange({ ...form, maxAttempts })} />
          <TextField label="First wait" value={form.initial} placeholder="2s" onChange={(initial) => onChange({ ...form, initial })} />
          <TextField label="Longest wait" value={form.max} placeholder="60s" onChange={(max) => onChange({ ...form, max })} />
        </div>
      )}
    </div>
  );
}
