// A labelled form control for the settings forms, with the server's error
// when it names this field.
import { useId, type InputHTMLAttributes } from 'react';

export const inputClass = 'rounded border border-border bg-surface px-2 py-1 text-sm text-fg';

export function Field({
  label,
  hint,
  error,
  className = '',
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; error?: string }) {
  const hintId = useId();
  return (
    <label className={`flex flex-col gap-0.5 text-xs font-medium text-muted ${className}`}>
      {label}
      <input
        {...input}
        aria-invalid={error ? true : undefined}
        aria-describedby={hint || error ? hintId : undefined}
        className={`${inputClass} ${error ? 'border-bad' : ''} ${input.type === 'checkbox' ? 'self-start' : ''}`}
      />
      {(error || hint) && (
        <span id={hintId} className={`font-normal ${error ? 'text-bad' : 'text-muted'}`}>
          {error ?? hint}
        </span>
      )}
    </label>
  );
}
