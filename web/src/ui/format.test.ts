import { describe, expect, it } from 'vitest';
import { durationBetween, formatAbsolute, formatDuration, formatRelative, shortSha } from './format';

describe('formatDuration', () => {
  it('writes durations the way the UI guide says', () => {
    expect(formatDuration(450)).toBe('450ms');
    expect(formatDuration(4_000)).toBe('4s');
    expect(formatDuration(64_000)).toBe('1m 04s');
    expect(formatDuration(3_725_000)).toBe('1h 02m');
    expect(formatDuration(null)).toBe('—');
  });
});

const now = Date.parse('2026-12-05T12:00:00Z');

describe('formatRelative', () => {
  it('says how long ago, in words', () => {
    expect(formatRelative('2026-12-05T11:57:00Z', now)).toBe('3 min ago');
    expect(formatRelative('2026-12-05T09:00:00Z', now)).toBe('3 h ago');
    expect(formatRelative('2026-12-05T12:00:05Z', now)).toBe('just now');
    expect(formatRelative('2026-12-05T12:30:00Z', now)).toBe('in 30 min');
  });
});

describe('ids', () => {
  it('shortens a SHA to 7 characters and measures open durations against now', () => {
    expect(shortSha('1011ca6f00d')).toBe('1011ca6');
    expect(durationBetween('2026-12-05T11:59:00Z', null, now)).toBe(60_000);
  });
});

describe('formatAbsolute', () => {
  it('writes the date, time and zone (no throw from Intl)', () => {
    expect(formatAbsolute('2026-12-05T12:00:00Z')).toMatch(/2026.*\d\d:\d\d:\d\d/);
    expect(formatAbsolute('nonsense')).toBe('');
  });
});
