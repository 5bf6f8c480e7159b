// The health and analysis probes over time with their latencies: a chart
// (failed probes drawn as red crosses, passed as green dots; the tooltip
// says which) and the newest probes as a table, so the numbers are also
// readable without the chart.
import { CartesianGrid, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatAbsolute } from '../ui/format';
import { probePoints } from './health';
import type { Probe } from './types';
import { TableHead } from './TableHead';

const axis = { stroke: 'var(--opz-muted)', fontSize: 11 };
const tooltipStyle = { background: 'var(--opz-surface)', border: '1px solid var(--opz-border)', color: 'var(--opz-fg)', fontSize: 12 };
// The x axis counts from the first probe: "+1.2 s".
const offset = (ms: number) => `+${ms < 10_000 ? (ms / 1000).toFixed(ms < 1000 ? 2 : 1) : Math.round(ms / 1000)} s`;

export function ProbeTimeline({ probes }: { probes: Probe[] }) {
  if (probes.length === 0) return <p className="text-sm text-muted">No probe recorded: this deployment has no health check or analysis.</p>;
  const all = probePoints(probes);
  const first = all[0]?.t ?? 0;
  const points = all.map((p) => ({ ...p, t: p.t - first }));
  const passed = points.filter((p) => p.ok);
  const failed = points.filter((p) => !p.ok);
  return (
    <div className="flex flex-col gap-3">
      <div aria-hidden="true">
        <ResponsiveContainer width="100%" height={200}>
          <ScatterChart accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
            <CartesianGrid stroke="var(--opz-border)" />
            <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={offset} tick={axis} stroke="var(--opz-border)" />
            <YAxis dataKey="latency" unit=" ms" tick={axis} stroke="var(--opz-border)" width={64} />
            <Tooltip contentStyle={tooltipStyle} labelFormatter={() => ''} formatter={(v, name) => [name === 'latency' ? `${String(v)} ms` : offset(Number(v)), name === 'latency' ? 'Latency' : 'At']} />
            <Scatter name="Passed" data={passed} fill="var(--opz-ok)" isAnimationActive={false} />
            <Scatter name="Failed" data={failed} fill="var(--opz-bad)" shape="cross" isAnimationActive={false} />
          </ScatterChart>
        </ResponsiveContainer>
      </div>
      <table className="w-full text-left text-xs" aria-label="Newest probes">
          <TableHead className="text-muted" columns={[{ name: 'When' }, { name: 'Kind' }, { name: 'Outcome' }, { name: 'Latency', className: 'text-right' }, { name: 'Target' }]} />
        <tbody>
          {probes.slice(0, 10).map((p, i) => (
            <tr key={p.id ?? i} data-testid="probe-row" className="border-t border-border">
              <td className="py-1">{formatAbsolute(p.created_at)}</td>
              <td>{p.kind}</td>
              <td className={p.ok ? 'text-ok' : 'text-bad'}>
                {p.ok ? '✓ passed' : `✕ failed${p.error ? `: ${p.error}` : ''}`}
                {p.status_code !== null && <span className="text-muted"> (HTTP {p.status_code})</span>}
                {p.value !== null && <span className="text-muted"> (value {p.value})</span>}
              </td>
              <td className="text-right font-mono">{p.latency_ms} ms</td>
              <td className="truncate pl-3 font-mono text-muted">{p.target ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
