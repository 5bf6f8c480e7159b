// An agent's status: icon + word on its tone, and the reason in words
// beneath ("no heartbeat for 52 s, lease timeout 30 s").
import { TONE_CLASS } from '../ui/status';
import type { AgentStatusWords } from './status';

export function AgentStatusCell({ words, status }: { words: AgentStatusWords; status: string }) {
  return (
    <div className="flex flex-col items-start gap-0.5">
      <span
        data-testid="agent-status"
        data-status={status}
        className={`inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${TONE_CLASS[words.tone]}`}
      >
        <span aria-hidden="true">{words.icon}</span>
        {words.word}
      </span>
      {words.why && (
        <span data-testid="agent-status-why" className="text-xs text-muted">
          {words.why}
        </span>
      )}
    </div>
  );
}
