// The project the top bar's switcher chose ("" = all projects), kept in
// localStorage so it survives reloads. Pages use it as their default project
// filter; a `project` in a page's URL wins (links stay exact).
import { useSyncExternalStore } from 'react';

const KEY = 'opzenix.project';
const listeners = new Set<() => void>();

export function currentProjectScope(): string {
  return localStorage.getItem(KEY) ?? '';
}

export function setProjectScope(projectId: string): void {
  if (projectId) localStorage.setItem(KEY, projectId);
  else localStorage.removeItem(KEY);
  listeners.forEach((l) => l());
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useProjectScope(): string {
  return useSyncExternalStore(subscribe, currentProjectScope);
}
