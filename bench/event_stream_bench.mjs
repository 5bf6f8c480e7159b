// Realtime stream benchmark client (bench/event_stream_bench.sh): N
// concurrent npm `eventsource` clients follow GET /api/v1/events while a
// pipeline runs; each records, per event, now - the event's `at` (commit
// time). Stops when every client has seen the execution's final event.
//   node event_stream_bench.mjs BASE_URL TOKEN CLIENTS PIPELINE_YAML_FILE
// Prints one JSON line: clients, events per client (min/max), latency
// p50/p99/max in ms, and whether every client received the same ids.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tests/integration/eventsource/', import.meta.url));
const { EventSource } = require('eventsource');

const [base, token, clientsArg, yamlFile] = process.argv.slice(2);
const clients = Number(clientsArg);
const topics = ['executions', 'nodes', 'logs', 'approvals', 'deployments', 'environments'];
const finals = new Set(['success', 'failed', 'warning', 'cancelled']);
const latencies = [];
const perClient = [];
let executionId = null;
let done = 0;
let opened = 0;

function connect(i) {
  const state = { ids: [], finished: false };
  perClient.push(state);
  const es = new EventSource(`${base}/api/v1/events?topics=${topics.join(',')}`, {
    fetch: (input, init) =>
      fetch(input, { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } }),
  });
  es.onopen = () => { if (++opened === clients) start(); };
  const onEvent = (e) => {
    const doc = JSON.parse(e.data);
    latencies.push(Date.now() - Date.parse(doc.at));
    state.ids.push(doc.id);
    if (doc.topic === 'executions' && doc.execution_id === executionId &&
        finals.has(doc.record?.status) && !state.finished) {
      state.finished = true;
      es.close();
      if (++done === clients) report();
    }
  };
  for (const t of topics) es.addEventListener(t, onEvent);
  es.addEventListener('reset', (e) => { process.stderr.write(`client ${i} reset ${e.data}\n`); });
}

async function start() {
  const res = await fetch(`${base}/api/v1/executions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ pipeline_yaml: readFileSync(yamlFile, 'utf8'),
                           environment: 'Development', branch: 'main' }),
  });
  executionId = (await res.json()).id;
}

function pct(sorted, p) { return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]; }

function report() {
  latencies.sort((a, b) => a - b);
  const counts = perClient.map((c) => c.ids.length);
  const first = JSON.stringify(perClient[0].ids);
  console.log(JSON.stringify({
    clients,
    events_min: Math.min(...counts),
    events_max: Math.max(...counts),
    same_ids_everywhere: perClient.every((c) => JSON.stringify(c.ids) === first),
    latency_ms: { p50: pct(latencies, 0.5), p99: pct(latencies, 0.99),
                  max: latencies[latencies.length - 1] },
  }));
  process.exit(0);
}

setTimeout(() => { console.error('timed out'); process.exit(2); }, 600_000).unref();
for (let i = 0; i < clients; ++i) connect(i);
