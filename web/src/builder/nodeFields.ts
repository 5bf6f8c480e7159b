// Reading and writing one node's fields (its `data`, the node keys of
// opzenix.yml) the way the side panel edits them. Each writer answers a new
// map, keeps the other keys and their order, and removes a key rather than
// writing an empty value, so an untouched field never appears in the YAML.
// Only keys the server's node reader knows are written (node_reader.h,
// deploy_reader.h). Pure.
import { isJsonMap, type Json, type JsonMap } from './model';

export function setField(data: JsonMap, key: string, value: Json | undefined): JsonMap {
  const out: JsonMap = {};
  let placed = false;
  for (const [k, v] of Object.entries(data)) {
    if (k !== key) out[k] = v;
    else if (value !== undefined) {
      out[k] = value;
      placed = true;
    }
  }
  if (!placed && value !== undefined) out[key] = value;
  return out;
}

export function textOf(data: JsonMap, key: string): string {
  const v = data[key];
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

// A text field: empty removes the key.
export function withText(data: JsonMap, key: string, text: string): JsonMap {
  return setField(data, key, text === '' ? undefined : text);
}

// ---- commands: `run` or `steps` ({name, run} or plain strings) ----------

export interface StepRow {
  name: string;
  run: string;
}

const CANARY_KEYS = ['set_weight', 'pause', 'analysis'];

export function hasCanarySteps(data: JsonMap): boolean {
  return Array.isArray(data.steps) && data.steps.some((s) => isJsonMap(s) && CANARY_KEYS.some((k) => k in s));
}

export function commandsOf(data: JsonMap): StepRow[] {
  if (Array.isArray(data.steps) && !hasCanarySteps(data)) {
    return data.steps.map((s) =>
      typeof s === 'string' ? { name: '', run: s } : isJsonMap(s) ? { name: textOf(s, 'name'), run: textOf(s, 'run') } : { name: '', run: '' },
    );
  }
  if (typeof data.run === 'string') return [{ name: '', run: data.run }];
  return [];
}

// `from` renamed to `to` in its place, with `value`.
function replaceKey(data: JsonMap, from: string, to: string, value: Json): JsonMap {
  if (!(from in data)) return setField(data, to, value);
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(data)) {
    if (k === from) out[to] = value;
    else if (k !== to) out[k] = v;
  }
  return out;
}

// One unnamed command is `run`; anything else `steps`. Canary steps are
// left alone (their deploy command is `run`).
export function withCommands(data: JsonMap, rows: readonly StepRow[]): JsonMap {
  if (hasCanarySteps(data)) return setField(data, 'run', rows[0]?.run ?? '');
  if (rows.length === 0) return setField(setField(data, 'steps', undefined), 'run', undefined);
  if (rows.length === 1 && !rows[0]!.name) return replaceKey(data, 'steps', 'run', rows[0]!.run);
  const steps: Json[] = rows.map((r): Json => (r.name ? { name: r.name, run: r.run } : { run: r.run }));
  return replaceKey(data, 'run', 'steps', steps);
}

// ---- env ------------------------------------------------------------------

export type EnvRow = [name: string, value: string];

export function envOf(data: JsonMap): EnvRow[] {
  const env = data.env;
  if (!isJsonMap(env)) return [];
  return Object.entries(env).map(([k, v]) => [k, typeof v === 'string' ? v : v === null ? '' : JSON.stringify(v)]);
}

export function withEnv(data: JsonMap, rows: readonly EnvRow[]): JsonMap {
  if (rows.length === 0) return setField(data, 'env', undefined);
  const env: JsonMap = {};
  for (const [k, v] of rows) env[k] = v;
  return setField(data, 'env', env);
}

// ---- retry ------------------------------------------------------------------

export type RetryMode = 'none' | 'default' | 'custom';

export interface RetryForm {
  mode: RetryMode;
  maxAttempts: string;
  initial: string;
  max: string;
}

export function retryOf(data: JsonMap): RetryForm {
  const r = data.retry;
  if (r === true) return { mode: 'default', maxAttempts: '', initial: '', max: '' };
  if (isJsonMap(r)) {
    const text = (k: string) => (r[k] === undefined || r[k] === null ? '' : String(r[k]));
    return { mode: 'custom', maxAttempts: text('max_attempts'), initial: text('initial'), max: text('max') };
  }
  return { mode: 'none', maxAttempts: '', initial: '', max: '' };
}

function numberOrText(text: string): Json {
  return /^\d+$/.test(text) ? Number(text) : text;
}

export function withRetry(data: JsonMap, form: RetryForm): JsonMap {
  if (form.mode === 'none') return setField(data, 'retry', undefined);
  if (form.mode === 'default') return setField(data, 'retry', true);
  const r: JsonMap = {};
  if (form.maxAttempts) r.max_attempts = numberOrText(form.maxAttempts);
  if (form.initial) r.initial = form.initial;
  if (form.max) r.max = form.max;
  return setField(data, 'retry', r);
}

// ---- booleans with a per-type default (checkpoint, auto_rollback) --------

export type Tristate = 'default' | 'on' | 'off';

export function tristateOf(data: JsonMap, key: string): Tristate {
  return data[key] === true ? 'on' : data[key] === false ? 'off' : 'default';
}

export function withTristate(data: JsonMap, key: string, value: Tristate): JsonMap {
  return setField(data, key, value === 'default' ? undefined : value === 'on');
}

// ---- `with` -----------------------------------------------------------------

export function withMap(data: JsonMap): JsonMap {
  return isJsonMap(data.with) ? data.with : {};
}

export function withWithKey(data: JsonMap, key: string, value: Json | undefined): JsonMap {
  const next = setField(withMap(data), key, value);
  return setField(data, 'with', Object.keys(next).length ? next : undefined);
}

// Approval gates: with.required_approvals, 1 when absent (engine/node_gates.cc).
export function requiredApprovalsOf(data: JsonMap): string {
  const v = withMap(data).required_approvals;
  return typeof v === 'number' ? String(v) : '';
}

export function withRequiredApprovals(data: JsonMap, text: string): JsonMap {
  return withWithKey(data, 'required_approvals', text === '' ? undefined : numberOrText(text));
}
