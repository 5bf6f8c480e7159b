// Advisories and rules in words (UI.md: no raw enum names). Pure.
import type { Advisory, AdvisoryRule } from './api';
import type { Tone } from '../ui/status';

export interface SeverityLook {
  tone: Tone;
  icon: string;
  word: string;
}

export function severityLook(severity: string): SeverityLook {
  if (severity === 'critical') return { tone: 'bad', icon: '✕', word: 'Critical' };
  if (severity === 'warning') return { tone: 'wait', icon: '!', word: 'Warning' };
  if (severity === 'info') return { tone: 'idle', icon: 'i', word: 'Info' };
  return { tone: 'idle', icon: '○', word: severity ? severity.charAt(0).toUpperCase() + severity.slice(1) : 'Unknown' };
}

const SEVERITY_RANK: Record<string, number> = { critical: 0, warning: 1, info: 2 };

// A number as the server's {:g} writes it: at most 6 significant digits, no trailing zeros.
export function formatNumber(value: number): string {
  return String(Number(value.toPrecision(6)));
}

export function withUnit(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const n = formatNumber(value);
  if (!unit) return n;
  return unit === '%' ? `${n}%` : `${n} ${unit}`;
}

// "Observed 12% against a threshold of 5%" (or "" when neither is known).
export function observedText(a: Pick<Advisory, 'observed' | 'threshold'>, unit = ''): string {
  if (a.observed === null && a.threshold === null) return '';
  if (a.threshold === null) return `Observed ${withUnit(a.observed, unit)}`;
  return `Observed ${withUnit(a.observed, unit)} against a threshold of ${withUnit(a.threshold, unit)}`;
}

export interface AdvisoryGroups {
  open: Advisory[]; // most severe first, then newest
  resolved: Advisory[]; // most recently resolved first
}

export function groupAdvisories(items: Advisory[]): AdvisoryGroups {
  const open = items.filter((a) => a.status === 'open');
  const resolved = items.filter((a) => a.status !== 'open');
  open.sort(
    (a, b) => (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) || b.created_at.localeCompare(a.created_at),
  );
  resolved.sort((a, b) => (b.resolved_at ?? b.updated_at).localeCompare(a.resolved_at ?? a.updated_at));
  return { open, resolved };
}

// "5 min", "24 h", "90 days", "1 h 30 min".
export function windowText(seconds: number): string {
  if (seconds % 86400 === 0 && seconds >= 86400 * 2) return `${seconds / 86400} days`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

// "Average of error_rate_pct above 1%": what the rule watches, in words.
export function ruleCondition(r: AdvisoryRule): string {
  const limit = `${r.comparison === 'below' ? 'below' : 'above'} ${withUnit(r.threshold, r.unit)}`;
  if (r.input === 'deployments') return `Deployment success rate ${limit}`;
  if (r.input === 'executions') return `More than ${formatNumber(r.threshold)} running longer than ${windowText(r.window_seconds)}`;
  const aggregate = r.aggregate ? `${r.aggregate.charAt(0).toUpperCase()}${r.aggregate.slice(1)} of ` : '';
  return `${aggregate}${r.metric ?? 'the metric'} ${limit}`;
}

export const SOURCE_WORD: Record<string, string> = {
  default: 'Default',
  global: 'Global setting',
  project: 'This project',
};
