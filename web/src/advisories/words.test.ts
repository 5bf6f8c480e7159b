import { describe, expect, it } from 'vitest';
import type { Advisory, AdvisoryRule } from './api';
import { groupAdvisories, observedText, ruleCondition, severityLook, windowText, withUnit } from './words';

const advisory = (id: string, over: Partial<Advisory>): Advisory => ({
  id,
  project_id: 'p1',
  rule: 'error_rate',
  severity: 'warning',
  title: 't',
  message: 'm',
  observed: 2,
  threshold: 1,
  status: 'open',
  created_at: '2026-12-05T10:00:00.000Z',
  updated_at: '2026-12-05T10:00:00.000Z',
  resolved_at: null,
  ...over,
});

describe('advisory words', () => {
  it('names severities in words with an icon and a tone', () => {
    expect(severityLook('critical')).toEqual({ tone: 'bad', icon: '✕', word: 'Critical' });
    expect(severityLook('warning').word).toBe('Warning');
    expect(severityLook('info').word).toBe('Info');
    expect(severityLook('odd').word).toBe('Odd');
  });

  it('writes values with their unit and the observed value against the threshold', () => {
    expect(withUnit(12.5, '%')).toBe('12.5%');
    expect(withUnit(612.3333333, 'ms')).toBe('612.333 ms');
    expect(withUnit(4, '')).toBe('4');
    expect(withUnit(null, '%')).toBe('—');
    expect(observedText({ observed: 12, threshold: 5 }, '%')).toBe('Observed 12% against a threshold of 5%');
    expect(observedText({ observed: 3, threshold: null })).toBe('Observed 3');
    expect(observedText({ observed: null, threshold: null })).toBe('');
  });

  it('lists open advisories most severe first, then newest; resolved ones most recently resolved first', () => {
    const g = groupAdvisories([
      advisory('w-old', { severity: 'warning', created_at: '2026-12-05T09:00:00.000Z' }),
      advisory('r1', { status: 'resolved', resolved_at: '2026-12-05T08:00:00.000Z' }),
      advisory('c', { severity: 'critical', created_at: '2026-12-05T08:00:00.000Z' }),
      advisory('w-new', { severity: 'warning', created_at: '2026-12-05T11:00:00.000Z' }),
      advisory('r2', { status: 'resolved', resolved_at: '2026-12-05T09:30:00.000Z' }),
    ]);
    expect(g.open.map((a) => a.id)).toEqual(['c', 'w-new', 'w-old']);
    expect(g.resolved.map((a) => a.id)).toEqual(['r2', 'r1']);
  });

  it('says a window and a rule’s condition in words', () => {
    expect(windowText(300)).toBe('5 min');
    expect(windowText(3600)).toBe('1 h');
    expect(windowText(86400)).toBe('24 h');
    expect(windowText(5400)).toBe('1 h 30 min');
    expect(windowText(90 * 86400)).toBe('90 days');
    expect(windowText(90)).toBe('90 s');
    const rule = { input: 'metric', metric: 'http_5xx_pct', aggregate: 'average', comparison: 'above', threshold: 5, unit: '%' } as AdvisoryRule;
    expect(ruleCondition(rule)).toBe('Average of http_5xx_pct above 5%');
    expect(ruleCondition({ ...rule, input: 'deployments', comparison: 'below', threshold: 95 })).toBe('Deployment success rate below 95%');
    expect(ruleCondition({ ...rule, input: 'executions', threshold: 0, unit: '', window_seconds: 1800 })).toBe('More than 0 running longer than 30 min');
  });
});
