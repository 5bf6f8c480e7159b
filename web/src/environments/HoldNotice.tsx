// After a rollback, automatic deploys to the environment are held (the next
// push would redeploy the bad version): the hold's reason, the bad version,
// who and when, and the release for roles allowed to.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from '../ui/Button';
import { RelativeTime } from '../ui/RelativeTime';
import { deployKeys, fetchActiveHolds, releaseHold } from './api';
import { deployRefusal } from './permissions';
import type { Environment } from './types';

export function HoldNotice({ env, role, userName }: { env: Environment; role: string; userName: (id: string | null) => string }) {
  const client = useQueryClient();
  const release = useMutation({
    mutationFn: () => releaseHold(env.project_id, env.name),
    onSuccess: () => client.invalidateQueries({ queryKey: deployKeys.all }),
  });
  const holds = useQuery({ queryKey: deployKeys.holds(env.project_id), queryFn: () => fetchActiveHolds(env.project_id) });
  const h = holds.data?.find((x) => x.environment === env.name && x.active);
  if (!h) return null;
  const refusal = deployRefusal(env.name, env.required_role, role, 'release the hold on');
  return (
    <div data-testid="deploy-hold" className="flex flex-col gap-1 rounded border border-wait/40 bg-wait/10 p-2 text-sm">
      <p>
        <span className="font-medium text-wait">Automatic deploys are held</span> since the rollback of{' '}
        <span className="font-mono">{h.version_tag ?? 'a bad version'}</span>
        {h.reason && <>: {h.reason}</>}{' '}
        <span className="text-muted">
          ({userName(h.created_by)}, <RelativeTime iso={h.created_at} />)
        </span>
      </p>
      <div>
        <Button
          size="sm"
          data-testid="release-hold"
          disabled={refusal !== null || release.isPending}
          reason={refusal ?? (release.isPending ? 'Releasing…' : undefined)}
          onClick={() => release.mutate()}
        >
          Release the hold
        </Button>
        {release.isError && (
          <span role="alert" className="ml-2 text-xs text-bad">
            {release.error.message}
          </span>
        )}
      </div>
    </div>
  );
}
