// Small labelled form controls for the side panel: each label is tied to
// its control, hints and errors are described to screen readers.
import { useId, type ReactNode } from 'react';

const INPUT = 'w-full rounded border border-border bg-surface px-2 py-1 text-sm text-fg';

interface Common {
  label: string;
  hint?: string;
  error?: string | null;
  testId?: string;
}

function Described({ id, hint, error }: { id: string; hint?: string; error?: string | null }) {
  if (!hint && !error) return null;
  return (
    <span id={id} className={`text-xs ${error ? 'text-bad' : 'text-muted'}`}>
      {error ?? hint}
    </span>
  );
}

export function TextField({
  label,
  hint,
  error,
  testId,
  value,
  onChange,
  onCommit,
  placeholder,
  mono,
  type = 'text',
}: Common & {
  value: string;
  onChange: (v: string) => void;
  onCommit?: () => void;
  placeholder?: string;
  mono?: boolean;
  type?: 'text' | 'number';
}) {
  const id = useId();
  return (
    <label className="flex flex-col gap-0.5 text-xs font-medium text-muted" htmlFor={id}>
      {label}
      <input
        id={id}
        type={type}
        value={value}
        placeholder={placeholder}
        data-testid={testId}
        aria-invalid={error ? true : undefined}
        aria-describedby={hint || error ? `${id}-d` : undefined}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onCommit}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && onCommit) onCommit();
        }}
        className={`${INPUT} ${mono ? 'font-mono' : ''} ${error ? 'border-bad' : ''}`}
      />
      <Described id={`${id}-d`} hint={hint} error={error} />
    </label>
  );
}

export function TextArea({ label, hint, error, testId, value, onChange, rows = 3, placeholder }: Common & { value: string; onChange: (v: string) => void; rows?: number; placeholder?: string }) {
  const id = useId();
  return (
    <label className="flex flex-col gap-0.5 text-xs font-medium text-muted" htmlFor={id}>
      {label}
      <textarea
        id={id}
        rows={rows}
        value={value}
        placeholder={placeholder}
        data-testid={testId}
        spellCheck={false}
        aria-describedby={hint || error ? `${id}-d` : undefined}
        onChange={(e) => onChange(e.target.value)}
        className={`${INPUT} font-mono text-xs`}
      />
      <Described id={`${id}-d`} hint={hint} error={error} />
    </label>
  );
}

export function SelectField<T extends string>({
  label,
  hint,
  testId,
  value,
  options,
  onChange,
}: Common & { value: T; options: readonly (readonly [T, string])[]; onChange: (v: T) => void }) {
  const id = useId();
  return (
    <label className="flex flex-col gap-0.5 text-xs font-medium text-muted" htmlFor={id}>
      {label}
      <select id={id} value={value} data-testid={testId} aria-describedby={hint ? `${id}-d` : undefined} onChange={(e) => onChange(e.target.value as T)} className={INPUT}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
      <Described id={`${id}-d`} hint={hint} />
    </label>
  );
}

export function CheckField({ label, checked, onChange, hint }: { label: string; checked: boolean; onChange: (v: boolean) => void; hint?: string }) {
  const id = useId();
  return (
    <div className="flex items-start gap-2 text-sm">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} className="mt-0.5" aria-describedby={hint ? `${id}-d` : undefined} />
      <label htmlFor={id} className="flex flex-col">
        {label}
        {hint && (
          <span id={`${id}-d`} className="text-xs text-muted">
            {hint}
          </span>
        )}
      </label>
    </div>
  );
}

export function PanelSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="flex flex-col gap-2 border-t border-border pt-3">
      <legend className="pr-2 text-xs font-semibold tracking-wide text-fg uppercase">{title}</legend>
      {children}
    </fieldset>
  );
}
