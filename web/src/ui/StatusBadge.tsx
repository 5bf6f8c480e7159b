import { statusLook, TONE_CLASS } from './status';

// The status as icon + word on its tone's colour; `label` overrides the word
// (e.g. "Waiting for 1 more approval").
export function StatusBadge({ status, label }: { status: string | null | undefined; label?: string }) {
  const look = statusLook(status);
  return (
    <span
      data-testid="status-badge"
      data-status={status ?? ''}
      className={`inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${TONE_CLASS[look.tone]}`}
    >
      <span aria-hidden="true" className={status === 'running' ? 'animate-spin inline-block' : ''}>
        {look.icon}
      </span>
      {label ?? look.word}
    </span>
  );
}
