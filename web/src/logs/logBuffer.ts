// A node's log in memory, column by column (100,000 lines stay cheap): the
// raw message (with its escapes, for rendering), the plain text (for search,
// sections and download), stream, time and seq. Index i is line i+1 of the
// whole log. Not thread-aware; pure.
//
// Two ways in:
//  - append(): lines at the end, in seq order; a line at or below the last
//    seq (a page and the stream overlapping) is skipped, so none shows twice.
//  - startWithTail() + fillHead() + finishHead(): a long log's END first. The
//    tail (the last N lines, and the log's total then) goes in behind a hole
//    of total-N placeholder lines, so its lines already have their true
//    numbers (total-N+1..total) and the list's height never changes while the
//    earlier lines are filled in from the start: a reader's scroll position
//    stays put. Lines before the tail never change (seqs only grow), so the
//    hole is exactly filled; if it ever is not, fillHead() makes room and
//    finishHead() drops what is left, rather than misnumber lines.
import { hasControl, stripAnsi } from './ansi';

export interface IncomingLine {
  seq: number;
  attempt?: number;
  stream: string;
  level?: string;
  message: string;
  created_at: string;
}

// A line not loaded yet, column by column (the order of LogBuffer.columns()).
const PLACEHOLDER: readonly unknown[] = [0, '', '', 'stdout', 'info', NaN, 0];

export class LogBuffer {
  readonly seqs: number[] = [];
  readonly raw: string[] = [];
  readonly plain: string[] = [];
  readonly streams: string[] = [];
  readonly levels: string[] = [];
  readonly times: number[] = [];
  readonly attempts: number[] = [];
  lastSeq = 0;
  // Lines [holeStart, holeEnd) are placeholders not loaded yet.
  holeStart = 0;
  holeEnd = 0;
  // The first seq of the tail: head lines are those below it.
  private tailFirstSeq = 0;
  private headLastSeq = 0;

  get length(): number {
    return this.raw.length;
  }

  // Every line from the first is here (no tail waiting for its head).
  get headComplete(): boolean {
    return this.holeStart === this.holeEnd;
  }

  // Line index i (0-based) has arrived.
  has(i: number): boolean {
    return i >= 0 && i < this.raw.length && (i < this.holeStart || i >= this.holeEnd);
  }

  // The tail's first seq (0 without a tail): the head is every line below it.
  get tailFirst(): number {
    return this.tailFirstSeq;
  }

  // The seq to page the head from (after=…).
  get headAfter(): number {
    return this.headLastSeq;
  }

  // Answers how many lines were added.
  append(lines: readonly IncomingLine[]): number {
    let added = 0;
    for (const l of lines) {
      if (l.seq <= this.lastSeq) continue;
      this.lastSeq = l.seq;
      this.put(this.raw.length, l);
      added++;
    }
    return added;
  }

  // An empty buffer takes a log's last lines and its total line count at
  // that moment; `firstSeq` (the log's first seq, when known) lets the head
  // be paged from just before it. Answers how many lines were added.
  startWithTail(lines: readonly IncomingLine[], total: number, firstSeq = 0): number {
    if (this.raw.length !== 0) throw new Error('startWithTail: the buffer is not empty');
    if (lines.length === 0) return 0;
    const missing = Math.max(0, total - lines.length);
    this.tailFirstSeq = lines[0]!.seq;
    this.headLastSeq = missing > 0 && firstSeq > 0 ? firstSeq - 1 : 0;
    for (let i = 0; i < missing; i++) this.putPlaceholder();
    this.holeStart = 0;
    this.holeEnd = missing;
    return this.append(lines);
  }

  // Head lines (a page from the start, in seq order) into the hole. Lines at
  // or past the tail's first seq, or already seen, are skipped. Answers how
  // many were added.
  fillHead(lines: readonly IncomingLine[]): number {
    let added = 0;
    for (const l of lines) {
      if (l.seq >= this.tailFirstSeq || l.seq <= this.headLastSeq) continue;
      this.headLastSeq = l.seq;
      if (this.holeStart === this.holeEnd) {
        // More head than the total said: make room (the tail's numbers shift).
        this.insertPlaceholder(this.holeStart);
        this.holeEnd++;
      }
      this.put(this.holeStart++, l);
      added++;
    }
    return added;
  }

  // The head has reached the tail: placeholders left (fewer lines than the
  // total said) are dropped. Answers how many.
  finishHead(): number {
    const left = this.holeEnd - this.holeStart;
    if (left > 0) {
      for (const c of this.columns()) c.splice(this.holeStart, left);
      this.holeEnd = this.holeStart;
    }
    return left;
  }

  // The whole log as text (what "download" saves): the lines that have arrived.
  text(): string {
    const lines = this.headComplete ? this.plain : [...this.plain.slice(0, this.holeStart), ...this.plain.slice(this.holeEnd)];
    return lines.join('\n') + (lines.length ? '\n' : '');
  }

  private columns(): unknown[][] {
    return [this.seqs, this.raw, this.plain, this.streams, this.levels, this.times, this.attempts];
  }

  private put(i: number, l: IncomingLine): void {
    this.seqs[i] = l.seq;
    this.raw[i] = l.message;
    this.plain[i] = hasControl(l.message) ? stripAnsi(l.message) : l.message;
    this.streams[i] = l.stream;
    this.levels[i] = l.level ?? 'info';
    this.times[i] = Date.parse(l.created_at);
    this.attempts[i] = l.attempt ?? 0;
  }

  private putPlaceholder(): void {
    this.columns().forEach((c, k) => c.push(PLACEHOLDER[k]));
  }

  private insertPlaceholder(i: number): void {
    this.columns().forEach((c, k) => c.splice(i, 0, PLACEHOLDER[k]));
  }
}
