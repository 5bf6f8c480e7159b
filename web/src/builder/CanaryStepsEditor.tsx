// A canary deploy's steps: traffic weights, pauses and analyses, in order.
// Without steps the server uses 10% → pause 5m → 50% → pause 5m → 100%.
// Steps the panel cannot edit (an analysis of a URL or a health check) are
// kept and shown as such; edit them in the YAML tab.
import { Button } from '../ui/Button';
import { TextField } from './fields';
import type { CanaryRow } from './deployFields';

function RowFields({ row, n, onChange }: { row: CanaryRow; n: number; onChange: (r: CanaryRow) => void }) {
  switch (row.kind) {
    case 'set_weight':
      return <TextField label={`Step ${n}: traffic weight %`} value={row.weight} placeholder="10" onChange={(weight) => onChange({ ...row, weight })} />;
    case 'pause':
      return <TextField label={`Step ${n}: pause`} value={row.duration} placeholder="until promoted" hint="e.g. 5m; empty waits for a promotion" onChange={(duration) => onChange({ ...row, duration })} />;
    case 'analysis':
      return (
        <div className="flex flex-col gap-1">
          <TextField label={`Step ${n}: analysis command (prints a number)`} mono value={row.command} onChange={(command) => onChange({ ...row, command })} />
          <div className="grid grid-cols-2 gap-1.5">
            <TextField label="Highest value" value={row.max} placeholder="0.01" onChange={(max) => onChange({ ...row, max })} />
            <TextField label="Samples" value={row.minSamples} placeholder="5" onChange={(minSamples) => onChange({ ...row, minSamples })} />
          </div>
        </div>
      );
    default:
      return <p className="text-xs text-muted">Step {n}: an analysis this panel cannot edit (see the YAML tab).</p>;
  }
}

const NEW_ROWS: Record<'set_weight' | 'pause' | 'analysis', CanaryRow> = {
  set_weight: { kind: 'set_weight', weight: '' },
  pause: { kind: 'pause', duration: '5m' },
  analysis: { kind: 'analysis', command: '', max: '', minSamples: '' },
};

export function CanaryStepsEditor({ rows, onChange }: { rows: CanaryRow[]; onChange: (rows: CanaryRow[]) => void }) {
  return (
    <div className="flex flex-col gap-2">
      {rows.length === 0 && <p className="text-xs text-muted">Default steps: 10% → pause 5m → 50% → pause 5m → 100%.</p>}
      {rows.map((row, i) => (
        <div key={i} className="flex items-end gap-1">
          <div className="flex-1">
            <RowFields row={row} n={i + 1} onChange={(r) => onChange(rows.map((x, j) => (j === i ? r : x)))} />
          </div>
          <Button size="sm" variant="ghost" onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={`Remove canary step ${i + 1}`}>
            ✕
          </Button>
        </div>
      ))}
      <div className="flex flex-wrap gap-1">
        {(Object.keys(NEW_ROWS) as (keyof typeof NEW_ROWS)[]).map((k) => (
          <Button key={k} size="sm" onClick={() => onChange([...rows, NEW_ROWS[k]])}>
            + {k === 'set_weight' ? 'Weight' : k === 'pause' ? 'Pause' : 'Analysis'}
          </Button>
        ))}
      </div>
    </div>
  );
}
