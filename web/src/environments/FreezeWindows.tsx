// The freeze windows that apply to an environment (its own, the project's,
// global ones): what each is, why, and its next or current occurrence in
// the window's time zone and in the reader's.
import { useNow } from '../ui/useNow';
import { userTimeZone, windowText } from './freezeText';
import type { FreezeWindow } from './types';

const SCOPE: Record<string, string> = { global: 'every project', project: 'this project', environment: '' };

function WindowItem({ w, now }: { w: FreezeWindow; now: number }) {
  const t = windowText(w, userTimeZone(), now);
  const scope = SCOPE[w.scope];
  return (
    <li data-testid="freeze-window" data-state={t.state} className="flex flex-col text-sm">
      <span>
        {t.state === 'active' ? (
          <span className="font-medium text-wait">
            Frozen now:
          </span>
        ) : (
          <span className="font-medium">Freeze:</span>
        )}{' '}
        {w.reason}
        {scope && <span className="text-muted"> (applies to {scope})</span>}
      </span>
      <span className="text-muted">
        {t.rule}
        {t.inZone && <> — {t.state === 'active' ? 'now, ' : 'next '}{t.inZone}</>}
      </span>
      {t.inUserZone && <span className="text-muted">{t.inUserZone}</span>}
    </li>
  );
}

export function FreezeWindows({ windows }: { windows: FreezeWindow[] }) {
  const now = useNow(60_000);
  if (windows.length === 0) return <p className="text-sm text-muted">No freeze window applies.</p>;
  const sorted = [...windows].sort((a, b) => Number(b.active) - Number(a.active));
  return (
    <ul aria-label="Freeze windows" className="flex flex-col gap-1.5">
      {sorted.map((w) => (
        <WindowItem key={w.id} w={w} now={now} />
      ))}
    </ul>
  );
}
