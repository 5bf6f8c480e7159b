// The current time, re-read every `intervalMs`: for relative times and the
// live-ticking durations of running things. One timer per caller; pass a
// longer interval where seconds do not matter.
import { useEffect, useState } from 'react';

export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
