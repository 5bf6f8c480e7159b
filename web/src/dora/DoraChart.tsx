// Deployments and failures per day (Recharts; loaded lazily like the other
// dashboard charts). The two series sit side by side, named in the legend
// and tooltip (never colour alone); a hidden caption sums them up for screen
// readers.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DoraDay } from './api';

const axis = { stroke: 'var(--opz-muted)', fontSize: 11 };
const tooltipStyle = { background: 'var(--opz-surface)', border: '1px solid var(--opz-border)', color: 'var(--opz-fg)', fontSize: 12 };

// "2026-12-05" → "Dec 5", read as a calendar day (no time-zone shift).
export function dayLabel(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return date;
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

export function seriesSummary(series: DoraDay[]): string {
  const deployments = series.reduce((n, d) => n + d.deployments, 0);
  const failures = series.reduce((n, d) => n + d.failures, 0);
  return `Deployments per day over ${series.length} days: ${deployments} deployments, ${failures} failed`;
}

export function DoraChart({ series }: { series: DoraDay[] }) {
  return (
    <figure data-testid="dora-chart">
      <figcaption className="sr-only">{seriesSummary(series)}</figcaption>
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={series} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid stroke="var(--opz-border)" vertical={false} />
          <XAxis dataKey="date" tickFormatter={dayLabel} tick={axis} stroke="var(--opz-border)" minTickGap={16} />
          <YAxis allowDecimals={false} tick={axis} stroke="var(--opz-border)" />
          <Tooltip contentStyle={tooltipStyle} labelFormatter={(d) => dayLabel(String(d))} cursor={{ fill: 'var(--opz-surface-2)' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="deployments" name="Deployments" fill="var(--opz-run)" maxBarSize={24} isAnimationActive={false} />
          <Bar dataKey="failures" name="Failed" fill="var(--opz-bad)" maxBarSize={24} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
