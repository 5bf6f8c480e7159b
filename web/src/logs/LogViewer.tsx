// A node's log: its end first (the last 2,000 lines, numbered by their place
// in the whole log), the earlier lines filled in behind it without moving the
// view, then followed live; virtualized (fixed row height, ≤ 500 rows mounted), ANSI colours, search
// over the whole log, #L120 / #L120-L130 links that scroll and highlight
// (waiting for the line if it has not arrived yet), collapsible sections,
// timestamps, download. Used by the log page and the execution page's panel.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ErrorState } from '../ui/ErrorState';
import { EmptyState } from '../ui/EmptyState';
import { statusLook } from '../ui/status';
import './ansi.css';
import type { Range } from './highlight';
import { formatLineHash, inRange, parseLineHash, selectLine, type LineRange } from './lineHash';
import { LogRow, ROW_HEIGHT } from './LogRow';
import { LogToolbar } from './LogToolbar';
import { collapsedSectionHiding, findSections, sectionsByStart, visibleLines } from './sections';
import { useLogSearch } from './useLogSearch';
import { useNodeLog } from './useNodeLog';
import { isAtBottom, rowWindow, scrollTopFor } from './windowing';

const NO_RANGES: readonly Range[] = [];
const FINISHED = new Set(['success', 'failed', 'skipped', 'cancelled']);

