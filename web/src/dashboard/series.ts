// What the dashboard's charts draw, computed from a list of executions. Pure.
import type { Execution } from '../api/types';
import { displayStatus } from '../executions/displayStatus';
import { durationBetween } from '../ui/format';

export type Range = '24h' | '7d';
export const RANGE_MS: Record<Range, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000 };
const BUCKET_MS: Record<Range, number> = { '24h': 3_600_000, '7d': 86_400_000 };

// The stacked series, in drawing order (bottom first), and their words.
export const OUTCOMES = ['success', 'failed', 'running', 'waiting', 'cancelled'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_WORD: Record<Outcome, string> = {
  success: 'Succeeded',
  failed: 'Failed or blocked',
  running: 'Running',
  waiting: 'Waiting',
  cancelled: 'Cancelled',
};

export function outcomeOf(e: Pick<Execution, 'status' | 'governance_status' | 'blocked_reason'>): Outcome {
  const s = displayStatus(e);
  if (s === 'success' || s === 'warning') return 'success';
  if (s === 'failed' || s === 'blocked') return 'failed';
  if (s === 'running') return 'running';
  if (s === 'cancelled') return 'cancelled';
  return 'waiting';
}

export type Bucket = { start: number } & Record<Outcome, number>;

// Executions per hour (24 h) or per day (7 d), by outcome; the last bucket
// ends at `now`. An execution counts where it started (or was created).
export function executionsOverTime(executions: Execution[], range: Range, now: number): Bucket[] {
  const size = BUCKET_MS[range];
  const count = Math.round(RANGE_MS[range] / size);
  const end = Math.floor(now / size) * size + size;
  const first = end - count * size;
  const buckets: Bucket[] = Array.from({ length: count }, (_, i) => ({
    start: first + i * size,
    success: 0,
    failed: 0,
    running: 0,
    waiting: 0,
    cancelled: 0,
  }));
  for (const e of executions) {
    const t = Date.parse(e.started_at ?? e.created_at);
    if (!Number.isFinite(t) || t < first || t >= end) continue;
    buckets[Math.floor((t - first) / size)]![outcomeOf(e)] += 1;
  }
  return buckets;
}

export interface DurationPoint {
  id: string;
  name: string;
  start: number;
  seconds: number;
  outcome: Outcome;
}

// Finished executions' durations, oldest first (the newest `limit`).
export function durations(executions: Execution[], limit = 40): DurationPoint[] {
  const points: DurationPoint[] = [];
  for (const e of executions) {
    if (!e.started_at || !e.completed_at) continue;
    const ms = durationBetween(e.started_at, e.completed_at);
    if (ms === null) continue;
    points.push({ id: e.id, name: e.name, start: Date.parse(e.started_at), seconds: ms / 1000, outcome: outcomeOf(e) });
  }
  points.sort((a, b) => a.start - b.start);
  return points.slice(-limit);
}
