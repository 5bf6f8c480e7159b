// The shell's key handler: `/` focuses the page's filter (an element marked
// data-search-target) or the top bar's search, `?` opens the help overlay,
// `g d` / `g e` go to the dashboard / executions. Keys typed into fields and
// keys with Ctrl/Alt/Meta are left alone.
import { useEffect, useRef, type RefObject } from 'react';
import { useNavigate } from 'react-router';
import { isTypingTarget, shortcutFor } from './shortcuts';

export function useGlobalShortcuts(search: RefObject<HTMLInputElement | null>, openHelp: () => void): void {
  const navigate = useNavigate();
  const previous = useRef<string | null>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      if (document.querySelector('[aria-modal="true"]')) return;
      const action = shortcutFor(e.key, previous.current);
      previous.current = e.key === 'g' ? 'g' : null;
      if (!action) return;
      e.preventDefault();
      if (action === 'search') {
        const own = document.querySelector<HTMLElement>('main [data-search-target]');
        (own ?? search.current)?.focus();
      } else if (action === 'help') openHelp();
      else if (action === 'go-dashboard') navigate('/');
      else if (action === 'go-executions') navigate('/executions');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, openHelp, search]);
}
