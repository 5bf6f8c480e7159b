import { describe, expect, it } from 'vitest';
import { flakyReason, formatExitCode, formatScore, TREND_TEXT } from './format';

describe('insight formats', () => {
  it('writes scores as whole percentages', () => {
    expect(formatScore(1)).toBe('100%');
    expect(formatScore(1 / 3)).toBe('33%');
    expect(formatScore(Number.NaN)).toBe('—');
  });

  it('says what a flakiness score is made of', () => {
    expect(flakyReason({ runs: 1, passed_after_retry: 1, flips: 0 })).toBe('passed after a retry 1× in 1 run');
    expect(flakyReason({ runs: 5, passed_after_retry: 0, flips: 2 })).toBe('flipped 2× on the same commit or branch in 5 runs');
  });

  it('names exit codes and gives every trend an arrow and a word', () => {
    expect(formatExitCode(null)).toBe('no exit code');
    expect(formatExitCode(137)).toBe('exit 137');
    for (const t of Object.values(TREND_TEXT)) {
      expect(t.arrow).not.toBe('');
      expect(t.word).not.toBe('');
    }
  });
});
