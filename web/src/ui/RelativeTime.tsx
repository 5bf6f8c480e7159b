// "3 min ago", with the absolute time and zone on hover (UI.md: never a raw
// ISO string). Re-renders every 30 s so the words stay true.
import { formatAbsolute, formatRelative } from './format';
import { useNow } from './useNow';

export function RelativeTime({ iso, className = '' }: { iso: string | null | undefined; className?: string }) {
  const now = useNow(30_000);
  if (!iso) return <span className={className}>—</span>;
  return (
    <time dateTime={iso} title={formatAbsolute(iso)} className={className}>
      {formatRelative(iso, now)}
    </time>
  );
}
