// The global banner while the emergency stop is on: impossible to miss, and
// it says why, by whom, since when, and what happens to running
// deployments. It follows the `environments` topic live (the stop's rows
// are on it), and offers admins the lift.
import { useQuery } from '@tanstack/react-query';
import { LiftEmergencyStop } from '../environments/EmergencyStopControls';
import { useUserName } from '../environments/useUserName';
import { useLiveInvalidation } from '../realtime/useLiveInvalidation';
import { RelativeTime } from '../ui/RelativeTime';
import { emergencyStopQuery, type EmergencyStop } from './queries';
import { useSession } from './useSession';

export function EmergencyStopBanner({ selfId }: { selfId: string }) {
  const stop = useQuery(emergencyStopQuery);
  useLiveInvalidation(['environments', 'audit'], [emergencyStopQuery.queryKey]);
  const s = stop.data;
  if (!s?.active) return null;
  return <ActiveStop stop={s} selfId={selfId} />;
}

// Names are looked up only while a stop is on.
function ActiveStop({ stop: s, selfId }: { stop: EmergencyStop; selfId: string }) {
  const session = useSession();
  const userName = useUserName();
  const by = s.by === selfId ? 'you' : s.by ? userName(s.by) : 'an admin';
  const isAdmin = session?.user.role === 'admin';
  return (
    <div role="alert" data-testid="emergency-stop-banner" className="flex items-center gap-3 border-b-2 border-bad bg-bad/10 px-4 py-2 text-sm">
      <p className="flex-1">
        <strong className="text-bad">⚠ Emergency stop is on:</strong> {s.reason} — by {by}, since <RelativeTime iso={s.since} />. No deployment
        starts until an admin lifts it
        {s.mode === 'cancel' ? '; deployments that were running were cancelled.' : '; deployments already running finish.'}
      </p>
      {isAdmin && <LiftEmergencyStop role="admin" />}
    </div>
  );
}
