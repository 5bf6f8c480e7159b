// One environment: its lock, the version running and its health, a hold
// left by a rollback, the protection rules, the freeze windows, the queue,
// its variables, and its deployment history with rollback; lock and promote
// in the header.
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { ErrorState } from '../ui/ErrorState';
import { SkeletonRows } from '../ui/Skeleton';
import { deployKeys, fetchHistory } from './api';
import { CurrentVersion } from './CurrentVersion';
import { EnvironmentConfigPanel } from './EnvironmentConfigPanel';
import { EnvironmentQueue } from './EnvironmentQueue';
import { FreezeWindows } from './FreezeWindows';
import { HistoryTable } from './HistoryTable';
import { currentRow } from './history';
import { HoldNotice } from './HoldNotice';
import { LockState, LockToggle } from './LockControl';
import { PromoteControl } from './PromoteControl';
import { ProtectionRules } from './ProtectionRules';
import type { Environment, Lifecycle } from './types';

export interface EnvironmentCardProps {
  env: Environment;
  envs: Environment[];
  lifecycle: Lifecycle | undefined;
  role: string;
  userName: (id: string | null | undefined) => string;
}

function Part({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <h4 className="text-xs font-semibold tracking-wide text-muted uppercase">{title}</h4>
      {children}
    </div>
  );
}

export function EnvironmentCard({ env, envs, lifecycle, role, userName }: EnvironmentCardProps) {
  const titleId = useId();
  const history = useQuery({ queryKey: deployKeys.history(env.project_id, env.name), queryFn: () => fetchHistory(env.project_id, env.name) });
  const rows = history.data ?? [];
  const current = currentRow(rows);
  return (
    <li
      data-testid="environment-card"
      data-environment={env.name}
      data-locked={env.is_locked ? 'true' : 'false'}
      aria-labelledby={titleId}
      className={`flex flex-col gap-3 rounded border bg-surface p-4 ${env.is_locked ? 'border-wait/60' : 'border-border'}`}
    >
      <header className="flex flex-wrap items-center gap-3">
        <h3 id={titleId} className="text-base font-semibold">
          {env.name}
        </h3>
        <LockState env={env} userName={userName} />
        <div className="flex-1" />
        <LockToggle env={env} role={role} />
      </header>
      <div className="grid grid-cols-[minmax(18rem,24rem)_1fr] gap-6">
        <div className="flex flex-col gap-3">
          <Part title="Running now">
            {history.isPending ? <SkeletonRows rows={1} label="Loading the current version" /> : <CurrentVersion current={current} userName={userName} />}
            <PromoteControl env={env} envs={envs} lifecycle={lifecycle} current={current} role={role} />
          </Part>
          <HoldNotice env={env} role={role} userName={userName} />
          <Part title="Protection rules">
            <ProtectionRules env={env} userName={userName} />
          </Part>
          <Part title="Freeze windows">
            <FreezeWindows windows={env.freeze_windows} />
          </Part>
          <Part title="Queue">
            <EnvironmentQueue projectId={env.project_id} envName={env.name} />
          </Part>
          <Part title="Variables">
            <EnvironmentConfigPanel projectId={env.project_id} envName={env.name} role={role} userName={userName} />
          </Part>
        </div>
        <Part title="History">
          {history.isPending && <SkeletonRows rows={3} label={`Loading the history of ${env.name}`} />}
          {history.isError && <ErrorState title={`The history of ${env.name} could not be loaded`} error={history.error} onRetry={() => void history.refetch()} />}
          {history.data && rows.length === 0 && <p className="text-sm text-muted">No deployment to {env.name} yet. A pipeline's deploy node targeting {env.name} records one here.</p>}
          {rows.length > 0 && <HistoryTable env={env} rows={rows} complete={rows.length < 50} role={role} userName={userName} />}
        </Part>
      </div>
    </li>
  );
}
