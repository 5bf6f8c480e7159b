// A deploy node's health check: an HTTP probe or a command, with retries,
// interval, timeout and success threshold (docs/pipeline-format.md).
import { SelectField, TextField } from './fields';
import type { HealthForm, ProbeKind } from './deployFields';

const KINDS = [
  ['none', 'No health check'],
  ['http', 'HTTP request'],
  ['command', 'Command'],
] as const satisfies readonly (readonly [ProbeKind, string])[];

export function HealthCheckEditor({ form, onChange }: { form: HealthForm; onChange: (f: HealthForm) => void }) {
  const set = (patch: Partial<HealthForm>) => onChange({ ...form, ...patch });
  return (
    <div className="flex flex-col gap-2">
      <SelectField label="Health check" value={form.kind} options={KINDS} onChange={(kind) => set({ kind })} />
      {form.kind === 'http' && (
        <>
          <TextField label="URL" mono value={form.url} placeholder="http://127.0.0.1:8080/health" onChange={(url) => set({ url })} />
          <div className="grid grid-cols-2 gap-1.5">
            <TextField label="Expected status" value={form.expectStatus} placeholder="200" onChange={(expectStatus) => set({ expectStatus })} />
            <TextField label="Body contains" value={form.bodyContains} placeholder="any body" onChange={(bodyContains) => set({ bodyContains })} />
          </div>
        </>
      )}
      {form.kind === 'command' && <TextField label="Command (passes when it exits 0)" mono value={form.command} onChange={(command) => set({ command })} />}
      {form.kind !== 'none' && (
        <div className="grid grid-cols-2 gap-1.5">
          <TextField label="Failures in a row" value={form.retries} placeholder="3" onChange={(retries) => set({ retries })} />
          <TextField label="Passes in a row" value={form.successThreshold} placeholder="1" onChange={(successThreshold) => set({ successThreshold })} />
          <TextField label="Interval" value={form.interval} placeholder="1s" onChange={(interval) => set({ interval })} />
          <TextField label="Probe timeout" value={form.timeout} placeholder="5s" onChange={(timeout) => set({ timeout })} />
        </div>
      )}
    </div>
  );
}