function rowOfLine(rows: Int32Array | null, line: number): number {
  if (!rows) return line;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]! < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function saveText(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function LogViewer({ executionId, nodeId }: { executionId: string; nodeId: string }) {
  const log = useNodeLog(executionId, nodeId);
  const { buffer, version } = log;
  const scroller = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const [showTime, setShowTime] = useState(false);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const [selection, setSelection] = useState<LineRange | null>(() => parseLineHash(window.location.hash));
  const pendingJump = useRef<LineRange | null>(selection);
  const [follow, setFollow] = useState(selection === null);

  // version: the buffer (mutable, appended in place) grew
  const complete = log.nodeStatus !== null && FINISHED.has(log.nodeStatus);
  const sections = useMemo(() => findSections(buffer, complete), [buffer, version, complete]); // eslint-disable-line react-hooks/exhaustive-deps
  const headers = useMemo(() => sectionsByStart(sections), [sections]);
  const rows = useMemo(() => visibleLines(buffer.length, sections, collapsed), [buffer, version, sections, collapsed]); // eslint-disable-line
  const rowCount = rows ? rows.length : buffer.length;

  const readerLine = useCallback(() => {
    const r = Math.floor((scroller.current?.scrollTop ?? 0) / ROW_HEIGHT);
    return rows ? (rows[Math.min(r, rows.length - 1)] ?? 0) : r;
  }, [rows]);
  const search = useLogSearch(buffer, version, readerLine);

  // Bring a line into view: open the sections hiding it, stop following, scroll.
  const reveal = useCallback(
    (line: number) => {
      const hiding = collapsedSectionHiding(line, sections, collapsed);
      let map = rows;
      if (hiding.length) {
        const next = new Set(collapsed);
        hiding.forEach((s) => next.delete(s.key));
        setCollapsed(next);
        map = visibleLines(buffer.length, sections, next);
      }
      setFollow(false);
      const el = scroller.current;
      if (el) {
        const top = scrollTopFor(rowOfLine(map, line), el.clientHeight, ROW_HEIGHT);
        requestAnimationFrame(() => {
          el.scrollTop = top;
          setScrollTop(top);
        });
      }
    },
    [sections, collapsed, rows, buffer],
  );

  // Viewport size.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Follow: stay at the end as lines arrive.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!follow || !el) return;
    el.scrollTop = el.scrollHeight;
    setScrollTop(el.scrollTop);
  }, [follow, rowCount, viewport]);

  // A linked line: jump once it has arrived (it may still be streaming in).
  useEffect(() => {
    const want = pendingJump.current;
    if (want && buffer.has(want.start - 1)) {
      pendingJump.current = null;
      reveal(want.start - 1);
    }
  }, [version, buffer, reveal]);

  useEffect(() => {
    const onHash = () => {
      const r = parseLineHash(window.location.hash);
      setSelection(r);
      if (r) {
        pendingJump.current = r;
        if (buffer.has(r.start - 1)) {
          pendingJump.current = null;
          reveal(r.start - 1);
        }
      }
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [buffer, reveal]);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    setFollow(isAtBottom(el.scrollTop, el.clientHeight, el.scrollHeight, ROW_HEIGHT));
  }, []);

  const onLineClick = useCallback((n: number, extend: boolean) => {
    setSelection((cur) => {
      const next = selectLine(cur, n, extend);
      const url = `${window.location.pathname}${window.location.search}${formatLineHash(next)}`;
      window.history.replaceState(window.history.state, '', url);
      return next;
    });
    setFollow(false);
  }, []);

  const onToggle = useCallback((key: number) => {
    setCollapsed((cur) => {
      const next = new Set(cur);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);

  const onStep = (dir: 1 | -1) => {
    const m = search.step(dir);
    if (m) reveal(m.line);
  };

  // Mounted rows and their search highlights.
  const win = rowWindow(scrollTop, viewport, ROW_HEIGHT, rowCount);
  const currentMatch = search.current >= 0 ? search.matches[search.current] : undefined;
  const rangesByLine = useMemo(() => {
    const m = new Map<number, Range[]>();
    if (search.matches.length === 0) return m;
    const first = rows ? (rows[win.first] ?? 0) : win.first;
    const last = rows ? (rows[Math.max(win.first, win.last - 1)] ?? 0) : win.last - 1;
    for (const x of search.matches) {
      if (x.line < first) continue;
      if (x.line > last) break;
      const list = m.get(x.line) ?? [];
      list.push({ start: x.start, end: x.end, current: x === currentMatch });
      m.set(x.line, list);
    }
    return m;
  }, [search.matches, currentMatch, win.first, win.last, rows]);

  const mounted = [];
  for (let r = win.first; r < win.last; r++) {
    const line = rows ? rows[r]! : r;
    mounted.push(
      <LogRow
        key={line}
        line={line}
        top={r * ROW_HEIGHT}
        raw={buffer.raw[line]!}
        pending={!buffer.has(line)}
        stream={buffer.streams[line]!}
        level={buffer.levels[line]!}
        time={buffer.times[line]!}
        showTime={showTime}
        selected={inRange(selection, line + 1)}
        ranges={rangesByLine.get(line) ?? NO_RANGES}
        section={headers.get(line)}
        collapsed={collapsed.has(line)}
        onLineClick={onLineClick}
        onToggle={onToggle}
      />,
    );
  }

  const lines = buffer.length.toLocaleString('en-US');
  const status = log.loading
    ? 'Loading…'
    : `${lines} lines${log.backfilling ? ' · loading earlier lines…' : ''} · ${statusLook(log.nodeStatus).word}${log.live ? ' · live' : ''}`;

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="log-viewer">
      <LogToolbar
        search={search}
        searchRef={searchRef}
        onStep={onStep}
        follow={follow}
        onFollow={(on) => {
          setFollow(on);
          if (!on) return;
          const el = scroller.current;
          if (el) el.scrollTop = el.scrollHeight;
        }}
        showTime={showTime}
        onShowTime={setShowTime}
        onDownload={() => saveText(`${nodeId}.log`, buffer.text())}
        status={status}
      />
      {log.error !== null && <ErrorState title="The log could not be loaded" error={log.error} />}
      {!log.loading && log.error === null && buffer.length === 0 && (
        <div className="p-4">
          <EmptyState title="No output yet">
            {statusLook(log.nodeStatus).word} — lines appear here as soon as the node writes them.
          </EmptyState>
        </div>
      )}
      <div
        ref={scroller}
        onScroll={onScroll}
        role="log"
        aria-label={`Log of ${nodeId}`}
        tabIndex={0}
        aria-busy={log.loading || log.backfilling}
        className="log-body relative min-h-0 flex-1 overflow-auto bg-surface font-mono text-xs leading-5"
      >
        <div style={{ height: rowCount * ROW_HEIGHT }} className="relative min-w-full">
          {mounted}
        </div>
      </div>
    </div>
  );
}
