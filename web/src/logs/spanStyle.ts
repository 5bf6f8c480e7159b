// How an ANSI style becomes a span's classes and inline style (palette
// colours as classes from ansi.css; 256/truecolor as inline colours;
// inverse swaps foreground and background). Pure.
import type { AnsiColor, AnsiStyle } from './ansi';

export interface SpanLook {
  className: string;
  style?: { color?: string; background?: string };
}

export function spanLook(s: AnsiStyle): SpanLook {
  const fg: AnsiColor | undefined = s.inverse ? (s.bg ?? 15) : s.fg;
  const bg: AnsiColor | undefined = s.inverse ? (s.fg ?? 0) : s.bg;
  const cls: string[] = [];
  const style: { color?: string; background?: string } = {};
  if (typeof fg === 'number') cls.push(`ansi-fg-${fg}`);
  else if (fg) style.color = fg;
  if (typeof bg === 'number') cls.push(`ansi-bg-${bg}`);
  else if (bg) style.background = bg;
  if (s.bold) cls.push('ansi-bold');
  if (s.dim) cls.push('ansi-dim');
  if (s.italic) cls.push('ansi-italic');
  if (s.underline) cls.push('ansi-underline');
  return style.color || style.background ? { className: cls.join(' '), style } : { className: cls.join(' ') };
}
