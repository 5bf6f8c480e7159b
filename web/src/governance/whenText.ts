// When a wait ends, in the words of a status line: "Mon 09:00 UTC" (the
// day when it is not today), "09:00 UTC" today. UTC, since operators share
// links across zones; the absolute time with the reader's zone is on hover.
export function whenText(iso: string | null | undefined, now = Date.now()): string | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return null;
  const d = new Date(t);
  const hm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} UTC`;
  const sameDay = new Date(now).toISOString().slice(0, 10) === d.toISOString().slice(0, 10);
  if (sameDay) return hm;
  const day = d.toLocaleDateString('en-GB', { weekday: 'short', timeZone: 'UTC' });
  if (Math.abs(t - now) < 6 * 86_400_000) return `${day} ${hm}`;
  const date = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  return `${day} ${date} ${hm}`;
}
