// How the DORA values are written (pure): frequencies in the unit that keeps
// the number readable, long durations in days, rates as percentages.
import { formatDuration } from '../ui/format';

const one = (n: number) => String(Math.round(n * 10) / 10);

// "3.5 per day", "2 per week", "0.5 per month"; "None" for no deployments.
export function formatFrequency(perDay: number): string {
  if (!Number.isFinite(perDay) || perDay < 0) return '—';
  if (perDay === 0) return 'None';
  if (perDay >= 1) return `${one(perDay)} per day`;
  if (perDay * 7 >= 1) return `${one(perDay * 7)} per week`;
  return `${one(perDay * 30)} per month`;
}

// Below a day as `1h 04m` / `3m 05s` (ui/format); from a day on as `2d 4h`.
export function formatLongDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 86400) return formatDuration(seconds * 1000);
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
}

// 0.125 → "12.5%"; null → "—".
export function formatRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  return `${Math.round(rate * 1000) / 10}%`;
}

// Where the lead time starts: the commit when the trigger said when it was
// made, else the execution's start (a "mixed" basis has both).
export function leadTimeStart(basis: string): string {
  if (basis === 'commit_time') return 'commit';
  if (basis === 'mixed') return 'commit (execution start where the commit time is unknown)';
  return 'execution start (commit times unknown)';
}
