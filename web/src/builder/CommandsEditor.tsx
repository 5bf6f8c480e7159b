// A node's commands: one command (`run`) or several named steps (`steps`).
import { Button } from '../ui/Button';
import { TextArea, TextField } from './fields';
import type { StepRow } from './nodeFields';

export function CommandsEditor({ rows, onChange, required }: { rows: StepRow[]; onChange: (rows: StepRow[]) => void; required: boolean }) {
  const shown = rows.length ? rows : [{ name: '', run: '' }];
  const set = (i: number, row: StepRow) => onChange(shown.map((r, j) => (j === i ? row : r)));
  const several = shown.length > 1;
  return (
    <div className="flex flex-col gap-2">
      {shown.map((row, i) => (
        <div key={i} className={several ? 'flex flex-col gap-1 rounded border border-border p-2' : 'flex flex-col gap-1'}>
          {several && <TextField label={`Step ${i + 1} name`} value={row.name} placeholder={`step ${i + 1}`} onChange={(name) => set(i, { ...row, name })} />}
          <TextArea
            label={several ? `Step ${i + 1} command` : 'Command'}
            testId="builder-field-run"
            value={row.run}
            placeholder={required ? 'e.g. make build (required)' : 'optional'}
            onChange={(run) => set(i, { ...row, run })}
          />
          {several && (
            <Button size="sm" variant="ghost" onClick={() => onChange(shown.filter((_, j) => j !== i))} aria-label={`Remove step ${i + 1}`}>
              Remove step
            </Button>
          )}
        </div>
      ))}
      <div>
        <Button size="sm" onClick={() => onChange([...shown, { name: '', run: '' }])}>
          Add a step
        </Button>
      </div>
    </div>
  );
}
