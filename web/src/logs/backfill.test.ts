import { describe, expect, it } from 'vitest';
import { backfill } from './backfill';
import { LogBuffer, type IncomingLine } from './logBuffer';

const line = (seq: number): IncomingLine => ({ seq, stream: 'stdout', message: `seq ${seq}`, created_at: '2026-01-01T00:00:00Z' });

// A node's log: seqs 11..(10+n), served like the server does (after/limit).
function server(n: number) {
  const all = Array.from({ length: n }, (_, i) => line(11 + i));
  const asked: number[] = [];
  const fetchAfter = (limit: number) => async (after: number) => {
    asked.push(after);
    const items = all.filter((l) => l.seq > after).slice(0, limit);
    return { items, next_after: items.length ? items[items.length - 1]!.seq : after };
  };
  return { all, asked, fetchAfter };
}

describe('backfill', () => {
  it('fills the lines before the tail from the start, in order, each once, and stops at the tail', async () => {
    const s = server(25);
    const b = new LogBuffer();
    b.startWithTail(s.all.slice(20), 25, 11);
    let pages = 0;
    await backfill(b, s.fetchAfter(4), () => true, () => pages++, 4);
    expect(b.raw).toEqual(s.all.map((l) => l.message));
    expect(b.headComplete).toBe(true);
    // From just before the first seq, 4 lines a page, until a page reaches the tail (seq 31).
    expect(s.asked).toEqual([10, 14, 18, 22, 26, 30]);
    expect(pages).toBe(5);
  });

  it('leaves the rest when the viewer has moved on', async () => {
    const s = server(25);
    const b = new LogBuffer();
    b.startWithTail(s.all.slice(20), 25, 11);
    let alive = true;
    await backfill(b, s.fetchAfter(4), () => alive, () => (alive = false), 4);
    expect(b.has(3)).toBe(true);
    expect(b.has(4)).toBe(false);
    expect(b.length).toBe(25);
  });
});
