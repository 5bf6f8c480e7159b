// Where a deployment is in its strategy, as steps to draw: rolling
// (deploy → health check), blue/green (deploy into the idle slot → health
// check → switch), canary (deploy at 0% → the weights it went through →
// promoted). The deployment row gives the current phase, slot and weight;
// the canary's past weights come from its log ("canary paused at 10% …",
// "canary promoted at 100%", "aborting the canary at 50%: …"), since the
// planned steps are not in the API. Pure.
import type { Deployment } from './types';

export type StepState = 'done' | 'current' | 'todo' | 'failed';

export interface Step {
  key: string;
  label: string;
  state: StepState;
}

const FINISHED_OK = new Set(['success']);
const FINISHED_BAD = new Set(['failed', 'rolled_back', 'cancelled', 'blocked']);

const ENDED: Record<string, string> = {
  success: 'Finished: the new version serves the traffic',
  rolled_back: 'Rolled back: the stable version serves the traffic',
  cancelled: 'Cancelled',
  blocked: 'Blocked before anything changed (a pre-deploy hook failed)',
};

// The phase in words; a finished deployment says how it ended (its last
// phase stays on the row), a failed one where it failed.
export function phaseWords(phase: string | null, d: Pick<Deployment, 'slot' | 'canary_weight' | 'status'>): string {
  const ended = ENDED[d.status];
  if (ended) return ended;
  if (d.status === 'failed') return phase ? `Failed while ${runningWords(phase, d).toLowerCase()}` : 'Failed';
  return runningWords(phase, d);
}

function runningWords(phase: string | null, d: Pick<Deployment, 'slot' | 'canary_weight' | 'status'>): string {
  if (!phase) return d.status === 'pending' ? 'Waiting to start' : 'Not started';
  if (phase === 'deploying') return d.slot ? `Deploying into the ${d.slot} slot` : 'Deploying';
  if (phase === 'health_check') return 'Checking health';
  if (phase === 'switching') return `Switching traffic to the ${d.slot ?? 'new'} slot`;
  if (phase === 'paused') return `Paused at ${d.canary_weight}%`;
  if (phase === 'analysis') return `Analysing the canary at ${d.canary_weight}%`;
  if (phase === 'rolling_back') return 'Rolling back';
  if (phase.startsWith('canary ')) return `Canary at ${phase.slice(7)}`;
  if (phase.startsWith('hook ')) return `Running the ${phase.slice(5)} hook`;
  return phase.replace(/_/g, ' ');
}

// The weights a canary reached, in order, from its log lines.
export function canaryWeights(messages: string[]): number[] {
  const seen: number[] = [];
  for (const m of messages) {
    const hit = /^(?:canary (?:paused|promoted) at|aborting the canary at) (\d+)%/.exec(m.trim());
    if (!hit) continue;
    const w = Number(hit[1]);
    if (seen[seen.length - 1] !== w) seen.push(w);
  }
  return seen;
}

function order(steps: { key: string; label: string }[], currentKey: string | null, status: string): Step[] {
  const at = currentKey === null ? -1 : steps.findIndex((s) => s.key === currentKey);
  const ok = FINISHED_OK.has(status);
  const bad = FINISHED_BAD.has(status);
  return steps.map((s, i) => {
    let state: StepState = 'todo';
    if (ok) state = 'done';
    else if (at >= 0 && i < at) state = 'done';
    else if (i === at) state = bad ? 'failed' : 'current';
    return { ...s, state };
  });
}

export function strategySteps(d: Pick<Deployment, 'strategy' | 'phase' | 'slot' | 'canary_weight' | 'status'>, logMessages: string[] = []): Step[] {
  const phase = d.phase ?? '';
  const status = d.status;
  const bad = FINISHED_BAD.has(status);
  if (d.strategy === 'canary') {
    const weights = canaryWeights(logMessages);
    if (d.canary_weight > 0 && !weights.includes(d.canary_weight) && !bad) weights.push(d.canary_weight);
    const steps = [{ key: 'deploying', label: `Deploy at 0%${d.slot ? ` (${d.slot} slot)` : ''}` }];
    for (const w of weights) steps.push({ key: `w${w}`, label: `${w}%` });
    if (!weights.includes(100)) steps.push({ key: 'w100', label: '100%' });
    const current = phase === 'deploying' || phase.startsWith('hook') ? 'deploying' : d.canary_weight > 0 ? `w${d.canary_weight}` : bad ? `w${weights[weights.length - 1] ?? 100}` : 'deploying';
    return order(steps, current, status);
  }
  if (d.strategy === 'blue_green') {
    const steps = [
      { key: 'deploying', label: `Deploy into ${d.slot ?? 'the idle'} slot` },
      { key: 'health_check', label: 'Health check' },
      { key: 'switching', label: `Switch traffic to ${d.slot ?? 'it'}` },
    ];
    const current = phase.startsWith('hook') ? 'deploying' : phase === 'rolling_back' ? 'switching' : phase || null;
    return order(steps, current, status);
  }
  const steps = [
    { key: 'deploying', label: 'Deploy' },
    { key: 'health_check', label: 'Health check' },
  ];
  const current = phase.startsWith('hook') ? 'deploying' : phase === 'rolling_back' ? 'health_check' : phase || null;
  return order(steps, current, status);
}
