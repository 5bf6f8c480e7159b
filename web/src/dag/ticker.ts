// One shared one-second clock for everything that ticks (running durations):
// a single interval however many nodes run, and none when nobody listens.
import { useSyncExternalStore } from 'react';

let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;
const listeners = new Set<() => void>();

function subscribe(l: () => void): () => void {
  listeners.add(l);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      listeners.forEach((f) => f());
    }, 1000);
  }
  return () => {
    listeners.delete(l);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

const noop = () => () => {};

// The current time, refreshed every second while `enabled`.
export function useNow(enabled: boolean): number {
  return useSyncExternalStore(enabled ? subscribe : noop, () => (enabled ? now : 0));
}
