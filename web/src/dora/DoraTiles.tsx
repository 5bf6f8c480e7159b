// The four DORA metrics as tiles, each with its performance band (bands.ts)
// and a line saying what it measures. A metric with nothing to measure yet
// (no deployment, no failure) shows "—" and why, without a band.
import type { ReactNode } from 'react';
import type { DoraMetrics } from './api';
import { BandBadge } from './BandBadge';
import { changeFailureRateBand, deploymentFrequencyBand, leadTimeBand, timeToRestoreBand, type Band } from './bands';
import { formatFrequency, formatLongDuration, formatRate, leadTimeStart } from './format';

function Tile({ testId, label, value, band, note }: { testId: string; label: string; value: ReactNode; band: Band | null; note: string }) {
  return (
    <div data-testid={testId} className="flex flex-col gap-1 rounded border border-border bg-surface-2/40 p-3">
      <div className="flex items-start justify-between gap-2">
        <h3 className="text-sm font-medium text-muted">{label}</h3>
        {band && <BandBadge band={band} />}
      </div>
      <p data-testid="dora-value" className="text-xl font-semibold tabular-nums">
        {value}
      </p>
      <p className="text-xs text-muted">{note}</p>
    </div>
  );
}

const orNull = <T,>(v: number | null, f: (n: number) => T): T | null => (v === null ? null : f(v));

export function DoraTiles({ metrics }: { metrics: DoraMetrics }) {
  const m = metrics;
  const deployed = m.deployment_frequency > 0;
  return (
    <div className="grid grid-cols-4 gap-3">
      <Tile
        testId="dora-deployment-frequency"
        label="Deployment frequency"
        value={formatFrequency(m.deployment_frequency)}
        band={deploymentFrequencyBand(m.deployment_frequency)}
        note={deployed ? `Successful deployments to ${m.environment}` : `No deployment to ${m.environment} in this window`}
      />
      <Tile
        testId="dora-lead-time"
        label="Lead time for changes"
        value={formatLongDuration(m.lead_time_seconds)}
        band={orNull(m.lead_time_seconds, leadTimeBand)}
        note={m.lead_time_seconds === null ? 'No deployment to measure yet' : `From ${leadTimeStart(m.lead_time_basis)} to deployment`}
      />
      <Tile
        testId="dora-change-failure-rate"
        label="Change failure rate"
        value={formatRate(m.change_failure_rate)}
        band={orNull(m.change_failure_rate, changeFailureRateBand)}
        note={m.change_failure_rate === null ? 'No deployment to measure yet' : 'Share of deployments that failed or were rolled back'}
      />
      <Tile
        testId="dora-time-to-restore"
        label="Time to restore"
        value={formatLongDuration(m.time_to_restore_seconds)}
        band={orNull(m.time_to_restore_seconds, timeToRestoreBand)}
        note={m.time_to_restore_seconds === null ? 'No failed deployment to recover from' : 'From a failed deployment to the next good one'}
      />
    </div>
  );
}
