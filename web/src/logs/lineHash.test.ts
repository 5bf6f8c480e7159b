import { describe, expect, it } from 'vitest';
import { formatLineHash, inRange, parseLineHash, selectLine } from './lineHash';

describe('line hash', () => {
  it('parses single lines and ranges', () => {
    expect(parseLineHash('#L120')).toEqual({ start: 120, end: 120 });
    expect(parseLineHash('#L120-L130')).toEqual({ start: 120, end: 130 });
    expect(parseLineHash('L5-7')).toEqual({ start: 5, end: 7 });
  });
  it('orders backwards ranges', () => {
    expect(parseLineHash('#L130-L120')).toEqual({ start: 120, end: 130 });
  });
  it('rejects anything else', () => {
    for (const bad of ['', '#', '#L', '#L0', '#Lx', '#L1-', '#top', '#L1-L2-L3']) expect(parseLineHash(bad)).toBeNull();
  });
  it('formats what it parses', () => {
    expect(formatLineHash({ start: 7, end: 7 })).toBe('#L7');
    expect(formatLineHash({ start: 7, end: 9 })).toBe('#L7-L9');
    expect(parseLineHash(formatLineHash({ start: 3, end: 40 }))).toEqual({ start: 3, end: 40 });
  });
  it('click selects, shift-click extends from the anchor in either direction', () => {
    expect(selectLine(null, 5, true)).toEqual({ start: 5, end: 5 });
    expect(selectLine({ start: 5, end: 5 }, 9, true)).toEqual({ start: 5, end: 9 });
    expect(selectLine({ start: 5, end: 5 }, 2, true)).toEqual({ start: 2, end: 5 });
    expect(selectLine({ start: 5, end: 9 }, 3, false)).toEqual({ start: 3, end: 3 });
    expect(inRange({ start: 5, end: 9 }, 9)).toBe(true);
    expect(inRange({ start: 5, end: 9 }, 10)).toBe(false);
    expect(inRange(null, 1)).toBe(false);
  });
});
