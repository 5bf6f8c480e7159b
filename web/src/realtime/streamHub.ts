// Shared event-stream connections. Browsers allow six HTTP/1.1 connections per
// server, and an open EventSource holds one for good: with one stream per topic
// set, a dashboard of six live sections left none for its requests, which then
// waited forever without an error. So every subscription without an execution
// or project filter that does not ask for logs shares ONE connection (every
// topic but logs; each listener gets only its own topics); filtered or log
// subscriptions get one EventSource per distinct topic/filter set, however
// many components listen to it. Each connection asks for batches (a run of
// events, e.g. a submit's node rows, as one frame), parses frames,
// drops duplicates (EventDeduper) and hands every new event to its listeners
// in id order; a `reset` goes to every listener's onReset.
//
// Reconnects: the browser's EventSource reconnects by itself after a network
// error and sends Last-Event-ID, so the server replays what was missed. When
// it gives up (readyState CLOSED, e.g. a 401 or a 5xx answer), the hub opens a
// new EventSource after `retryMs` (doubling while it keeps failing, at most
// a minute); that one cannot send Last-Event-ID, so once
// it is open every listener gets onReset({reason: 'reconnected'}) and
// refetches. I/O only through the injected EventSource factory and timers.
import { EventDeduper } from './dedupe';
import { parseBatchEvents, parseResetEvent, parseStreamEvent, streamUrl, subscriptionKey, TOPICS } from './parse';
import type { ResetEvent, StreamEvent, Topic } from './types';
import type { Timers } from './throttle';

