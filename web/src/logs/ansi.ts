// ANSI escape sequences in log text → styled spans. SGR (ESC [ … m) sets
// bold/dim/italic/underline/inverse and colours (16 basic as classes, 256 and
// truecolor as #rrggbb); every other CSI, OSC (ESC ] … BEL|ST) and stray
// escape or control character is dropped, so raw escapes are never shown.
// Malformed sequences are cut where they stop making sense. Pure.

// A colour: 0–15 the terminal's palette (rendered with classes), or '#rrggbb'.
export type AnsiColor = number | string;

export interface AnsiStyle {
  fg?: AnsiColor;
  bg?: AnsiColor;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

export interface AnsiSpan {
  text: string;
  style: AnsiStyle;
}

const ESC = 0x1b;
const BEL = 0x07;

// True when the text needs parsing at all (fast path for plain lines).
const SPECIAL = /[\x00-\x08\x0b-\x1f\x7f]/;
export function hasControl(text: string): boolean {
  return SPECIAL.test(text);
}

const CUBE = [0, 95, 135, 175, 215, 255];
const hex2 = (n: number) => n.toString(16).padStart(2, '0');
const rgb = (r: number, g: number, b: number) => `#${hex2(r)}${hex2(g)}${hex2(b)}`;

// xterm's 256-colour table: 0–15 stay palette indices, 16–231 the cube, 232–255 greys.
export function color256(n: number): AnsiColor | undefined {
  if (!Number.isInteger(n) || n < 0 || n > 255) return undefined;
  if (n < 16) return n;
  if (n < 232) {
    const i = n - 16;
    return rgb(CUBE[Math.floor(i / 36)]!, CUBE[Math.floor(i / 6) % 6]!, CUBE[i % 6]!);
  }
  const v = 8 + (n - 232) * 10;
  return rgb(v, v, v);
}

// Reads an extended colour (38/48) starting at params[i] (the 5 or 2);
// answers the colour and how many params it used.
function extendedColor(params: number[], i: number): [AnsiColor | undefined, number] {
  const mode = params[i];
  if (mode === 5) return [color256(params[i + 1] ?? -1), 2];
  if (mode === 2) {
    const [r, g, b] = [params[i + 1], params[i + 2], params[i + 3]];
    const ok = [r, g, b].every((v) => v !== undefined && v >= 0 && v <= 255);
    return [ok ? rgb(r!, g!, b!) : undefined, 4];
  }
  return [undefined, params.length]; // unknown mode: ignore the rest
}

export function applySgr(style: AnsiStyle, paramText: string): AnsiStyle {
  // Colon sub-parameters (38:2::r:g:b) are read like semicolons; the empty
  // colour-space id of the 38:2:: form is dropped.
  const raw = paramText.replace(/:(?=:)/g, '').replace(/:/g, ';');
  const params = raw === '' ? [0] : raw.split(';').map((p) => (p === '' ? 0 : Number(p)));
  let s: AnsiStyle = { ...style };
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    if (!Number.isFinite(p)) continue;
    if (p === 0) s = {};
    else if (p === 1) s.bold = true;
    else if (p === 2) s.dim = true;
    else if (p === 3) s.italic = true;
    else if (p === 4) s.underline = true;
    else if (p === 7) s.inverse = true;
    else if (p === 22) { s.bold = undefined; s.dim = undefined; }
    else if (p === 23) s.italic = undefined;
    else if (p === 24) s.underline = undefined;
    else if (p === 27) s.inverse = undefined;
    else if (p >= 30 && p <= 37) s.fg = p - 30;
    else if (p >= 90 && p <= 97) s.fg = p - 90 + 8;
    else if (p === 39) s.fg = undefined;
    else if (p >= 40 && p <= 47) s.bg = p - 40;
    else if (p >= 100 && p <= 107) s.bg = p - 100 + 8;
    else if (p === 49) s.bg = undefined;
    else if (p === 38 || p === 48) {
      const [c, used] = extendedColor(params, i + 1);
      if (c !== undefined) {
        if (p === 38) s.fg = c;
        else s.bg = c;
      }
      i += used;
    }
  }
  return clean(s);
}

function clean(s: AnsiStyle): AnsiStyle {
  const out: AnsiStyle = {};
  for (const [k, v] of Object.entries(s)) if (v !== undefined && v !== false) (out as Record<string, unknown>)[k] = v;
  return out;
}

// Where a CSI sequence starting at `i` (just after "ESC [") ends: the index
// after its final byte, and the parameter text; `final` is undefined when
// the sequence is malformed (cut at the first byte that cannot belong).
function readCsi(text: string, i: number): { end: number; params: string; final?: string } {
  let j = i;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c >= 0x30 && c <= 0x3f) j++;
    else break;
  }
  const params = text.slice(i, j);
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c >= 0x20 && c <= 0x2f) j++;
    else break;
  }
  if (j < text.length) {
    const c = text.charCodeAt(j);
    if (c >= 0x40 && c <= 0x7e) return { end: j + 1, params, final: text[j] };
  }
  return { end: j, params };
}

// Where an OSC sequence starting at `i` (just after "ESC ]") ends: after BEL
// or ST (ESC \); unterminated, it runs to the end of the line.
function readOsc(text: string, i: number): number {
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === BEL) return j + 1;
    if (c === ESC && text[j + 1] === '\\') return j + 2;
  }
  return text.length;
}

// A carriage return overwrites the line (progress bars): keep what was
// written after the last one that is not at the very end.
function afterLastCarriageReturn(text: string): string {
  const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
  const cr = trimmed.lastIndexOf('\r');
  return cr < 0 ? trimmed : trimmed.slice(cr + 1);
}

export function parseAnsi(input: string, initial: AnsiStyle = {}): AnsiSpan[] {
  if (!hasControl(input)) return input ? [{ text: input, style: initial }] : [];
  const text = afterLastCarriageReturn(input);
  const spans: AnsiSpan[] = [];
  let style = initial;
  let buf = '';
  const flush = () => {
    if (buf) spans.push({ text: buf, style });
    buf = '';
  };
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === ESC) {
      const next = text[i + 1];
      if (next === '[') {
        const csi = readCsi(text, i + 2);
        if (csi.final === 'm') {
          flush();
          style = applySgr(style, csi.params);
        }
        i = csi.end;
      } else if (next === ']') {
        i = readOsc(text, i + 2);
      } else if (next === '(' || next === ')') {
        i += 3; // charset designation: ESC ( B
      } else {
        i += next === undefined ? 1 : 2; // two-byte escape (ESC =, ESC 7, …)
      }
      continue;
    }
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
      i++; // other control characters are dropped
      continue;
    }
    let j = i + 1;
    while (j < text.length) {
      const d = text.charCodeAt(j);
      if (d === ESC || (d < 0x20 && d !== 0x09) || d === 0x7f) break;
      j++;
    }
    buf += text.slice(i, j);
    i = j;
  }
  flush();
  return spans;
}

// The text without any escape: what search, copy and download see.
// Complete CSI sequences (colours, cursor moves): removed by one regex pass,
// the common case; anything left over goes through the full parser.
const CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;

export function stripAnsi(input: string): string {
  if (!hasControl(input)) return input;
  const quick = input.replace(CSI, '');
  if (!hasControl(quick)) return quick;
  return parseAnsi(input)
    .map((s) => s.text)
    .join('');
}
