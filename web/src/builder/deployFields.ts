// A deploy node's spec fields as the panel edits them (deploy_reader.h,
// docs/pipeline-format.md "Deploy nodes"): the strategy (`strategy`, or the
// older `with: {strategy}`), the health check, blue-green's switch/cleanup,
// canary's traffic command and steps, and the hooks' commands. Pure.
import { isJsonMap, type Json, type JsonMap } from './model';
import { commandsOf, hasCanarySteps, setField, textOf, withWithKey, withMap } from './nodeFields';

export const STRATEGIES = ['rolling', 'blue_green', 'canary'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export function strategyOf(data: JsonMap): Strategy {
  const s = typeof data.strategy === 'string' ? data.strategy : withMap(data).strategy;
  return s === 'blue_green' || s === 'canary' ? s : 'rolling';
}

// Writes `strategy` (dropping with.strategy, so it is given once) and the
// keys the new strategy cannot take; canary turns shell steps into its
// deploy command (`run`), leaving the canary steps to their defaults.
export function withStrategy(data: JsonMap, strategy: Strategy): JsonMap {
  let next = 'strategy' in withMap(data) ? withWithKey(data, 'strategy', undefined) : data;
  next = setField(next, 'strategy', strategy);
  if (strategy !== 'blue_green') for (const k of ['switch', 'cleanup', 'cleanup_delay']) next = setField(next, k, undefined);
  if (strategy !== 'canary') {
    next = setField(next, 'traffic', undefined);
    if (hasCanarySteps(next)) next = setField(next, 'steps', undefined);
  } else if (Array.isArray(next.steps) && !hasCanarySteps(next)) {
    const run = commandsOf(next).map((r) => r.run).join('\n');
    next = setField(setField(next, 'steps', undefined), 'run', run);
  }
  return next;
}

// ---- health check ----------------------------------------------------------

export type ProbeKind = 'none' | 'http' | 'command';

export interface HealthForm {
  kind: ProbeKind;
  url: string;
  expectStatus: string;
  bodyContains: string;
  command: string;
  retries: string;
  interval: string;
  timeout: string;
  successThreshold: string;
}

const text = (m: JsonMap, k: string) => (m[k] === undefined || m[k] === null ? '' : String(m[k]));

export function healthOf(data: JsonMap): HealthForm {
  const h = isJsonMap(data.health_check) ? data.health_check : null;
  const http = h && isJsonMap(h.http) ? h.http : null;
  return {
    kind: !h ? 'none' : http ? 'http' : 'command',
    url: http ? text(http, 'url') : '',
    expectStatus: http ? text(http, 'expect_status') : '',
    bodyContains: http ? text(http, 'body_contains') : '',
    command: h ? text(h, 'command') : '',
    retries: h ? text(h, 'retries') : '',
    interval: h ? text(h, 'interval') : '',
    timeout: h ? text(h, 'timeout') : '',
    successThreshold: h ? text(h, 'success_threshold') : '',
  };
}

function intOrText(s: string): Json {
  return /^\d+$/.test(s) ? Number(s) : s;
}

export function withHealth(data: JsonMap, f: HealthForm): JsonMap {
  if (f.kind === 'none') return setField(data, 'health_check', undefined);
  const h: JsonMap = {};
  if (f.kind === 'http') {
    const http: JsonMap = { url: f.url };
    if (f.expectStatus) http.expect_status = intOrText(f.expectStatus);
    if (f.bodyContains) http.body_contains = f.bodyContains;
    h.http = http;
  } else {
    h.command = f.command;
  }
  if (f.retries) h.retries = intOrText(f.retries);
  if (f.interval) h.interval = f.interval;
  if (f.timeout) h.timeout = f.timeout;
  if (f.successThreshold) h.success_threshold = intOrText(f.successThreshold);
  return setField(data, 'health_check', h);
}

// ---- canary steps ----------------------------------------------------------

export type CanaryRow =
  | { kind: 'set_weight'; weight: string }
  | { kind: 'pause'; duration: string } // '' = until promoted
  | { kind: 'analysis'; command: string; max: string; minSamples: string }
  | { kind: 'other'; value: Json }; // a step the panel cannot edit (url/health analysis): kept as is

export function canaryRowsOf(data: JsonMap): CanaryRow[] {
  if (!hasCanarySteps(data) || !Array.isArray(data.steps)) return [];
  return data.steps.map((s): CanaryRow => {
    if (!isJsonMap(s)) return { kind: 'other', value: s };
    if ('set_weight' in s) return { kind: 'set_weight', weight: String(s.set_weight ?? '') };
    if ('pause' in s) return { kind: 'pause', duration: typeof s.pause === 'string' || typeof s.pause === 'number' ? String(s.pause) : '' };
    const a = isJsonMap(s.analysis) ? s.analysis : null;
    const threshold = a && isJsonMap(a.threshold) ? a.threshold : null;
    if (a && typeof a.command === 'string' && Object.keys(a).every((k) => ['command', 'threshold', 'min_samples'].includes(k)) && (!threshold || Object.keys(threshold).every((k) => k === 'max')))
      return { kind: 'analysis', command: a.command, max: threshold ? text(threshold, 'max') : '', minSamples: text(a, 'min_samples') };
    return { kind: 'other', value: s };
  });
}

function numberOr(s: string): Json {
  return s !== '' && !Number.isNaN(Number(s)) ? Number(s) : s;
}

export function withCanaryRows(data: JsonMap, rows: readonly CanaryRow[]): JsonMap {
  if (rows.length === 0) return setField(data, 'steps', undefined);
  const steps: Json[] = rows.map((r) => {
    switch (r.kind) {
      case 'set_weight':
        return { set_weight: numberOr(r.weight) };
      case 'pause':
        return { pause: r.duration === '' ? {} : r.duration };
      case 'analysis': {
        const a: JsonMap = { command: r.command, threshold: { max: numberOr(r.max) } };
        if (r.minSamples) a.min_samples = numberOr(r.minSamples);
        return { analysis: a };
      }
      default:
        return r.value;
    }
  });
  return setField(data, 'steps', steps);
}

// ---- hooks (their commands; other hook keys are kept) ----------------------

export const HOOKS = ['migrate', 'seed', 'rollback'] as const;
export type HookName = (typeof HOOKS)[number];

export function hookRunOf(data: JsonMap, hook: HookName): string {
  const hooks = isJsonMap(data.hooks) ? data.hooks : {};
  const h = hooks[hook];
  return isJsonMap(h) ? textOf(h, 'run') : '';
}

export function withHookRun(data: JsonMap, hook: HookName, run: string): JsonMap {
  const hooks: JsonMap = isJsonMap(data.hooks) ? { ...data.hooks } : {};
  const current = isJsonMap(hooks[hook]) ? (hooks[hook] as JsonMap) : {};
  if (run === '') delete hooks[hook];
  else hooks[hook] = setField(current, 'run', run);
  return setField(data, 'hooks', Object.keys(hooks).length ? hooks : undefined);
}
