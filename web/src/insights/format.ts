// How insight values are written (pure): trends as an arrow and a word (never
// colour alone), flakiness as a percentage, exit codes in words.
import type { Trend } from './api';

export const TREND_TEXT: Record<Trend, { arrow: string; word: string; tone: string }> = {
  slower: { arrow: '↑', word: 'Slower', tone: 'text-bad' },
  faster: { arrow: '↓', word: 'Faster', tone: 'text-ok' },
  steady: { arrow: '→', word: 'Steady', tone: 'text-muted' },
  new: { arrow: '•', word: 'New', tone: 'text-muted' },
};

// 0.333 → "33%".
export function formatScore(score: number): string {
  if (!Number.isFinite(score)) return '—';
  return `${Math.round(score * 100)}%`;
}

export function formatExitCode(code: number | null): string {
  return code === null ? 'no exit code' : `exit ${code}`;
}

// "3 of 4 runs": what a flakiness score is made of.
export function flakyReason(n: { runs: number; passed_after_retry: number; flips: number }): string {
  const parts: string[] = [];
  if (n.passed_after_retry > 0) parts.push(`passed after a retry ${n.passed_after_retry}×`);
  if (n.flips > 0) parts.push(`flipped ${n.flips}× on the same commit or branch`);
  return `${parts.join(', ')} in ${n.runs} run${n.runs === 1 ? '' : 's'}`;
}
