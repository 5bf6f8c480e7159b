// Realtime stream benchmark client (bench/event_stream_bench.sh): CLIENTS
// concurrent clients follow GET /api/v1/events while a pipeline runs.
//   node event_stream_bench.mjs BASE_URL TOKEN CLIENTS PIPELINE_YAML DB_PATH
//        [--client=native|lean|eventsource] [--procs=N] [--native=PATH]
// --client=native: bench/event_stream_client.cc (--native=PATH), COUNT
//   clients per process in one epoll thread, the lean client's parsing in
//   C++; it speaks the node workers' messages as JSON lines (spawnNative).
// --client=lean (default): raw http.request, frames found with Buffer.indexOf
//   (no line parser, no JSON.parse): per event the id and the `at` (commit
//   time) are read from fixed places. After a `reset` or a closed response it
//   reconnects with Last-Event-ID after 2 s, like EventSource.
// --client=eventsource: the npm `eventsource` package (4.1.1), JSON.parse per
//   event (the client a browser-like consumer would be; costs ~10x the CPU).
// --procs=N (default 2): the clients are spread over N node processes.
// --timeline=1: also prints, per 100 ids after the start, the latency's
//   min / p10 / p50 / max over the first process's clients (where in the run
//   the delay sits: the submit's burst, the events right behind it, ...).
// --batch=1 (default) | 0: ask for `batch` frames (?batch=1: a run of events,
//   e.g. a submit's node rows, as one frame; docs/realtime.md "Batches"); a
//   batch counts as each of its events, ids from..to, each with its own `at`.
//
// What is proved, per client: the ids it received after the run started are
// EXACTLY the ids the database holds for the subscribed topics up to the
// execution's final event (`SELECT id FROM realtime_events ...`, read with
// the sqlite3 CLI once the execution is over), in order, no gap, no duplicate.
// Latency = receive time - the event's `at`, for EVERY event received (a
// histogram in 1 ms buckets; Date.now() is read once per network chunk).
// Prints one JSON line: clients, events per client (min/max), clients whose
// ids equal the database's, resets, reconnects, network reads per client
// (lean only), the clients' CPU seconds, latency p50/p99/max in ms.
import { fork, spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const topics = ['executions', 'nodes', 'logs', 'approvals', 'deployments', 'environments'];
const finals = new Set(['success', 'failed', 'warning', 'cancelled']);
const kRetryMs = 2000;          // what the server's preamble asks (retry: 2000)
const kHistogramMs = 600_000;   // latencies above 10 min land in the last bucket

const [base, token, clientsArg, yamlFile, dbPath, ...flags] = process.argv.slice(2);
const flag = (name, fallback) => {
  const f = flags.find((x) => x.startsWith(`--${name}=`));
  return f ? f.slice(name.length + 3) : fallback;
};
const clientKind = flag('client', 'native');
const auth = { Authorization: `Bearer ${token}` };
const batches = flag('batch', '1') === '1';
const streamUrl = `${base}/api/v1/events?topics=${topics.join(',')}${batches ? '&batch=1' : ''}`;

if (flag('worker', null) !== null) runWorker(Number(flag('worker', '0')));
else runParent();

// ---------------------------------------------------------------- parent

function sql(query) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', dbPath, query], { encoding: 'utf8' })
    .trim();
}

