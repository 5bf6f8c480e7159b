// How long an execution ran, ticking every second while it runs.
import { durationBetween, formatDuration } from '../ui/format';
import { useNow } from '../ui/useNow';

function Ticking({ start }: { start: string }) {
  const now = useNow(1000);
  return <>{formatDuration(durationBetween(start, null, now))}</>;
}

export function LiveDuration({ start, end, running }: { start: string | null; end: string | null; running: boolean }) {
  if (!start) return <>—</>;
  if (running && !end) return <Ticking start={start} />;
  return <>{formatDuration(durationBetween(start, end))}</>;
}
