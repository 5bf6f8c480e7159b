// The advisory rule editor's form: its text fields, their checks (the
// server's, said before sending: docs/api.md "Advisory rule settings") and
// the change to send (only the fields that differ from what is in force).
// Pure.
import type { AdvisoryRule, RuleChange } from './api';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export const MIN_WINDOW_SECONDS = 60;
export const MAX_WINDOW_SECONDS = 7_776_000; // 90 days

export interface RuleForm {
  threshold: string;
  window_seconds: string;
  severity: string;
  enabled: boolean;
}

export type RuleFormErrors = Partial<Record<'threshold' | 'window_seconds' | 'severity', string>>;

export function formFor(rule: AdvisoryRule): RuleForm {
  return { threshold: String(rule.threshold), window_seconds: String(rule.window_seconds), severity: rule.severity, enabled: rule.enabled };
}

// A decimal number as typed ("12", "0.5", "1e2"); NaN for anything else ("", "12abc", "Infinity").
function parseNumber(text: string): number {
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number.NaN;
  return Number(t);
}

export function checkForm(form: RuleForm, rule: Pick<AdvisoryRule, 'unit'>): RuleFormErrors {
  const errors: RuleFormErrors = {};
  const threshold = parseNumber(form.threshold);
  if (!Number.isFinite(threshold)) errors.threshold = 'Enter a number, such as 5 or 0.5';
  else if (threshold < 0) errors.threshold = 'The threshold cannot be negative';
  else if (rule.unit === '%' && threshold > 100) errors.threshold = 'A percentage is at most 100';
  const window = parseNumber(form.window_seconds);
  if (!Number.isInteger(window)) errors.window_seconds = 'Enter a whole number of seconds';
  else if (window < MIN_WINDOW_SECONDS || window > MAX_WINDOW_SECONDS)
    errors.window_seconds = `Between ${MIN_WINDOW_SECONDS} s (1 min) and ${MAX_WINDOW_SECONDS} s (90 days)`;
  if (!(SEVERITIES as readonly string[]).includes(form.severity)) errors.severity = 'Choose info, warning or critical';
  return errors;
}

// The fields that changed, for PUT /api/v1/advisory-rules/{rule} in the
// scope (projectId "" = global); null when nothing changed.
export function changeFrom(form: RuleForm, rule: AdvisoryRule, projectId: string): RuleChange | null {
  const change: RuleChange = {};
  const threshold = parseNumber(form.threshold);
  const window = parseNumber(form.window_seconds);
  if (threshold !== rule.threshold) change.threshold = threshold;
  if (window !== rule.window_seconds) change.window_seconds = window;
  if (form.severity !== rule.severity) change.severity = form.severity;
  if (form.enabled !== rule.enabled) change.enabled = form.enabled;
  if (Object.keys(change).length === 0) return null;
  if (projectId) change.project_id = projectId;
  return change;
}

// Back to inheriting every field in the scope.
export function inheritChange(projectId: string): RuleChange {
  const change: RuleChange = { threshold: null, window_seconds: null, severity: null, enabled: null };
  if (projectId) change.project_id = projectId;
  return change;
}

// Whether the scope itself overrides the rule (so "inherit again" means something).
export function overriddenHere(rule: Pick<AdvisoryRule, 'source'>, projectId: string): boolean {
  return rule.source === (projectId ? 'project' : 'global');
}
