// At most one call per `intervalMs`: the first call runs at once, calls
// during the interval collapse into one trailing call at its end. Used to
// refetch on a burst of events without refetching per event.
export interface Throttled {
  (): void;
  cancel(): void;
  flush(): void; // run a pending trailing call now
}

export interface Timers {
  now(): number;
  setTimeout(f: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (f, ms) => globalThis.setTimeout(f, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function throttle(f: () => void, intervalMs: number, timers: Timers = browserTimers): Throttled {
  let lastRun = -Infinity;
  let pending: unknown = undefined;

  const run = () => {
    pending = undefined;
    lastRun = timers.now();
    f();
  };

  const throttled = (() => {
    if (pending !== undefined) return;
    const wait = lastRun + intervalMs - timers.now();
    if (wait <= 0) run();
    else pending = timers.setTimeout(run, wait);
  }) as Throttled;

  throttled.cancel = () => {
    if (pending !== undefined) timers.clearTimeout(pending);
    pending = undefined;
  };
  throttled.flush = () => {
    if (pending === undefined) return;
    timers.clearTimeout(pending);
    run();
  };
  return throttled;
}
