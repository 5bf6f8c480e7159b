// The dashboard's charts (Recharts; loaded lazily so the first paint does
// not wait for them): executions over time stacked by outcome, and the
// durations of recent finished executions. Colours are the status tokens;
// each series is also named in the legend and tooltip (never colour alone).
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDuration } from '../ui/format';
import { OUTCOMES, OUTCOME_WORD, type Bucket, type DurationPoint, type Outcome, type Range } from './series';

const COLOUR: Record<Outcome, string> = {
  success: 'var(--opz-ok)',
  failed: 'var(--opz-bad)',
  running: 'var(--opz-run)',
  waiting: 'var(--opz-wait)',
  cancelled: 'var(--opz-idle)',
};

const axis = { stroke: 'var(--opz-muted)', fontSize: 11 };
const tooltipStyle = { background: 'var(--opz-surface)', border: '1px solid var(--opz-border)', color: 'var(--opz-fg)', fontSize: 12 };

// Axis labels of durations in seconds stay on one line: "0.25s", "4.5s",
// "45s", "5m", "2h" (sub-second runs keep their precision instead of all
// reading "0s").
export function axisSeconds(s: number): string {
  if (s === 0) return '0s';
  if (s < 10) return `${Number(s.toPrecision(2))}s`; // two significant digits: 0.015s, 4.6s
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.round(s / 60)}m`;
  return `${Math.round(s / 360) / 10}h`;
}

function tick(range: Range) {
  return (t: number) => {
    const d = new Date(t);
    return range === '24h'
      ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
      : d.toLocaleDateString(undefined, { weekday: 'short', day: 'numeric' });
  };
}

export function ExecutionsOverTimeChart({ buckets, range }: { buckets: Bucket[]; range: Range }) {
  return (
    <ResponsiveContainer width="100%" height={220}>
      <BarChart data={buckets} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid stroke="var(--opz-border)" vertical={false} />
        <XAxis dataKey="start" tickFormatter={tick(range)} tick={axis} stroke="var(--opz-border)" />
        <YAxis allowDecimals={false} tick={axis} stroke="var(--opz-border)" />
        <Tooltip contentStyle={tooltipStyle} labelFormatter={(t) => new Date(Number(t)).toLocaleString()} cursor={{ fill: 'var(--opz-surface-2)' }} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {OUTCOMES.map((o) => (
          <Bar key={o} dataKey={o} name={OUTCOME_WORD[o]} stackId="s" fill={COLOUR[o]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

export function DurationChart({ points }: { points: DurationPoint[] }) {
  const data = points.map((p) => ({ ...p, [p.outcome]: p.seconds }));
  return (
    <ResponsiveContainer width="100%" height={220}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
        <CartesianGrid stroke="var(--opz-border)" vertical={false} />
        <XAxis dataKey="name" tick={false} stroke="var(--opz-border)" />
        <YAxis tick={axis} stroke="var(--opz-border)" tickFormatter={axisSeconds} width={48} />
        <Tooltip
          contentStyle={tooltipStyle}
          cursor={{ fill: 'var(--opz-surface-2)' }}
          formatter={(v) => formatDuration(Number(v) * 1000)}
          labelFormatter={(_, payload) => {
            const p = payload?.[0]?.payload as DurationPoint | undefined;
            return p ? `${p.name} · ${new Date(p.start).toLocaleString()}` : '';
          }}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {OUTCOMES.filter((o) => points.some((p) => p.outcome === o)).map((o) => (
          <Bar key={o} dataKey={o} name={OUTCOME_WORD[o]} stackId="d" fill={COLOUR[o]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
