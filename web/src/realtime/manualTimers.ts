// Manual time for tests (no sleeps): the test moves the clock and the timers
// that fall due run, in order.
import type { Timers } from './throttle';

export class ManualTimers implements Timers {
  t = 0;
  private queue: { at: number; f: () => void; id: number }[] = [];
  private next = 1;
  now = () => this.t;
  setTimeout = (f: () => void, ms: number) => {
    const id = this.next++;
    this.queue.push({ at: this.t + ms, f, id });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.queue = this.queue.filter((q) => q.id !== h);
  };
  advance(ms: number): void {
    this.t += ms;
    const due = this.queue.filter((q) => q.at <= this.t).sort((a, b) => a.at - b.at);
    this.queue = this.queue.filter((q) => q.at > this.t);
    due.forEach((q) => q.f());
  }
}
