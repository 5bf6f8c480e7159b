// Per-line links: "#L120" is line 120, "#L120-L130" lines 120 to 130 (1-based,
// the numbers the viewer shows). Ranges given backwards are put in order. Pure.
export interface LineRange {
  start: number;
  end: number;
}

const HASH = /^#?L(\d+)(?:-L?(\d+))?$/;

export function parseLineHash(hash: string): LineRange | null {
  const m = HASH.exec(hash.trim());
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  if (a < 1 || b < 1) return null;
  return { start: Math.min(a, b), end: Math.max(a, b) };
}

export function formatLineHash(range: LineRange): string {
  return range.start === range.end ? `#L${range.start}` : `#L${range.start}-L${range.end}`;
}

// A click selects one line; a shift-click extends from the current anchor.
export function selectLine(current: LineRange | null, line: number, extend: boolean): LineRange {
  if (!extend || !current) return { start: line, end: line };
  const anchor = current.start;
  return { start: Math.min(anchor, line), end: Math.max(anchor, line) };
}

export function inRange(range: LineRange | null, line: number): boolean {
  return range !== null && line >= range.start && line <= range.end;
}