// One API request from the driver, over node's http module. Not fetch: its
// HTTP parser is WebAssembly, loaded at the first fetch (the submit, here) and
// optimised on a thread of its own soon after, which took ~200 ms of one of
// the two cores right during the submit's burst, the window measured.
function request(method, path, body) {
  return new Promise((resolve, reject) => {
    const headers = body ? { ...auth, 'Content-Type': 'application/json' } : auth;
    const req = http.request(new URL(path, base), { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
        else resolve(JSON.parse(text));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function runParent() {
  const clients = Number(clientsArg);
  const procs = Math.max(1, Math.min(Number(flag('procs', '2')), clients));
  const workers = [];
  let opened = 0;
  let finished = 0;
  const results = [];
  let S = 0;
  for (let p = 0; p < procs; ++p) {
    const n = Math.floor(clients / procs) + (p < clients % procs ? 1 : 0);
    const w = clientKind === 'native' ? spawnNative(n)
      : fork(fileURLToPath(import.meta.url), [...process.argv.slice(2), `--worker=${n}`]);
    workers.push(w);
    w.on('message', (m) => {
      if (m.type === 'open' && ++opened === procs) start().catch(fail);
      if (m.type === 'result') {
        results.push(m);
        if (++finished === procs) report(clients, results);
      }
    });
    w.on('exit', (code) => { if (code) fail(new Error(`worker exited with ${code}`)); });
  }

  async function start() {
    S = Number(sql('SELECT coalesce(max(id), 0) FROM realtime_events') || 0);
    const executionId = (await request('POST', '/api/v1/executions',
      JSON.stringify({ pipeline_yaml: readFileSync(yamlFile, 'utf8'),
                       environment: 'Development', branch: 'main' }))).id;
    // Polls the status column alone: the execution's detail (GET
    // /api/v1/executions/{id}, 360 KB with its 1,000 nodes and pipeline) costs
    // the server ~30 ms of a core each time, about a seventh of its CPU over a
    // run at 4 polls a second, and holds an I/O thread that also writes half
    // of the stream clients: load of the driver's own, not of the stream.
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      const [e] = await request('GET', `/rest/v1/executions?id=eq.${executionId}&select=status`);
      if (finals.has(e.status)) break;
    }
    const E = Number(sql(`SELECT max(id) FROM realtime_events WHERE topic = 'executions' ` +
                         `AND execution_id = '${executionId}'`));
    // The submit transaction: the execution and all its node rows, committed at once.
    const burst = Number(sql(`SELECT max(id) FROM realtime_events WHERE execution_id = ` +
                             `'${executionId}' AND type = 'INSERT' ` +
                             `AND topic IN ('executions', 'nodes')`));
    const list = topics.map((t) => `'${t}'`).join(',');
    const expected = sql(`SELECT id FROM realtime_events WHERE id > ${S} AND id <= ${E} ` +
                         `AND topic IN (${list}) ORDER BY id`).split('\n').map(Number);
    for (const w of workers) w.send({ type: 'until', S, E, burst, expected });
  }
}

// --client=native: bench/event_stream_client.cc (--native=PATH), the same
// messages as the node workers' as JSON lines on its stdin and stdout.
function spawnNative(count) {
  const url = new URL(streamUrl);
  const child = spawn(flag('native', 'event_stream_client'),
                      [url.hostname, url.port, token, String(count), url.pathname + url.search,
                       `--timeline=${flag('timeline', '0')}`],
                      { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => child.emit('message', JSON.parse(line)));
  child.send = (m) => child.stdin.write(`${JSON.stringify(m)}\n`);
  return child;
}

function report(clients, results) {
  const sum = (k) => results.reduce((a, r) => a + r[k], 0);
  const percentiles = (key) => {
    const hist = new Float64Array(kHistogramMs + 1);
    let total = 0;
    let max = 0;
    for (const r of results) {
      for (const [ms, n] of r[key]) { hist[ms] += n; total += n; max = Math.max(max, ms); }
    }
    const pct = (p) => {
      let seen = 0;
      for (let ms = 0; ms <= kHistogramMs; ++ms) {
        seen += hist[ms];
        if (seen > total * p) return ms;
      }
      return kHistogramMs;
    };
    return { p50: pct(0.5), p99: pct(0.99), max, samples: total };
  };
  console.log(JSON.stringify({
    client: clientKind,
    batch: batches,
    clients,
    expected_events: results[0].expected,
    events_min: Math.min(...results.map((r) => r.min)),
    events_max: Math.max(...results.map((r) => r.max_events)),
    clients_with_exactly_the_db_ids: sum('exact'),
    resets: sum('resets'),
    reconnects: sum('reconnects'),
    network_reads_per_client: Math.round(sum('chunks') / clients),
    client_cpu_s: Math.round(sum('cpu_s') * 10) / 10,
    mismatches: results.flatMap((r) => r.mismatches).slice(0, 5),
    latency_ms: percentiles('hist'),
    // The same without the submit transaction's burst (the execution and all
    // its node rows in one commit: ~1,000 events x every client at once).
    latency_after_submit_ms: percentiles('hist_after'),
    // The run's second half only (ids past the midpoint between the burst
    // and the final event): the steady state, long after the burst drained.
    latency_second_half_ms: percentiles('hist_late'),
  }));
  if (results[0].timeline.length) {
    console.log('ids after start: latency min, p10, p50, max ms (worker 0)');
    for (const row of results[0].timeline) console.log(row.join('\t'));
  }
  process.exit(0);
}

function fail(e) {
  console.error(e);
  process.exit(2);
}

// ---------------------------------------------------------------- worker

function newState() {
  // ids in a typed array: nothing for the garbage collector to trace.
  return { ids: new Int32Array(4096), count: 0, lastId: null, resets: 0, reconnects: 0,
           chunks: 0, done: false, close: () => {} };
}

function runWorker(count) {
  // Every sample (event id, latency), split by the parent's burst id at the end.
  let sampleIds = new Int32Array(1 << 16);
  let sampleMs = new Uint32Array(1 << 16);
  let samples = 0;
  let opened = 0;
  let until = null;
  const states = [];
  const record = (state, id, atMs, now) => {
    if (state.count === state.ids.length) {
      const grown = new Int32Array(state.ids.length * 2);
      grown.set(state.ids);
      state.ids = grown;
    }
    state.ids[state.count++] = id;
    state.lastId = id;
    if (samples === sampleIds.length) {
      const ids = new Int32Array(samples * 2);
      const ms = new Uint32Array(samples * 2);
      ids.set(sampleIds);
      ms.set(sampleMs);
      sampleIds = ids;
      sampleMs = ms;
    }
    sampleIds[samples] = id;
    sampleMs[samples++] = Math.max(0, Math.min(kHistogramMs, now - atMs));
    if (until && id >= until.E) finishClient(state);
  };
  const onOpen = (state) => {
    if (state.opened) return;
    state.opened = true;
    if (++opened === count) process.send({ type: 'open' });
  };
  const finishClient = (state) => {
    if (state.done) return;
    state.done = true;
    state.close();
    if (states.every((s) => s.done)) sendResult();
  };
  const sendResult = () => {
    const { S, E, expected } = until;
    let exact = 0;
    const mismatches = [];
    for (const [i, s] of states.entries()) {
      const got = Array.from(s.ids.subarray(0, s.count)).filter((id) => id > S && id <= E);
      const ok = got.length === expected.length && got.every((id, k) => id === expected[k]);
      if (ok) ++exact;
      else if (mismatches.length < 5)
        mismatches.push({ client: i, got: got.length, expected: expected.length,
                          first_difference: got.findIndex((id, k) => id !== expected[k]) });
    }
    const counts = states.map((s) => s.count);
    const hist = new Uint32Array(kHistogramMs + 1);
    const histAfter = new Uint32Array(kHistogramMs + 1);
    const histLate = new Uint32Array(kHistogramMs + 1);
    const midpoint = (until.burst + E) / 2;
    for (let k = 0; k < samples; ++k) {
      ++hist[sampleMs[k]];
      if (sampleIds[k] > until.burst) ++histAfter[sampleMs[k]];
      if (sampleIds[k] > midpoint) ++histLate[sampleMs[k]];
    }
    const nonzero = (h) => {
      const out = [];
      for (let ms = 0; ms <= kHistogramMs; ++ms) if (h[ms]) out.push([ms, h[ms]]);
      return out;
    };
    // --timeline=1: latency min/p10/p50/max per 100 ids after S (where the delay sits in the run).
    const timeline = [];
    if (flag('timeline', '0') === '1') {
      const buckets = new Map();
      for (let k = 0; k < samples; ++k) {
        if (sampleIds[k] <= S) continue;
        const b = Math.floor((sampleIds[k] - S - 1) / 100);
        if (!buckets.has(b)) buckets.set(b, []);
        buckets.get(b).push(sampleMs[k]);
      }
      for (const [b, v] of [...buckets.entries()].sort((x, y) => x[0] - y[0])) {
        v.sort((x, y) => x - y);
        const at = (q) => v[Math.floor(v.length * q)];
        timeline.push([b * 100, v[0], at(0.1), at(0.5), v[v.length - 1]]);
      }
    }
    process.send({
      type: 'result', exact, mismatches, expected: expected.length, timeline,
      min: Math.min(...counts), max_events: Math.max(...counts),
      resets: states.reduce((a, s) => a + s.resets, 0),
      reconnects: states.reduce((a, s) => a + s.reconnects, 0),
      chunks: states.reduce((a, s) => a + s.chunks, 0),
      cpu_s: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
      hist: nonzero(hist),
      hist_after: nonzero(histAfter),
      hist_late: nonzero(histLate),
    }, () => process.exit(0));
  };
  process.on('message', (m) => {
    if (m.type !== 'until') return;
    until = m;
    for (const s of states) if (s.lastId !== null && s.lastId >= m.E) finishClient(s);
    // A client that never gets there is reported as a mismatch, not waited on forever.
    setTimeout(() => { for (const s of states) finishClient(s); }, 120_000).unref();
  });
  const connect = clientKind === 'eventsource' ? connectEventSource : connectLean;
  for (let i = 0; i < count; ++i) {
    const state = newState();
    states.push(state);
    connect(state, { record, onOpen });
  }
  setTimeout(() => { console.error('worker timed out'); process.exit(3); }, 900_000).unref();
}

// The lean client: frames are "id: N\nevent: T\ndata: {...,"at":"...Z"}\n\n"
// (`at` is the data's last member: sse_frame.h); comments and the preamble
// have no "id: " line; a reset is "event: reset". One native call per frame
// (memchr for the data line's end); the rest reads bytes at known places.
const kAt = Buffer.from('"at":"');
const kAtFromEnd = 26;  // "2026-12-05T10:00:00.000Z"}\n\n: the value starts 26 bytes before the end
let cachedDay = -1;
let cachedDayStart = 0;

// "2026-12-05T10:00:00.000Z" at buf[p..] -> epoch ms, without Date.parse.
function atMillis(buf, p) {
  const d = (k) => buf[p + k] - 48;
  const day = (d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3)) * 10000 + (d(5) * 10 + d(6)) * 100 +
              d(8) * 10 + d(9);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayStart = Date.UTC(Math.floor(day / 10000), Math.floor(day / 100) % 100 - 1, day % 100);
  }
  return cachedDayStart + (d(11) * 10 + d(12)) * 3_600_000 + (d(14) * 10 + d(15)) * 60_000 +
         (d(17) * 10 + d(18)) * 1000 + d(20) * 100 + d(21) * 10 + d(22);
}

// Where the frame [pos, end)'s `at` value starts: at its fixed place from the end, checked;
// else (a newer server's layout) found by search.
function atStart(buf, pos, end) {
  const p = end - kAtFromEnd;
  if (p > pos + 6 && buf[p - 1] === 34 && buf[p - 2] === 58 && buf[end - 3] === 90) return p;
  const at = buf.indexOf(kAt, pos);
  if (at < 0 || at > end) throw new Error('an event without "at"');
  return at + kAt.length;
}

// A batch frame's data at buf[p..]: 'data: {"from":F,"to":T,"at":"…"' or
// '"at":["…","…",…]' (batch_frame.h puts both first): records ids F..T, each
// with its own `at`.
function recordBatch(state, buf, p, to, now, record) {
  p += 14;  // 'data: {"from":'
  let from = 0;
  for (; buf[p] !== 44; ++p) from = from * 10 + (buf[p] - 48);
  for (p += 6; buf[p] !== 44; ++p);  // ',"to":T'
  p += 6;  // ',"at":', then '"' (one time) or '[' (one each)
  if (buf[p - 1] !== 58) throw new Error('a batch frame without "at" in its place');
  const each = buf[p] === 91;
  let at = p + 1 + (each ? 1 : 0);
  for (let id = from; id <= to; ++id) {
    record(state, id, atMillis(buf, at), now);
    if (each) at += 27;  // '2026-12-05T10:00:00.000Z","'
  }
}

function connectLean(state, { record, onOpen }) {
  let rest = null;  // an incomplete frame carried to the next chunk
  const headers = { ...auth, Accept: 'text/event-stream' };
  if (state.lastId !== null) headers['Last-Event-ID'] = String(state.lastId);
  const req = http.request(streamUrl, { headers, agent: false });
  state.close = () => req.destroy();
  const again = () => {
    if (state.done || state.retrying) return;
    state.retrying = true;
    setTimeout(() => {
      state.retrying = false;
      ++state.reconnects;
      connectLean(state, { record, onOpen });
    }, kRetryMs);
  };
  req.on('error', again);
  req.on('response', (res) => {
    if (res.statusCode !== 200) {
      console.error(`stream answered ${res.statusCode}`);
      process.exit(4);
    }
    onOpen(state);
    res.on('data', (chunk) => {
      ++state.chunks;
      const now = Date.now();
      const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
      const len = buf.length;
      let pos = 0;
      for (;;) {
        let p = pos;
        let id = -1;
        let reset = false;
        let batch = false;
        if (buf[p] === 105 && buf[p + 1] === 100 && buf[p + 2] === 58) {  // "id:"
          id = 0;
          for (p += 4; p < len && buf[p] !== 10; ++p) id = id * 10 + (buf[p] - 48);
          ++p;  // "event: T\n"; no topic begins with "res" or "b"
          reset = p + 9 < len && buf[p + 7] === 114 && buf[p + 8] === 101 && buf[p + 9] === 115;
          batch = p + 7 < len && buf[p + 7] === 98;
          while (p < len && buf[p] !== 10) ++p;
          ++p;
        }
        const data = p;
        // The blank line that ends the frame: one memchr per remaining line.
        let end = -1;
        for (;;) {
          const nl = p < len ? buf.indexOf(10, p) : -1;
          if (nl < 0 || nl + 1 >= len) break;
          if (buf[nl + 1] === 10) {
            end = nl;
            break;
          }
          p = nl + 1;
        }
        if (end < 0) break;  // incomplete: carried to the next chunk
        if (reset) ++state.resets;
        else if (batch) recordBatch(state, buf, data, id, now, record);
        else if (id >= 0) record(state, id, atMillis(buf, atStart(buf, pos, end)), now);
        pos = end + 2;
      }
      rest = pos < buf.length ? buf.subarray(pos) : null;
    });
    res.on('end', again);
    res.on('close', again);
  });
  req.end();
}

function connectEventSource(state, { record, onOpen }) {
  const require = createRequire(new URL('../tests/integration/eventsource/', import.meta.url));
  const { EventSource } = require('eventsource');
  const es = new EventSource(streamUrl, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, ...auth } }),
  });
  state.close = () => es.close();
  es.onopen = () => {
    if (state.opened) ++state.reconnects;
    onOpen(state);
  };
  const onEvent = (e) => {
    const doc = JSON.parse(e.data);
    record(state, doc.id, Date.parse(doc.at), Date.now());
  };
  for (const t of topics) es.addEventListener(t, onEvent);
  es.addEventListener('batch', (e) => {
    const b = JSON.parse(e.data);
    const now = Date.now();
    for (let id = b.from; id <= b.to; ++id) {
      record(state, id, Date.parse(Array.isArray(b.at) ? b.at[id - b.from] : b.at), now);
    }
  });
  es.addEventListener('reset', () => { ++state.resets; });
}
