// Every event is delivered once, in id order. The server replays from
// Last-Event-ID after a reconnect, so duplicates should not happen; a replay
// that overlaps (or a second frame with an old id) is dropped here anyway.
// After a `reset` the client refetches and resumes after the reset's id.
export class EventDeduper {
  private last = -1;

  // True when `id` is new (greater than every id accepted so far).
  accept(id: number): boolean {
    if (id <= this.last) return false;
    this.last = id;
    return true;
  }

  // A reset says: everything up to `lastId` is covered by the refetch.
  resetTo(lastId: number): void {
    this.last = Math.max(this.last, lastId);
  }

  get lastId(): number {
    return this.last;
  }
}
