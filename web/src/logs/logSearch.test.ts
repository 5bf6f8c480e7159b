import { describe, expect, it } from 'vitest';
import { firstMatchFrom, LowerCaseCache, matchCountText, matchesOnLine, searchLines, stepMatch } from './logSearch';

describe('searchLines', () => {
  const lines = ['Compiling foo', 'error: foo failed', 'ok', 'foo foo'];

  it('finds every occurrence in order, with offsets', () => {
    expect(searchLines(lines, 'foo')).toEqual([
      { line: 0, start: 10, end: 13 },
      { line: 1, start: 7, end: 10 },
      { line: 3, start: 0, end: 3 },
      { line: 3, start: 4, end: 7 },
    ]);
  });

  it('is case-insensitive for lower-case queries and exact with a capital', () => {
    expect(searchLines(lines, 'compiling').length).toBe(1);
    expect(searchLines(lines, 'Compiling').length).toBe(1);
    expect(searchLines(lines, 'COMPILING').length).toBe(0);
  });

  it('answers nothing for an empty query and honours a limit', () => {
    expect(searchLines(lines, '')).toEqual([]);
    expect(searchLines(lines, 'foo', undefined, 2).length).toBe(2);
  });

  it('the cache follows a growing log', () => {
    const cache = new LowerCaseCache();
    const growing = ['A'];
    expect(searchLines(growing, 'a', cache).length).toBe(1);
    growing.push('xa', 'A a');
    expect(searchLines(growing, 'a', cache).map((m) => m.line)).toEqual([0, 1, 2, 2]);
  });

  it('the cache follows lines replaced in place (a head filled in behind a tail)', () => {
    const cache = new LowerCaseCache();
    const lines = ['', '', 'Tail A'];
    expect(searchLines(lines, 'a', cache).map((m) => m.line)).toEqual([2, 2]);
    lines[0] = 'HEAD a';
    expect(searchLines(lines, 'a', cache).map((m) => m.line)).toEqual([0, 0, 2, 2]);
  });

  it('searches 100,000 lines (benchmark print, no timed assertion)', () => {
    const big = Array.from({ length: 100_000 }, (_, i) => `line ${i} building target-${i % 977} ok`);
    big[73_123] = 'fatal: needle in the haystack';
    const cache = new LowerCaseCache();
    const t0 = performance.now();
    const first = searchLines(big, 'needle', cache);
    const t1 = performance.now();
    const again = searchLines(big, 'target-976', cache);
    const t2 = performance.now();
    console.log(`search 100k lines: first ${(t1 - t0).toFixed(1)} ms (builds the lower-case cache), next ${(t2 - t1).toFixed(1)} ms`);
    expect(first).toEqual([{ line: 73_123, start: 7, end: 13 }]);
    expect(again.length).toBe(102);
  });
});

describe('stepping through matches', () => {
  it('wraps next and previous', () => {
    expect(stepMatch(-1, 3, 1)).toBe(0);
    expect(stepMatch(-1, 3, -1)).toBe(2);
    expect(stepMatch(2, 3, 1)).toBe(0);
    expect(stepMatch(0, 3, -1)).toBe(2);
    expect(stepMatch(0, 0, 1)).toBe(-1);
  });
  it('starts from the reader\'s line', () => {
    const m = [{ line: 2, start: 0, end: 1 }, { line: 5, start: 0, end: 1 }, { line: 9, start: 0, end: 1 }];
    expect(firstMatchFrom(m, 0)).toBe(0);
    expect(firstMatchFrom(m, 5)).toBe(1);
    expect(firstMatchFrom(m, 6)).toBe(2);
    expect(firstMatchFrom(m, 10)).toBe(0);
    expect(firstMatchFrom([], 1)).toBe(-1);
  });
  it('says k of N', () => {
    expect(matchCountText(0, 12)).toBe('1 of 12');
    expect(matchCountText(-1, 0)).toBe('0 of 0');
  });
  it('lists a line\'s matches', () => {
    const m = searchLines(['a', 'aba', 'b'], 'a');
    expect(matchesOnLine(m, 1)).toEqual([{ line: 1, start: 0, end: 1 }, { line: 1, start: 2, end: 3 }]);
    expect(matchesOnLine(m, 2)).toEqual([]);
  });
});
