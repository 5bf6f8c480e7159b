// A recording EventSource for tests: the test opens, sends frames, fails it.
import type { EventSourceLike } from './streamHub';

export class FakeEventSource implements EventSourceLike {
  static made: FakeEventSource[] = [];
  readyState = 0;
  onopen: ((ev: Event) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  closed = false;
  private readonly handlers = new Map<string, ((ev: MessageEvent<string>) => void)[]>();

  constructor(readonly url: string) {
    FakeEventSource.made.push(this);
  }

  addEventListener(type: string, listener: (ev: MessageEvent<string>) => void): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  // One SSE frame: `event: type`, `id: id`, `data: data`.
  emit(type: string, data: unknown, id = ''): void {
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    const ev = new MessageEvent<string>(type, { data: text, lastEventId: id });
    (this.handlers.get(type) ?? []).forEach((h) => h(ev));
  }

  // A network error: the browser reconnects (0) or gives up (2).
  fail(readyState: 0 | 2): void {
    this.readyState = readyState;
    this.onerror?.(new Event('error'));
  }

  get topics(): string[] {
    return [...this.handlers.keys()];
  }
}
