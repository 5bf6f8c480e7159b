// Search over the WHOLE log (every line's plain text, not only the mounted
// rows): every occurrence, in order, so the viewer can say "k of N" and step
// through them. Case-insensitive unless the query has a capital letter (the
// "smart case" editors use). Pure.
export interface SearchMatch {
  line: number; // 0-based index into the log's lines
  start: number; // character offsets in the line's plain text
  end: number;
}

// Lower-cased copies of the lines, built once per line and reused by every
// later search. Lines mostly append; a line replaced in place (a log's head
// filled in behind its tail) is lowered again (checked by identity: cheap).
export class LowerCaseCache {
  private lowered: string[] = [];
  private source: string[] = [];
  get(lines: readonly string[]): readonly string[] {
    const known = Math.min(this.lowered.length, lines.length);
    for (let i = 0; i < known; i++) {
      const line = lines[i]!;
      if (line !== this.source[i]) {
        this.source[i] = line;
        this.lowered[i] = line.toLowerCase();
      }
    }
    this.lowered.length = known;
    this.source.length = known;
    for (let i = known; i < lines.length; i++) {
      this.source.push(lines[i]!);
      this.lowered.push(lines[i]!.toLowerCase());
    }
    return this.lowered;
  }
}

export function isCaseSensitive(query: string): boolean {
  return query !== query.toLowerCase();
}

export function searchLines(
  lines: readonly string[],
  query: string,
  cache?: LowerCaseCache,
  limit = Number.POSITIVE_INFINITY,
): SearchMatch[] {
  const out: SearchMatch[] = [];
  if (!query) return out;
  const sensitive = isCaseSensitive(query);
  const hay = sensitive ? lines : (cache ?? new LowerCaseCache()).get(lines);
  const needle = sensitive ? query : query.toLowerCase();
  const n = needle.length;
  for (let i = 0; i < lines.length; i++) {
    const text = hay[i]!;
    let at = text.indexOf(needle);
    while (at >= 0) {
      out.push({ line: i, start: at, end: at + n });
      if (out.length >= limit) return out;
      at = text.indexOf(needle, at + n);
    }
  }
  return out;
}

// The match to show after moving by `step` (+1 next, -1 previous), wrapping.
export function stepMatch(current: number, count: number, step: 1 | -1): number {
  if (count === 0) return -1;
  if (current < 0) return step === 1 ? 0 : count - 1;
  return (current + step + count) % count;
}

// The first match at or after `line` (where the reader is), else the first.
export function firstMatchFrom(matches: readonly SearchMatch[], line: number): number {
  if (matches.length === 0) return -1;
  let lo = 0;
  let hi = matches.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (matches[mid]!.line < line) lo = mid + 1;
    else hi = mid;
  }
  return lo < matches.length ? lo : 0;
}

export function matchCountText(current: number, count: number): string {
  if (count === 0) return '0 of 0';
  return `${current + 1} of ${count}`;
}

// The matches on one line, for highlighting the mounted rows.
export function matchesOnLine(matches: readonly SearchMatch[], line: number): SearchMatch[] {
  const from = firstMatchFrom(matches, line);
  const out: SearchMatch[] = [];
  if (from < 0) return out;
  for (let i = from; i < matches.length && matches[i]!.line === line; i++) out.push(matches[i]!);
  return out;
}
