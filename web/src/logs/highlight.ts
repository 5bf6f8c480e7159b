// Search highlights on top of ANSI spans: the spans are cut where matches
// start and end (offsets in the plain text, which the spans' texts make up
// in order) and the cut pieces say whether they are a match and the current
// one. Pure.
import type { AnsiSpan } from './ansi';

export interface MarkedSpan extends AnsiSpan {
  mark?: 'match' | 'current';
}

export interface Range {
  start: number;
  end: number;
  current?: boolean;
}

export function highlightSpans(spans: readonly AnsiSpan[], ranges: readonly Range[]): MarkedSpan[] {
  if (ranges.length === 0) return spans as MarkedSpan[];
  const out: MarkedSpan[] = [];
  let offset = 0;
  for (const s of spans) {
    const from = offset;
    const to = offset + s.text.length;
    offset = to;
    let at = from;
    for (const r of ranges) {
      if (r.end <= at || r.start >= to) continue;
      const a = Math.max(r.start, at);
      const b = Math.min(r.end, to);
      if (a > at) out.push({ text: s.text.slice(at - from, a - from), style: s.style });
      out.push({ text: s.text.slice(a - from, b - from), style: s.style, mark: r.current ? 'current' : 'match' });
      at = b;
    }
    if (at < to) out.push({ text: s.text.slice(at - from), style: s.style });
  }
  return out;
}
