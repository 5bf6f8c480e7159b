import { describe, expect, it } from 'vitest';
import type { AdvisoryRule } from './api';
import { changeFrom, checkForm, formFor, inheritChange, overriddenHere } from './ruleForm';

const RULE: AdvisoryRule = {
  rule: 'http_5xx_rate',
  threshold: 5,
  window_seconds: 300,
  severity: 'critical',
  enabled: true,
  source: 'default',
  input: 'metric',
  metric: 'http_5xx_pct',
  aggregate: 'average',
  comparison: 'above',
  unit: '%',
  title: 'HTTP 5xx above 5%',
};

describe('advisory rule form', () => {
  it('accepts the rule as it is', () => {
    expect(checkForm(formFor(RULE), RULE)).toEqual({});
  });

  it('refuses thresholds that are not numbers, negative, or over 100 for a percentage', () => {
    const f = formFor(RULE);
    expect(checkForm({ ...f, threshold: '' }, RULE).threshold).toBe('Enter a number, such as 5 or 0.5');
    expect(checkForm({ ...f, threshold: '12abc' }, RULE).threshold).toBe('Enter a number, such as 5 or 0.5');
    expect(checkForm({ ...f, threshold: 'Infinity' }, RULE).threshold).toBe('Enter a number, such as 5 or 0.5');
    expect(checkForm({ ...f, threshold: '-1' }, RULE).threshold).toBe('The threshold cannot be negative');
    expect(checkForm({ ...f, threshold: '100.5' }, RULE).threshold).toBe('A percentage is at most 100');
    expect(checkForm({ ...f, threshold: '750' }, { unit: 'ms' })).toEqual({});
    expect(checkForm({ ...f, threshold: '0.5' }, RULE)).toEqual({});
  });

  it('refuses windows that are not whole seconds between 1 minute and 90 days, and unknown severities', () => {
    const f = formFor(RULE);
    expect(checkForm({ ...f, window_seconds: '90.5' }, RULE).window_seconds).toBe('Enter a whole number of seconds');
    expect(checkForm({ ...f, window_seconds: '59' }, RULE).window_seconds).toMatch(/^Between 60 s/);
    expect(checkForm({ ...f, window_seconds: '7776001' }, RULE).window_seconds).toMatch(/^Between 60 s/);
    expect(checkForm({ ...f, window_seconds: '7776000' }, RULE)).toEqual({});
    expect(checkForm({ ...f, severity: 'fatal' }, RULE).severity).toBe('Choose info, warning or critical');
  });

  it('sends only what changed, in the chosen scope', () => {
    expect(changeFrom(formFor(RULE), RULE, '')).toBeNull();
    expect(changeFrom({ ...formFor(RULE), threshold: '2.5', enabled: false }, RULE, '')).toEqual({ threshold: 2.5, enabled: false });
    expect(changeFrom({ ...formFor(RULE), window_seconds: '600', severity: 'warning' }, RULE, 'p1')).toEqual({
      window_seconds: 600,
      severity: 'warning',
      project_id: 'p1',
    });
    expect(inheritChange('p1')).toEqual({ threshold: null, window_seconds: null, severity: null, enabled: null, project_id: 'p1' });
    expect(inheritChange('')).not.toHaveProperty('project_id');
  });

  it('knows whether the scope itself overrides the rule', () => {
    expect(overriddenHere({ source: 'global' }, '')).toBe(true);
    expect(overriddenHere({ source: 'global' }, 'p1')).toBe(false);
    expect(overriddenHere({ source: 'project' }, 'p1')).toBe(true);
    expect(overriddenHere({ source: 'default' }, '')).toBe(false);
  });
});
