// `j` / `k` in a list: move focus to the next / previous row's link (Enter
// then opens it, as on any link). Pure over the list of row links.
export function nextIndex(current: number, count: number, key: 'j' | 'k'): number {
  if (count === 0) return -1;
  if (current < 0) return key === 'j' ? 0 : count - 1;
  return key === 'j' ? Math.min(count - 1, current + 1) : Math.max(0, current - 1);
}
