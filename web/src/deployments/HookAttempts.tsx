// The deployment's hook attempts (migrate, seed, rollback) with their
// outcome and the backoff before the next one, read from the deploy node's
// log (hookAttempts.ts).
import { formatAbsolute } from '../ui/format';
import type { HookAttempt } from './hookAttempts';
import { TableHead } from './TableHead';

const OUTCOME: Record<HookAttempt['outcome'], [string, string]> = {
  succeeded: ['✓ succeeded', 'text-ok'],
  failed: ['✕ failed', 'text-bad'],
  running: ['◔ running', 'text-run'],
};

export function HookAttempts({ attempts }: { attempts: HookAttempt[] }) {
  if (attempts.length === 0) return <p className="text-sm text-muted">No hook ran (the deploy node defines no migrate, seed or rollback hook).</p>;
  return (
    <table className="w-full text-left text-sm" aria-label="Hook attempts">
      <TableHead columns={[{ name: 'Hook' }, { name: 'Attempt' }, { name: 'Outcome' }, { name: 'Then' }]} />
      <tbody>
        {attempts.map((a) => {
          const [word, tone] = OUTCOME[a.outcome];
          return (
            <tr key={`${a.hook}#${a.attempt}`} data-testid="hook-attempt" className="border-t border-border">
              <td className="py-1 pr-3 font-mono">{a.hook}</td>
              <td className="pr-3 whitespace-nowrap" title={a.at ? formatAbsolute(a.at) : undefined}>
                {a.attempt} of {a.of}
              </td>
              <td className={`pr-3 ${tone}`}>
                {word}
                {a.failure && <span className="text-muted"> ({a.failure})</span>}
              </td>
              <td className="text-muted">{a.nextIn ? `retried after ${a.nextIn} (backoff)` : (a.finalWords ?? '')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
