// Small wordings the environment parts share: a span of seconds as words
// ("5 min", "1 h 30 min", "30 days") and a version as shown in a row. Pure.
import { shortSha } from '../ui/format';

export function spanWords(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) return '0 s';
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  const parts: string[] = [];
  if (d) parts.push(d === 1 ? '1 day' : `${d} days`);
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (s && !d && !h) parts.push(`${s} s`);
  return parts.slice(0, 2).join(' ');
}

export function versionText(v: { version_tag?: string | null; version?: string | null; commit_sha?: string | null }): string {
  return v.version_tag ?? v.version ?? shortSha(v.commit_sha);
}

// "a, b and c".
export function listWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
