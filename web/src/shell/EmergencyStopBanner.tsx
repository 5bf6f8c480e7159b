// The global banner while the emergency stop is on: impossible to miss, and
// it says why, by whom, since when, and what happens to running deployments.
import { useQuery } from '@tanstack/react-query';
import { useLiveInvalidation } from '../realtime/useLiveInvalidation';
import { RelativeTime } from '../ui/RelativeTime';
import { emergencyStopQuery } from './queries';

export function EmergencyStopBanner({ selfId }: { selfId: string }) {
  const stop = useQuery(emergencyStopQuery);
  useLiveInvalidation(['environments', 'audit'], [emergencyStopQuery.queryKey]);
  const s = stop.data;
  if (!s?.active) return null;
  const by = s.by === selfId ? 'you' : (s.by ?? 'an admin');
  return (
    <div role="alert" data-testid="emergency-stop-banner" className="border-b-2 border-bad bg-bad/10 px-4 py-2 text-sm">
      <strong className="text-bad">⛔ Emergency stop is on:</strong> {s.reason} — by {by}, since{' '}
      <RelativeTime iso={s.since} />. No deployment starts until an admin lifts it
      {s.mode === 'cancel' ? '; deployments that were running were cancelled.' : '; deployments already running finish.'}
    </div>
  );
}
