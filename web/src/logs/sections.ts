// Collapsible step sections. Two sources mark them:
//  - the engine's system line "step 2/3 'test' started" opens a step that
//    runs until the next step starts (steps are top level);
//  - `::group::name` … `::endgroup::` (GitHub Actions) and `##[group]name` …
//    `##[endgroup]` (Azure) in a step's own output, nested inside the step.
// A section's key is its header line's index (stable while the log grows).
// Duration: from the header line to the next step's start, or the section's
// last line; null while the section is still open (the log may continue). Pure.
export interface SectionLine {
  text: string; // plain text (no escapes)
  stream: string;
  at: number; // epoch ms (NaN when unknown)
}

export interface LogSection {
  key: number; // header line index
  title: string;
  kind: 'step' | 'group';
  start: number; // header line index
  end: number; // last line index (inclusive)
  depth: number;
  open: boolean; // not closed yet (the last step, or a group without its end)
  durationMs: number | null;
}

const STEP = /^step (\d+)\/(\d+) '(.*)' started$/;
const GROUP = /^(?:::group::|##\[group\])(.*)$/;
const END_GROUP = /^(?:::endgroup::|##\[endgroup\])\s*$/;

export type Marker = { kind: 'step' | 'group'; title: string } | { kind: 'end' } | null;

export function markerOf(line: SectionLine): Marker {
  const t = line.text;
  const c = t.charCodeAt(0);
  if (line.stream === 'system' && c === 115 /* s */) {
    const m = STEP.exec(t);
    if (m) return { kind: 'step', title: m[3] || `step ${m[1]}` };
  }
  if (c === 58 /* : */ || c === 35 /* # */) {
    const g = GROUP.exec(t);
    if (g) return { kind: 'group', title: g[1]!.trim() || 'group' };
    if (END_GROUP.test(t)) return { kind: 'end' };
  }
  return null;
}

function duration(from: SectionLine, to: SectionLine | undefined): number | null {
  if (!to) return null;
  const d = to.at - from.at;
  return Number.isFinite(d) && d >= 0 ? d : null;
}

// The log's columns (LogBuffer has them): no per-line objects for 100k lines.
export interface SectionSource {
  plain: readonly string[];
  streams: readonly string[];
  times: readonly number[];
}

export function sourceOf(lines: readonly SectionLine[]): SectionSource {
  return { plain: lines.map((l) => l.text), streams: lines.map((l) => l.stream), times: lines.map((l) => l.at) };
}

// `complete`: the node has finished, so nothing more comes: sections still
// open end at the last line, with their duration to it.
export function findSections(src: SectionSource, complete = false): LogSection[] {
  const lines = { length: src.plain.length };
  const at = (i: number): SectionLine | undefined =>
    i < lines.length ? { text: src.plain[i]!, stream: src.streams[i]!, at: src.times[i]! } : undefined;
  const out: LogSection[] = [];
  const stack: LogSection[] = []; // open sections, outermost first
  const close = (s: LogSection, end: number, endLine: SectionLine | undefined) => {
    s.end = end;
    s.open = false;
    s.durationMs = duration(at(s.start)!, endLine);
  };
  for (let i = 0; i < lines.length; i++) {
    const c = src.plain[i]!.charCodeAt(0);
    if (c !== 115 && c !== 58 && c !== 35) continue; // fast path: no marker starts otherwise
    const m = markerOf(at(i)!);
    if (!m) continue;
    if (m.kind === 'step') {
      // A new step closes everything still open at the line before it.
      while (stack.length) close(stack.pop()!, i - 1, at(i));
      const s: LogSection = { key: i, title: m.title, kind: 'step', start: i, end: i, depth: 0, open: true, durationMs: null };
      out.push(s);
      stack.push(s);
    } else if (m.kind === 'group') {
      const s: LogSection = { key: i, title: m.title, kind: 'group', start: i, end: i, depth: stack.length, open: true, durationMs: null };
      out.push(s);
      stack.push(s);
    } else {
      const top = stack[stack.length - 1];
      if (top && top.kind === 'group') close(stack.pop()!, i, at(i));
    }
  }
  // Still open: they run to the end of what has arrived so far.
  for (const s of stack) {
    if (complete) close(s, lines.length - 1, at(lines.length - 1));
    else s.end = lines.length - 1;
  }
  return out;
}

// Which line each visible row shows, with the collapsed sections' bodies
// hidden (their header stays). null means every line, in order (nothing
// collapsed: no 100,000-entry array is built).
export function visibleLines(total: number, sections: readonly LogSection[], collapsed: ReadonlySet<number>): Int32Array | null {
  const hidden = sections.filter((s) => collapsed.has(s.key) && s.end > s.start);
  if (hidden.length === 0) return null;
  const rows = new Int32Array(total);
  let n = 0;
  let skipUntil = -1;
  let h = 0;
  for (let i = 0; i < total; i++) {
    // Every collapsed section that starts before i hides i when it reaches it.
    while (h < hidden.length && hidden[h]!.start < i) skipUntil = Math.max(skipUntil, hidden[h++]!.end);
    if (i > skipUntil) rows[n++] = i;
  }
  return rows.slice(0, n);
}

// The section whose header is on line `i`, if any (for rendering headers).
export function sectionsByStart(sections: readonly LogSection[]): Map<number, LogSection> {
  return new Map(sections.map((s) => [s.start, s]));
}

// The innermost collapsed section hiding line `i` (to expand it when a link or
// a search match points inside), or undefined.
export function collapsedSectionHiding(i: number, sections: readonly LogSection[], collapsed: ReadonlySet<number>): LogSection[] {
  return sections.filter((s) => collapsed.has(s.key) && i > s.start && i <= s.end);
}
