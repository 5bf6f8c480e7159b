// A real stream client for tests/integration/event_stream_test.cc: the npm
// `eventsource` package against GET /api/v1/events.
//
//   node collect.mjs BASE_URL TOKEN run PIPELINE_YAML_FILE
//     connects with Last-Event-ID 0 (everything retained), starts the
//     pipeline once connected, disconnects twice in the middle of the run
//     (closes, waits, opens a new EventSource with Last-Event-ID = the last
//     id received), and stops at the execution's final `executions` event.
//   node collect.mjs BASE_URL TOKEN idle
//     connects with Last-Event-ID 0 and stops after 1.5 s without an event.
// Prints one JSON line: {"execution_id","ids","topics","resets","reconnects"}.
import { readFileSync } from 'node:fs';
import { EventSource } from 'eventsource';

const [base, token, mode, yamlFile] = process.argv.slice(2);
const topics = ['executions', 'nodes', 'logs', 'approvals', 'deployments', 'environments',
                'audit', 'notifications'];
const finalStatuses = new Set(['success', 'failed', 'warning', 'cancelled']);
const disconnectAfter = [30, 70];  // events of the execution received so far (~105 in all)

const received = { execution_id: null, ids: [], topics: [], resets: [], reconnects: 0 };
let lastId = '0';
let source = null;
let started = false;
let executionEvents = 0;
let idleTimer = null;

setTimeout(() => finish(2, 'timed out'), 90_000).unref();

function finish(code, why) {
  if (source) source.close();
  if (why) process.stderr.write(`collect.mjs: ${why}\n`);
  process.stdout.write(JSON.stringify(received) + '\n');
  process.exit(code);
}

function open() {
  const headers = { Authorization: `Bearer ${token}`, 'Last-Event-ID': lastId };
  source = new EventSource(`${base}/api/v1/events`, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, ...headers } }),
  });
  source.onopen = () => { if (mode === 'run' && !started) startPipeline(); };
  source.onerror = (e) => process.stderr.write(`collect.mjs: stream error ${e.message ?? ''}\n`);
  for (const t of topics) source.addEventListener(t, onEvent);
  source.addEventListener('reset', (e) => { received.resets.push(JSON.parse(e.data)); });
  if (mode === 'idle') bumpIdle();
}

function bumpIdle() {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => finish(0), 1500);
}

async function startPipeline() {
  started = true;
  const res = await fetch(`${base}/api/v1/executions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ pipeline_yaml: readFileSync(yamlFile, 'utf8'),
                           environment: 'Development', branch: 'main' }),
  });
  const body = await res.json();
  if (res.status !== 201) finish(3, `start answered ${res.status}: ${JSON.stringify(body)}`);
  received.execution_id = body.id;
}

function onEvent(e) {
  const doc = JSON.parse(e.data);
  if (String(doc.id) !== e.lastEventId) finish(4, `id line ${e.lastEventId} != data id ${doc.id}`);
  received.ids.push(doc.id);
  received.topics.push(e.type);
  lastId = e.lastEventId;
  if (mode === 'idle') return bumpIdle();
  if (received.execution_id && doc.execution_id === received.execution_id) {
    executionEvents += 1;
    if (doc.topic === 'executions' && finalStatuses.has(doc.record?.status)) return finish(0);
    if (disconnectAfter.includes(executionEvents)) {
      source.close();
      received.reconnects += 1;
      // Stay away long enough for events to be missed, then resume.
      setTimeout(open, 400);
    }
  }
}

open();
