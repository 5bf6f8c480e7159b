// Search state over the whole log: the query (applied 120 ms after typing
// stops), every match, the current one ("k of N"), next/previous. Re-runs
// when lines arrive so N stays true while the log streams.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LogBuffer } from './logBuffer';
import { firstMatchFrom, LowerCaseCache, matchCountText, searchLines, stepMatch, type SearchMatch } from './logSearch';

export interface LogSearch {
  input: string;
  setInput: (q: string) => void;
  matches: readonly SearchMatch[];
  current: number;
  countText: string;
  step: (dir: 1 | -1) => SearchMatch | null;
  lastMs: number; // how long the last search took (shown for the curious, read by the benchmark)
}

export function useLogSearch(buffer: LogBuffer, version: number, readerLine: () => number): LogSearch {
  const [input, setInput] = useState('');
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(-1);
  const cache = useMemo(() => new LowerCaseCache(), [buffer]);
  const lastMs = useRef(0);

  useEffect(() => {
    const t = setTimeout(() => setQuery(input), 120);
    return () => clearTimeout(t);
  }, [input]);

  const matches = useMemo(() => {
    const t0 = performance.now();
    const m = searchLines(buffer.plain, query, cache);
    lastMs.current = performance.now() - t0;
    return m;
  }, [buffer, query, cache, version]);

  // A new query starts at the reader's place; a growing log keeps the current match.
  useEffect(() => {
    setCurrent(query ? firstMatchFrom(matches, readerLine()) : -1);
  }, [query]);

  const safeCurrent = current >= matches.length ? matches.length - 1 : current;
  return {
    input,
    setInput,
    matches,
    current: safeCurrent,
    countText: query ? matchCountText(Math.max(0, safeCurrent), matches.length) : '',
    lastMs: lastMs.current,
    step: (dir) => {
      const next = stepMatch(safeCurrent, matches.length, dir);
      setCurrent(next);
      return next >= 0 ? matches[next]! : null;
    },
  };
}
