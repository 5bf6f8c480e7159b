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

describe('LogBuffer: a tail first, the head filled in behind it', () => {
  // A log of `n` lines with seqs from 101 (other nodes' lines took the seqs below).
  const log = (n: number) => Array.from({ length: n }, (_, i) => line(101 + i, `line ${i + 1}`));

  it('numbers the tail by its place in the whole log before the head arrives', () => {
    const all = log(10);
    const b = new LogBuffer();
    expect(b.startWithTail(all.slice(7), 10, 101)).toBe(3);
    expect(b.length).toBe(10);
    expect(b.raw.slice(7)).toEqual(['line 8', 'line 9', 'line 10']);
    expect([6, 7, 9].map((i) => b.has(i))).toEqual([false, true, true]);
    expect(b.headComplete).toBe(false);
    expect(b.headAfter).toBe(100); // page the head from just before the first seq
    expect(b.lastSeq).toBe(110);
    expect(b.text()).toBe('line 8\nline 9\nline 10\n'); // the placeholders are not text
  });

  it('fills the head page by page in place: every line keeps its number, the length never changes', () => {
    const all = log(10);
    const b = new LogBuffer();
    b.startWithTail(all.slice(6), 10, 101);
    expect(b.fillHead(all.slice(0, 3))).toBe(3);
    expect(b.length).toBe(10);
    expect(b.raw[2]).toBe('line 3');
    expect(b.has(3)).toBe(false);
    expect(b.headAfter).toBe(103);
    // The next page runs into the tail: lines at or past it are not taken twice.
    expect(b.fillHead(all.slice(3, 8))).toBe(3);
    expect(b.finishHead()).toBe(0);
    expect(b.headComplete).toBe(true);
    expect(b.raw).toEqual(all.map((l) => l.message));
    expect(b.seqs).toEqual(all.map((l) => l.seq));
  });

  it('new lines at the end append while the head is still missing', () => {
    const all = log(12);
    const b = new LogBuffer();
    b.startWithTail(all.slice(6, 10), 10, 101);
    expect(b.append(all.slice(9))).toBe(2); // line 10 again (stream and tail overlap), 11, 12
    b.fillHead(all.slice(0, 6));
    b.finishHead();
    expect(b.raw).toEqual(all.map((l) => l.message));
  });

  it('a tail that is the whole log leaves no hole', () => {
    const all = log(3);
    const b = new LogBuffer();
    b.startWithTail(all, 3, 101);
    expect(b.headComplete).toBe(true);
    expect(b.raw).toEqual(['line 1', 'line 2', 'line 3']);
    expect(new LogBuffer().startWithTail([], 0)).toBe(0);
  });

  it('never misnumbers: more head than the total said makes room, fewer drops the rest of the hole', () => {
    const all = log(10);
    const more = new LogBuffer();
    more.startWithTail(all.slice(8), 9, 101); // said 9, there are 10
    more.fillHead(all.slice(0, 8));
    more.finishHead();
    expect(more.raw).toEqual(all.map((l) => l.message));

    const fewer = new LogBuffer();
    fewer.startWithTail(all.slice(8), 12, 101); // said 12, there are 10
    fewer.fillHead(all.slice(0, 8));
    expect(fewer.finishHead()).toBe(2);
    expect(fewer.raw).toEqual(all.map((l) => l.message));
    expect(fewer.has(9)).toBe(true);
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
