// The words a DAG node shows and says (screen readers hear "build, failed").
import { durationBetween } from '../ui/format';
import { statusLook } from '../ui/status';
import type { DagNodeState } from './model';

export function accessibleName(s: DagNodeState): string {
  return `${s.name}, ${statusLook(s.status).word.toLowerCase()}`;
}

// Finished nodes show their recorded duration; running ones the time since
// they started (ticking); nodes that never started show none.
export function nodeDurationMs(s: DagNodeState, now: number): number | null {
  if (s.durationMs !== null && s.status !== 'running') return s.durationMs;
  if (s.status === 'running') return durationBetween(s.startedAt, null, now);
  return durationBetween(s.startedAt, s.completedAt, now);
}

export function attemptText(s: DagNodeState): string | null {
  if (s.maxAttempts <= 1 && s.attempt <= 1) return null;
  return `attempt ${Math.max(1, s.attempt)}/${s.maxAttempts}`;
}
