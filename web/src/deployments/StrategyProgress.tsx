// The strategy's steps as a row of chips (done ✓, current ◔, failed ✕, to
// do ○) with the phase in words, and for a canary the traffic weight bar.
import { phaseWords, strategySteps, type StepState } from './strategyProgress';
import type { Deployment } from './types';

const MARK: Record<StepState, string> = { done: '✓', current: '◔', failed: '✕', todo: '○' };
const TONE: Record<StepState, string> = {
  done: 'border-ok/40 bg-ok/10 text-ok',
  current: 'border-run/40 bg-run/10 text-run',
  failed: 'border-bad/40 bg-bad/10 text-bad',
  todo: 'border-border text-muted',
};
const STRATEGY: Record<string, string> = { rolling: 'Rolling', blue_green: 'Blue/green', canary: 'Canary' };

export function StrategyProgress({ deployment: d, logMessages }: { deployment: Deployment; logMessages: string[] }) {
  const steps = strategySteps(d, logMessages);
  return (
    <div data-testid="strategy-progress" className="flex flex-col gap-2">
      <p className="text-sm">
        <span className="font-medium">{STRATEGY[d.strategy ?? ''] ?? d.strategy ?? 'Rolling'}</span>
        <span className="text-muted"> — {phaseWords(d.phase, d)}</span>
        {d.strategy === 'blue_green' && d.slot && (
          <span className="text-muted">; new version in the {d.slot} slot</span>
        )}
      </p>
      <ol aria-label="Strategy steps" className="flex flex-wrap items-center gap-1.5">
        {steps.map((s, i) => (
          <li key={s.key} data-state={s.state} className="flex items-center gap-1.5">
            {i > 0 && <span aria-hidden="true" className="text-muted">→</span>}
            <span className={`rounded border px-2 py-0.5 text-xs font-medium ${TONE[s.state]}`}>
              <span aria-hidden="true">{MARK[s.state]} </span>
              {s.label}
              <span className="sr-only">, {s.state === 'todo' ? 'to do' : s.state}</span>
            </span>
          </li>
        ))}
      </ol>
      {d.strategy === 'canary' && (
        <div className="flex items-center gap-2 text-xs">
          <span className="text-muted">Traffic to the new version</span>
          <div
            role="meter"
            aria-label="Canary weight"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={d.canary_weight}
            className="h-2 w-64 overflow-hidden rounded bg-surface-2"
          >
            <div className="h-full bg-run" style={{ width: `${d.canary_weight}%` }} />
          </div>
          <span className="font-mono">{d.canary_weight}%</span>
        </div>
      )}
    </div>
  );
}