export interface EventSourceLike {
  readonly readyState: number; // 0 connecting, 1 open, 2 closed
  onopen: ((ev: Event) => void) | null;
  onerror: ((ev: Event) => void) | null;
  addEventListener(type: string, listener: (ev: MessageEvent<string>) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

export interface StreamKey {
  topics: readonly Topic[];
  executionId?: string;
  projectId?: string;
}

export interface StreamListener {
  onEvent(event: StreamEvent): void;
  onReset?(reset: ResetEvent): void;
  onStatus?(connected: boolean): void;
  // The connection's first opening, told to the listeners that were waiting
  // for it (one that joins an open connection is not told): the events of
  // what changed before it were never sent.
  onOpened?(): void;
}

const CLOSED = 2;
const MAX_RETRY_MS = 60_000;

class Connection {
  private source: EventSourceLike | null = null;
  private readonly dedupe = new EventDeduper();
  private readonly listeners = new Set<StreamListener>();
  private readonly topics: Set<Topic>;
  private retry: unknown = undefined;
  private closeTimer: unknown = undefined;
  private reopened = false;
  private failures = 0; // reopen attempts in a row, for the back-off
  private everOpened = false;
  connected = false;

  constructor(
    private readonly key: StreamKey,
    private readonly deps: HubDeps,
    private readonly onIdle: () => void,
  ) {
    this.topics = new Set(key.topics.length > 0 ? key.topics : TOPICS);
  }

  add(l: StreamListener): void {
    if (this.closeTimer !== undefined) this.deps.timers.clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    this.listeners.add(l);
    if (!this.source && this.retry === undefined) this.open();
    l.onStatus?.(this.connected);
  }

  remove(l: StreamListener): void {
    this.listeners.delete(l);
    if (this.listeners.size > 0) return;
    // A short grace period: a page that remounts (React StrictMode, a route
    // change to a page on the same stream) keeps the connection.
    this.closeTimer = this.deps.timers.setTimeout(() => {
      this.closeTimer = undefined;
      if (this.listeners.size === 0) this.close();
    }, this.deps.idleCloseMs);
  }

  close(): void {
    if (this.retry !== undefined) this.deps.timers.clearTimeout(this.retry);
    this.retry = undefined;
    this.source?.close();
    this.source = null;
    this.setConnected(false);
    this.onIdle();
  }

  private open(): void {
    const source = this.deps.createEventSource(streamUrl(this.key, this.deps.token()));
    this.source = source;
    source.onopen = () => {
      this.failures = 0;
      this.setConnected(true);
      if (!this.everOpened) {
        this.everOpened = true;
        this.listeners.forEach((l) => l.onOpened?.());
      }
      if (this.reopened) {
        this.reopened = false;
        this.listeners.forEach((l) => l.onReset?.({ reason: 'reconnected', last_id: this.dedupe.lastId }));
      }
    };
    source.onerror = () => {
      this.setConnected(false);
      if (source.readyState === CLOSED && this.source === source) {
        source.close();
        this.source = null;
        this.reopened = true;
        const wait = Math.min(this.deps.retryMs * 2 ** this.failures, MAX_RETRY_MS);
        this.failures += 1;
        this.retry = this.deps.timers.setTimeout(() => {
          this.retry = undefined;
          if (this.listeners.size > 0) this.open();
        }, wait);
      }
    };
    for (const topic of this.topics) source.addEventListener(topic, (ev) => this.deliver(parseStreamEvent(ev.data)));
    source.addEventListener('batch', (ev) => parseBatchEvents(ev.data)?.forEach((e) => this.deliver(e)));
    source.addEventListener('reset', (ev) => {
      const reset = parseResetEvent(ev.data);
      if (!reset) return;
      this.dedupe.resetTo(reset.last_id);
      this.listeners.forEach((l) => l.onReset?.(reset));
    });
  }

  private deliver(event: StreamEvent | null): void {
    if (!event || !this.topics.has(event.topic) || !this.dedupe.accept(event.id)) return;
    this.listeners.forEach((l) => l.onEvent(event));
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    this.listeners.forEach((l) => l.onStatus?.(connected));
  }
}

export interface HubDeps {
  createEventSource: EventSourceFactory;
  token: () => string | null;
  timers: Timers;
  retryMs: number;
  idleCloseMs: number;
}

// The shared connection's topics: every topic whose events are small and few
// (logs are neither; every role may read all of these).
const SHARED_TOPICS: readonly Topic[] = TOPICS.filter((t) => t !== 'logs');

function sharesTheConnection(key: StreamKey): boolean {
  return !key.executionId && !key.projectId && key.topics.length > 0 && !key.topics.includes('logs');
}

// `listener`, told only the events of `topics`.
function onlyTopics(topics: readonly Topic[], listener: StreamListener): StreamListener {
  const wanted = new Set(topics);
  return {
    onEvent: (event) => {
      if (wanted.has(event.topic)) listener.onEvent(event);
    },
    onReset: listener.onReset && ((reset) => listener.onReset?.(reset)),
    onStatus: listener.onStatus && ((connected) => listener.onStatus?.(connected)),
    onOpened: listener.onOpened && (() => listener.onOpened?.()),
  };
}

export class StreamHub {
  private readonly connections = new Map<string, Connection>();

  constructor(private readonly deps: HubDeps) {}

  subscribe(key: StreamKey, listener: StreamListener): () => void {
    if (sharesTheConnection(key)) return this.connect({ topics: SHARED_TOPICS }, onlyTopics(key.topics, listener));
    return this.connect(key, listener);
  }

  private connect(key: StreamKey, listener: StreamListener): () => void {
    const name = subscriptionKey(key);
    let c = this.connections.get(name);
    if (!c) {
      const created: Connection = new Connection(key, this.deps, () => {
        if (this.connections.get(name) === created) this.connections.delete(name);
      });
      c = created;
      this.connections.set(name, c);
    }
    const conn = c;
    conn.add(listener);
    return () => conn.remove(listener);
  }

  // Signing out: every connection carries the old token, close them all.
  closeAll(): void {
    [...this.connections.values()].forEach((c) => c.close());
    this.connections.clear();
  }

  get openConnections(): number {
    return this.connections.size;
  }
}
