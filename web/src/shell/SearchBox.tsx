// The top bar's search: an execution id opens it, anything else lists the
// executions on that branch. `/` focuses it (or the page's own filter).
import { forwardRef, useState } from 'react';
import { useNavigate } from 'react-router';

const EXECUTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function searchTarget(text: string): string | null {
  const q = text.trim();
  if (!q) return null;
  if (EXECUTION_ID.test(q)) return `/executions/${q.toLowerCase()}`;
  return `/executions?branch=${encodeURIComponent(q)}`;
}

export const SearchBox = forwardRef<HTMLInputElement>(function SearchBox(_, ref) {
  const [text, setText] = useState('');
  const navigate = useNavigate();
  return (
    <form
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        const to = searchTarget(text);
        if (to) navigate(to);
      }}
      className="relative"
    >
      <label htmlFor="global-search" className="sr-only">
        Search executions by id or branch
      </label>
      <input
        ref={ref}
        id="global-search"
        data-testid="global-search"
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') (e.target as HTMLInputElement).blur();
        }}
        placeholder="Execution id or branch"
        className="w-72 rounded border border-border bg-surface-2 py-1 pr-8 pl-2 text-sm"
      />
      {text === '' && (
        <kbd aria-hidden="true" className="absolute top-1/2 right-2 -translate-y-1/2 rounded border border-border px-1 text-xs text-muted">
          /
        </kbd>
      )}
    </form>
  );
});
