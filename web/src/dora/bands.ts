// DORA performance bands (pure): which cluster a project's four key metrics
// fall in. Thresholds follow the performance clusters of Google Cloud's
// "Accelerate State of DevOps Report 2023" (dora.dev/research/2023):
//   deployment frequency  Elite: on demand (daily or more often)
//                         High: between once per day and once per week
//                         Medium: between once per week and once per month
//                         Low: less often than once per month
//   lead time for changes Elite: less than one day; High: one day to one week;
//                         Medium: one week to one month; Low: longer
//   change failure rate   Elite 5%, High 10%, Medium 15%, Low 64% (the
//                         clusters' medians; read here as upper bounds:
//                         ≤ 5% Elite, ≤ 10% High, ≤ 15% Medium, else Low)
//   failed deployment     Elite: less than one hour; High: less than one day;
//   recovery time         Medium: one day to one week; Low: longer
// Edges: a value exactly on a boundary takes the better band for "at least"
// thresholds (one deployment per day is Elite, one per week High, one per
// month Medium; a 5% failure rate is Elite) and the worse band for "less
// than" thresholds (a lead time of exactly one day is High).
export type Band = 'elite' | 'high' | 'medium' | 'low';

export const BAND_ORDER: readonly Band[] = ['elite', 'high', 'medium', 'low'];

const HOUR = 3600;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;

// Deployment frequencies come as deployments per day divided by the window's
// days: 1 in 7 days must count as once a week despite floating point.
const EPSILON = 1e-9;

export function deploymentFrequencyBand(perDay: number): Band {
  if (perDay >= 1 - EPSILON) return 'elite';
  if (perDay * 7 >= 1 - EPSILON) return 'high';
  if (perDay * 30 >= 1 - EPSILON) return 'medium';
  return 'low';
}

export function leadTimeBand(seconds: number): Band {
  if (seconds < DAY) return 'elite';
  if (seconds < WEEK) return 'high';
  if (seconds < MONTH) return 'medium';
  return 'low';
}

export function changeFailureRateBand(rate: number): Band {
  if (rate <= 0.05 + EPSILON) return 'elite';
  if (rate <= 0.1 + EPSILON) return 'high';
  if (rate <= 0.15 + EPSILON) return 'medium';
  return 'low';
}

export function timeToRestoreBand(seconds: number): Band {
  if (seconds < HOUR) return 'elite';
  if (seconds < DAY) return 'high';
  if (seconds < WEEK) return 'medium';
  return 'low';
}

export const BAND_WORD: Record<Band, string> = { elite: 'Elite', high: 'High', medium: 'Medium', low: 'Low' };
