// A node's environment variables as name/value rows.
import { Button } from '../ui/Button';
import type { EnvRow } from './nodeFields';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function EnvEditor({ rows, onChange }: { rows: EnvRow[]; onChange: (rows: EnvRow[]) => void }) {
  const set = (i: number, row: EnvRow) => onChange(rows.map((r, j) => (j === i ? row : r)));
  return (
    <div className="flex flex-col gap-1">
      {rows.map(([name, value], i) => (
        <div key={i} className="flex items-center gap-1">
          <input
            aria-label={`Variable ${i + 1} name`}
            aria-invalid={name !== '' && !ENV_NAME.test(name) ? true : undefined}
            value={name}
            placeholder="NAME"
            onChange={(e) => set(i, [e.target.value, value])}
            className={`w-2/5 rounded border bg-surface px-1.5 py-1 font-mono text-xs ${name !== '' && !ENV_NAME.test(name) ? 'border-bad' : 'border-border'}`}
          />
          <span aria-hidden="true">=</span>
          <input
            aria-label={`Variable ${name || i + 1} value`}
            value={value}
            onChange={(e) => set(i, [name, e.target.value])}
            className="min-w-0 flex-1 rounded border border-border bg-surface px-1.5 py-1 font-mono text-xs"
          />
          <Button size="sm" variant="ghost" onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={`Remove variable ${name || i + 1}`}>
            ✕
          </Button>
        </div>
      ))}
      <div>
        <Button size="sm" onClick={() => onChange([...rows, ['', '']])}>
          Add a variable
        </Button>
      </div>
    </div>
  );
}
