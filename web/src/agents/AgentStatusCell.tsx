// An agent's status: the one status badge (icon + word on its tone: online
// looks like success, lost like failed, disabled like cancelled) and the
// reason in words beneath ("no heartbeat for 52 s, lease timeout 30 s").
import { StatusBadge } from '../ui/StatusBadge';
import type { Tone } from '../ui/status';
import type { AgentStatusWords } from './status';

// A status of each tone in ui/status's vocabulary, for its colour and icon.
const TONE_STATUS: Record<Tone, string> = { ok: 'success', bad: 'failed', run: 'running', wait: 'waiting', idle: 'cancelled' };

export function AgentStatusCell({ words, status }: { words: AgentStatusWords; status: string }) {
  return (
    <div className="flex flex-col items-start gap-0.5">
      <span data-testid="agent-status" data-status={status}>
        <StatusBadge status={TONE_STATUS[words.tone]} label={words.word} />
      </span>
      {words.why && (
        <span data-testid="agent-status-why" className="text-xs text-muted">
          {words.why}
        </span>
      )}
    </div>
  );
}
