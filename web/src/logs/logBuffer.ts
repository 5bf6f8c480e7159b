// A node's log in memory, column by column (100,000 lines stay cheap): the
// raw message (with its escapes, for rendering), the plain text (for search,
// sections and download), stream, time and seq. Lines only ever append, in
// seq order; a line at or below the last seq (a page and the stream
// overlapping) is skipped, so no line shows twice. Not thread-aware; pure.
import { hasControl, stripAnsi } from './ansi';

export interface IncomingLine {
  seq: number;
  attempt?: number;
  stream: string;
  level?: string;
  message: string;
  created_at: string;
}

export class LogBuffer {
  readonly seqs: number[] = [];
  readonly raw: string[] = [];
  readonly plain: string[] = [];
  readonly streams: string[] = [];
  readonly levels: string[] = [];
  readonly times: number[] = [];
  readonly attempts: number[] = [];
  lastSeq = 0;

  get length(): number {
    return this.raw.length;
  }

  // Answers how many lines were added.
  append(lines: readonly IncomingLine[]): number {
    let added = 0;
    for (const l of lines) {
      if (l.seq <= this.lastSeq) continue;
      this.lastSeq = l.seq;
      this.seqs.push(l.seq);
      this.raw.push(l.message);
      this.plain.push(hasControl(l.message) ? stripAnsi(l.message) : l.message);
      this.streams.push(l.stream);
      this.levels.push(l.level ?? 'info');
      this.times.push(Date.parse(l.created_at));
      this.attempts.push(l.attempt ?? 0);
      added++;
    }
    return added;
  }

  // The whole log as text (what "download" saves).
  text(): string {
    return this.plain.join('\n') + (this.plain.length ? '\n' : '');
  }
}
