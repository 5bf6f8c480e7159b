// The app's keyboard shortcuts (UI.md): one table, shown by the `?` overlay
// and read by the shell's key handler. Pure.
export interface Shortcut {
  keys: string;
  what: string;
}

export const SHORTCUTS: Shortcut[] = [
  { keys: '/', what: 'Search, or focus the page’s filter' },
  { keys: '?', what: 'Show this list' },
  { keys: 'g d', what: 'Go to the dashboard' },
  { keys: 'g e', what: 'Go to executions' },
  { keys: 'j / k', what: 'Next / previous row in a list' },
  { keys: 'Enter', what: 'Open the selected row' },
  { keys: 'Esc', what: 'Close a dialog or menu' },
];

// Keys typed into a field are text, not shortcuts.
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const el = target as HTMLElement;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable === true;
}

export type ShortcutAction = 'search' | 'help' | 'go-dashboard' | 'go-executions';

// One key press (with the previous key, for `g` sequences) → an action.
export function shortcutFor(key: string, previous: string | null): ShortcutAction | null {
  if (previous === 'g' && key === 'd') return 'go-dashboard';
  if (previous === 'g' && key === 'e') return 'go-executions';
  if (key === '/') return 'search';
  if (key === '?') return 'help';
  return null;
}
