import { describe, expect, it } from 'vitest';
import { highlightSpans } from './highlight';
import { LogBuffer } from './logBuffer';

const line = (seq: number, message: string) => ({ seq, stream: 'stdout', message, created_at: '2026-01-01T00:00:00Z' });

describe('LogBuffer', () => {
  it('appends in seq order, skipping lines it already has', () => {
    const b = new LogBuffer();
    expect(b.append([line(1, 'a'), line(2, 'b')])).toBe(2);
    expect(b.append([line(2, 'b'), line(3, 'c')])).toBe(1);
    expect(b.raw).toEqual(['a', 'b', 'c']);
    expect(b.lastSeq).toBe(3);
  });
  it('keeps the plain text apart from the escapes, and downloads plain text', () => {
    const b = new LogBuffer();
    b.append([line(1, '\x1b[31mred\x1b[0m'), line(2, 'plain')]);
    expect(b.raw[0]).toBe('\x1b[31mred\x1b[0m');
    expect(b.plain).toEqual(['red', 'plain']);
    expect(b.text()).toBe('red\nplain\n');
    expect(new LogBuffer().text()).toBe('');
  });
});

describe('highlightSpans', () => {
  const spans = [
    { text: 'error: ', style: { fg: 1 } },
    { text: 'foo failed foo', style: {} },
  ];
  it('cuts spans at match edges, keeping styles, across span borders', () => {
    expect(highlightSpans(spans, [{ start: 5, end: 10 }, { start: 18, end: 21, current: true }])).toEqual([
      { text: 'error', style: { fg: 1 } },
      { text: ': ', style: { fg: 1 }, mark: 'match' },
      { text: 'foo', style: {}, mark: 'match' },
      { text: ' failed ', style: {} },
      { text: 'foo', style: {}, mark: 'current' },
    ]);
  });
  it('leaves spans alone without matches', () => {
    expect(highlightSpans(spans, [])).toBe(spans);
  });
});
