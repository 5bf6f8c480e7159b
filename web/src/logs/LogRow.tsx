// One log line: its number (a link: click → #L120, shift-click → a range),
// an optional time, and the text with ANSI colours and search highlights.
// Section headers get a fold button and the section's duration.
import { memo, type MouseEvent } from 'react';
import { formatDuration } from '../ui/format';
import { parseAnsi } from './ansi';
import { highlightSpans, type Range } from './highlight';
import type { LogSection } from './sections';
import { spanLook } from './spanStyle';

export const ROW_HEIGHT = 20;

export interface LogRowProps {
  line: number; // 0-based
  top: number;
  raw: string;
  pending?: boolean; // not loaded yet (a long log's head, filled in behind its end)
  stream: string;
  level: string;
  time: number;
  showTime: boolean;
  selected: boolean;
  ranges: readonly Range[];
  section?: LogSection;
  collapsed: boolean;
  onLineClick: (line: number, extend: boolean) => void;
  onToggle: (key: number) => void;
}

function timeText(t: number): string {
  if (!Number.isFinite(t)) return '';
  const d = new Date(t);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

function streamTone(stream: string, level: string): string {
  if (stream === 'system') return level === 'error' ? 'text-bad font-medium' : level === 'warn' ? 'text-wait' : 'text-muted';
  if (stream === 'stderr') return 'text-bad/90';
  return '';
}

function LogRowView(p: LogRowProps) {
  const n = p.line + 1;
  // A group's marker line shows its title (search offsets still refer to the raw text,
  // so a group header shows no highlight).
  const group = p.section?.kind === 'group';
  const spans = group ? [{ text: p.section!.title, style: {} }] : p.pending ? [] : highlightSpans(parseAnsi(p.raw), p.ranges);
  const click = (e: MouseEvent) => {
    e.preventDefault();
    p.onLineClick(n, e.shiftKey);
  };
  return (
    <div
      data-testid="log-line"
      data-line={n}
      data-selected={p.selected || undefined}
      style={{ top: p.top, height: ROW_HEIGHT }}
      className={`absolute left-0 flex w-full min-w-max items-center whitespace-pre pr-4 ${p.selected ? 'bg-wait/15' : 'hover:bg-surface-2'} ${
        p.section ? 'font-semibold' : ''
      }`}
    >
      <a
        href={`#L${n}`}
        onClick={click}
        aria-label={`Line ${n}`}
        className="sticky left-0 w-16 shrink-0 select-none bg-inherit pr-3 text-right text-muted hover:text-fg"
      >
        {n}
      </a>
      {p.showTime && <span className="w-28 shrink-0 select-none text-muted">{timeText(p.time)}</span>}
      {p.section && (
        <button
          type="button"
          aria-expanded={!p.collapsed}
          aria-label={`${p.collapsed ? 'Expand' : 'Collapse'} ${p.section.title}`}
          onClick={() => p.onToggle(p.section!.key)}
          className="mr-1 w-4 shrink-0 text-muted hover:text-fg"
          style={{ marginLeft: p.section.depth * 12 }}
        >
          {p.collapsed ? '▸' : '▾'}
        </button>
      )}
      {p.pending && <span className="text-muted">…</span>}
      <span className={streamTone(p.stream, p.level)}>
        {spans.map((s, i) => {
          const look = spanLook(s.style);
          const mark = s.mark === 'current' ? ' log-mark-current' : s.mark === 'match' ? ' log-mark' : '';
          return (
            <span key={i} className={look.className + mark} style={look.style}>
              {s.text}
            </span>
          );
        })}
      </span>
      {p.section && (
        <span className="ml-3 font-normal text-muted tabular-nums">
          {p.section.durationMs !== null ? formatDuration(p.section.durationMs) : p.section.open ? 'running' : ''}
        </span>
      )}
    </div>
  );
}

export const LogRow = memo(LogRowView);
