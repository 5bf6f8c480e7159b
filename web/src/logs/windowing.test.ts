import { describe, expect, it } from 'vitest';
import { isAtBottom, MAX_MOUNTED, rowWindow, scrollTopFor } from './windowing';

describe('rowWindow', () => {
  it('mounts the viewport plus overscan', () => {
    expect(rowWindow(0, 180, 18, 100_000, 10)).toEqual({ first: 0, last: 21 });
    expect(rowWindow(1800, 180, 18, 100_000, 10)).toEqual({ first: 90, last: 121 });
  });
  it('stops at the end', () => {
    expect(rowWindow(18 * 99_990, 180, 18, 100_000, 10)).toEqual({ first: 99_980, last: 100_000 });
    expect(rowWindow(0, 180, 18, 0)).toEqual({ first: 0, last: 0 });
  });
  it('never mounts more than the cap, however tall the viewport', () => {
    const w = rowWindow(0, 100_000, 18, 100_000, 30);
    expect(w.last - w.first).toBe(MAX_MOUNTED);
  });
  it('scrolls a row into the top third and knows the bottom', () => {
    expect(scrollTopFor(100, 300, 18)).toBe(1800 - 100);
    expect(scrollTopFor(1, 300, 18)).toBe(0);
    expect(isAtBottom(820, 180, 1000, 18)).toBe(true);
    expect(isAtBottom(700, 180, 1000, 18)).toBe(false);
  });
});
