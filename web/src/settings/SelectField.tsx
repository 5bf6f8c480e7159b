// A labelled select for the settings forms, with the server's error when it
// names this field.
import type { ReactNode, SelectHTMLAttributes } from 'react';
import { inputClass } from './Field';

export function SelectField({ label, error, children, ...select }: SelectHTMLAttributes<HTMLSelectElement> & { label: string; error?: string; children: ReactNode }) {
  return (
    <label className="flex flex-col gap-0.5 text-xs font-medium text-muted">
      {label}
      <select {...select} aria-invalid={error ? true : undefined} className={`${inputClass} ${error ? 'border-bad' : ''}`}>
        {children}
      </select>
      {error && <span className="font-normal text-bad">{error}</span>}
    </label>
  );
}
