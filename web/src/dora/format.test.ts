import { describe, expect, it } from 'vitest';
import { dayLabel, seriesSummary } from './DoraChart';
import { formatFrequency, formatLongDuration, formatRate, leadTimeStart } from './format';

describe('formatFrequency', () => {
  it('writes per day from once a day, per week from once a week, per month below', () => {
    expect(formatFrequency(3.456)).toBe('3.5 per day');
    expect(formatFrequency(1)).toBe('1 per day');
    expect(formatFrequency(2 / 7)).toBe('2 per week');
    expect(formatFrequency(1 / 7)).toBe('1 per week');
    expect(formatFrequency(1 / 30)).toBe('1 per month');
    expect(formatFrequency(1 / 90)).toBe('0.3 per month');
  });
  it('says None for no deployments and — for nonsense', () => {
    expect(formatFrequency(0)).toBe('None');
    expect(formatFrequency(Number.NaN)).toBe('—');
    expect(formatFrequency(-1)).toBe('—');
  });
});

describe('formatLongDuration', () => {
  it('uses the shared short form below a day and days and hours from a day on', () => {
    expect(formatLongDuration(45)).toBe('45s');
    expect(formatLongDuration(64)).toBe('1m 04s');
    expect(formatLongDuration(3 * 3600 + 5 * 60)).toBe('3h 05m');
    expect(formatLongDuration(86400)).toBe('1d');
    expect(formatLongDuration(2 * 86400 + 4 * 3600 + 59)).toBe('2d 4h');
  });
  it('writes — for no value', () => {
    expect(formatLongDuration(null)).toBe('—');
    expect(formatLongDuration(-5)).toBe('—');
  });
});

describe('formatRate', () => {
  it('writes a percentage with at most one decimal', () => {
    expect(formatRate(0)).toBe('0%');
    expect(formatRate(0.125)).toBe('12.5%');
    expect(formatRate(1 / 3)).toBe('33.3%');
    expect(formatRate(null)).toBe('—');
  });
});

describe('the chart’s words', () => {
  it('labels a day as its calendar date and sums the series for screen readers', () => {
    expect(dayLabel('2026-12-05')).toMatch(/Dec\s+5|5\s+Dec/);
    expect(dayLabel('not a date')).toBe('not a date');
    expect(
      seriesSummary([
        { date: '2026-12-04', deployments: 2, failures: 1 },
        { date: '2026-12-05', deployments: 3, failures: 0 },
      ]),
    ).toBe('Deployments per day over 2 days: 5 deployments, 1 failed');
  });
});

describe('leadTimeStart', () => {
  it('names where the lead time starts', () => {
    expect(leadTimeStart('commit_time')).toBe('commit');
    expect(leadTimeStart('execution_created')).toBe('execution start (commit times unknown)');
    expect(leadTimeStart('mixed')).toMatch(/^commit \(execution start/);
  });
});
