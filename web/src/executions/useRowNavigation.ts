// j/k row navigation for a table whose rows hold an `a[data-row-link]`.
import { useEffect, type RefObject } from 'react';
import { isTypingTarget } from '../shell/shortcuts';
import { nextIndex } from './rowNavigation';

export function useRowNavigation(table: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'j' && e.key !== 'k') return;
      if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      if (document.querySelector('[aria-modal="true"]') || !table.current) return;
      const links = Array.from(table.current.querySelectorAll<HTMLAnchorElement>('a[data-row-link]'));
      const current = links.findIndex((a) => a === document.activeElement);
      const target = links[nextIndex(current, links.length, e.key)];
      if (!target) return;
      e.preventDefault();
      target.focus();
      target.scrollIntoView?.({ block: 'nearest' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [table]);
}
