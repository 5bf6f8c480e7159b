// useClickAway(box, open, close): while `open`, a mouse press outside the
// element `box` points at calls `close` (popovers and menus in the top bar).
import { useEffect, type RefObject } from 'react';

export function useClickAway(box: RefObject<HTMLElement | null>, open: boolean, close: () => void): void {
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) close();
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [box, open, close]);
}
