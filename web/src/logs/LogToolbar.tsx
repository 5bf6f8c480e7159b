// The log's controls: search with "k of N" and next/previous (Enter /
// Shift+Enter), follow, timestamps, raw download.
import type { RefObject } from 'react';
import { Button } from '../ui/Button';
import type { LogSearch } from './useLogSearch';

export interface LogToolbarProps {
  search: LogSearch;
  searchRef: RefObject<HTMLInputElement | null>;
  onStep: (dir: 1 | -1) => void;
  follow: boolean;
  onFollow: (on: boolean) => void;
  showTime: boolean;
  onShowTime: (on: boolean) => void;
  onDownload: () => void;
  status: string;
}

export function LogToolbar(p: LogToolbarProps) {
  const { search } = p;
  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-border bg-surface px-3 py-2">
      <input
        ref={p.searchRef}
        data-testid="log-search"
        type="search"
        aria-label="Search the whole log"
        placeholder="Search the log"
        value={search.input}
        onChange={(e) => search.setInput(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            p.onStep(e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') search.setInput('');
        }}
        className="w-64 rounded border border-border bg-surface-2 px-2 py-1 text-sm"
      />
      <span data-testid="log-search-count" aria-live="polite" className="min-w-16 text-xs text-muted tabular-nums">
        {search.countText}
      </span>
      <Button size="sm" aria-label="Previous match" disabled={search.matches.length === 0} onClick={() => p.onStep(-1)}>
        ↑
      </Button>
      <Button size="sm" aria-label="Next match" disabled={search.matches.length === 0} onClick={() => p.onStep(1)}>
        ↓
      </Button>
      <span className="mx-1 h-5 w-px bg-border" aria-hidden="true" />
      <Button size="sm" data-testid="log-follow" aria-pressed={p.follow} variant={p.follow ? 'primary' : 'secondary'} onClick={() => p.onFollow(!p.follow)}>
        {p.follow ? '✓ Following' : 'Follow'}
      </Button>
      <Button size="sm" data-testid="log-timestamps" aria-pressed={p.showTime} onClick={() => p.onShowTime(!p.showTime)}>
        Timestamps
      </Button>
      <Button size="sm" data-testid="log-download" onClick={p.onDownload}>
        ⤓ Download
      </Button>
      <span className="ml-auto text-xs text-muted tabular-nums" data-testid="log-status">
        {p.status}
      </span>
    </div>
  );
}
