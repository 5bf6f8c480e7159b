// Freeze windows in words: what the window is ("Saturdays and Sundays
// 22:00–06:00"), and its next (or current) occurrence written twice — in
// the window's own time zone and in the reader's. The occurrence comes from
// the server's next_start/next_end when it sends them, else from
// active_until while active, else from an absolute window's local start and
// end read in its zone; recurring windows without next_* have only their
// rule. Pure: zones are parameters, `now` too.
import type { FreezeWindow } from './types';
import { spanWords } from './words';

export interface Occurrence {
  start: number | null; // epoch ms; null when only the end is known (active)
  end: number | null;
}

// The offset of `timeZone` from UTC at instant `ms`, in ms.
function zoneOffset(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

// A local wall-clock time ("2026-12-24T00:00:00") in `timeZone` → epoch ms
// (a time in a DST gap or overlap lands within an hour of it: fine for display).
export function localToUtc(local: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(local);
  if (!m) return null;
  const guess = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  try {
    const first = guess - zoneOffset(guess, timeZone);
    return guess - zoneOffset(first, timeZone);
  } catch {
    return null; // unknown zone
  }
}

function parseIso(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
}

export function nextOccurrence(w: FreezeWindow): Occurrence | null {
  const start = parseIso(w.next_start);
  const end = parseIso(w.next_end);
  if (start !== null || end !== null) return { start, end };
  if (w.active && w.active_until) return { start: null, end: parseIso(w.active_until) };
  if (w.kind === 'absolute' && w.start && w.end) {
    return { start: localToUtc(w.start, w.timezone), end: localToUtc(w.end, w.timezone) };
  }
  return null;
}

const DAY_NAMES: Record<string, string> = {
  mon: 'Mondays',
  tue: 'Tuesdays',
  wed: 'Wednesdays',
  thu: 'Thursdays',
  fri: 'Fridays',
  sat: 'Saturdays',
  sun: 'Sundays',
};

// What the window is, in its own zone's words.
export function windowRule(w: FreezeWindow): string {
  if (w.kind === 'weekly') {
    const days = w.weekdays.map((d) => DAY_NAMES[d.toLowerCase()] ?? d);
    const list = days.length > 1 ? `${days.slice(0, -1).join(', ')} and ${days[days.length - 1]}` : (days[0] ?? '');
    return `${list} ${w.start_time ?? ''}–${w.end_time ?? ''}`.trim();
  }
  if (w.kind === 'cron') {
    return `Every match of cron ${w.cron ?? '?'}, for ${spanWords(w.duration_seconds ?? 0)}`;
  }
  return 'Once';
}

function dayAndTime(ms: number, timeZone: string): { day: string; time: string } {
  const d = new Date(ms);
  const day = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short' }).format(d);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
  return { day, time };
}

// "Thu, 24 Dec 00:00 – Sat, 26 Dec 23:59", "Sat, 5 Dec 22:00–23:00",
// "until Sat, 5 Dec 23:00", in `timeZone`.
export function occurrenceText(o: Occurrence, timeZone: string): string {
  const end = o.end === null ? null : dayAndTime(o.end, timeZone);
  if (o.start === null) return end ? `until ${end.day} ${end.time}` : '';
  const start = dayAndTime(o.start, timeZone);
  if (!end) return `from ${start.day} ${start.time}`;
  if (end.day === start.day) return `${start.day} ${start.time}–${end.time}`;
  return `${start.day} ${start.time} – ${end.day} ${end.time}`;
}

export interface WindowText {
  rule: string; // what the window is
  state: 'active' | 'upcoming' | 'unknown';
  inZone: string | null; // the occurrence in the window's zone, "… (Europe/Berlin)"
  inUserZone: string | null; // the same in the reader's, "… your time (UTC)"; null when the zones agree
}

export function windowText(w: FreezeWindow, userZone: string, now: number): WindowText {
  const o = nextOccurrence(w);
  const active = w.active || (o !== null && o.start !== null && o.start <= now && (o.end === null || now < o.end));
  const state = active ? 'active' : o ? 'upcoming' : 'unknown';
  if (!o) return { rule: windowRule(w), state, inZone: null, inUserZone: null };
  const zone = w.timezone || 'UTC';
  const inZone = `${occurrenceText(o, zone)} (${zone})`;
  const sameOffset = [o.start, o.end].every((t) => t === null || zoneOffset(t, zone) === zoneOffset(t, userZone));
  const inUserZone = sameOffset ? null : `${occurrenceText(o, userZone)} your time (${userZone})`;
  return { rule: windowRule(w), state, inZone, inUserZone };
}

export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
