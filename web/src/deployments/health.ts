// A deployment's health in one line from its probes (newest first): the
// last health probe's outcome and latency, and how many of the recent ones
// passed. Pure.
import type { Probe } from './types';

export interface HealthSummary {
  tone: 'ok' | 'bad' | 'none';
  text: string;
}

export function healthSummary(probes: Probe[], recent = 10): HealthSummary {
  const health = probes.filter((p) => p.kind === 'health');
  const list = health.length ? health : probes;
  if (list.length === 0) return { tone: 'none', text: 'No health check recorded' };
  const last = list[0]!;
  const window = list.slice(0, recent);
  const passed = window.filter((p) => p.ok).length;
  const what = last.ok ? 'Healthy' : 'Unhealthy';
  const detail = last.ok ? `${last.latency_ms} ms` : (last.error ?? (last.status_code ? `HTTP ${last.status_code}` : 'failed'));
  return { tone: last.ok ? 'ok' : 'bad', text: `${what}: last probe ${detail}; ${passed} of ${window.length} recent probes passed` };
}

// Probes oldest first as chart points (epoch ms, latency, passed).
export interface ProbePoint {
  t: number;
  latency: number;
  ok: boolean;
  kind: string;
  label: string;
}

export function probePoints(probes: Probe[]): ProbePoint[] {
  return [...probes]
    .reverse()
    .map((p) => ({
      t: Date.parse(p.created_at),
      latency: p.latency_ms,
      ok: p.ok,
      kind: p.kind,
      label: p.ok ? `${p.kind} passed` : `${p.kind} failed${p.error ? `: ${p.error}` : ''}`,
    }))
    .filter((p) => Number.isFinite(p.t));
}
