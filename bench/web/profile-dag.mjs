// Where the 500-node DAG page spends its time: one warm-up navigation, then
// one navigation recorded with chromium's tracing (CDP `Tracing`, the
// DevTools timeline categories) and its JavaScript sampling profiler (CDP
// `Profiler`), until 500 `.react-flow__node` exist. Prints the renderer main
// thread's top-level work by kind (script, style, layout, paint, ...), the
// longest tasks, and the functions with the most self time.
// Usage (from the repository root; readable function names need an
// unminified build):
//   (cd web && npx vite build --minify false --outDir /tmp/opz-dist-plain) &&
//   OPZENIX_WEB_DIR=/tmp/opz-dist-plain node bench/web/profile-dag.mjs [--live] [--trace out.json]
// --trace keeps the recording (for chromium's DevTools) and the CPU profile beside it.
// --live profiles 8 s of a running 500-node execution instead of the first draw
// (its step: LIVE_STEP, default `sleep 0.2`, ~100 node state changes/s as in run.mjs).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { LIVE_STEP, signedInBrowser, startServer, viewFitted, waitFinished, widePipeline } from './lib.mjs';

const { values: args } = parseArgs({ options: { live: { type: 'boolean', default: false }, trace: { type: 'string' } } });
const bin = process.env.OPZENIX_BIN ?? 'build/opzenix';
const webDir = process.env.OPZENIX_WEB_DIR ?? 'web/dist';
process.env.OPZENIX_MAX_PARALLEL ??= '48';

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'loading'].join(',');
const drawn = () => document.querySelectorAll('.react-flow__node').length >= 500;

async function record(page, cdp, body) {
  const events = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
  const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  await cdp.send('Profiler.start');
  const t0 = Date.now();
  await body();
  const wall = Date.now() - t0;
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.send('Tracing.end');
  await complete;
  return { events, profile, wall };
}

// Top-level (depth 0 inside a task) durations on the renderer's main thread, by event name.
function mainThreadSummary(events) {
  // The renderer's main thread: the one that ran the most script (its
  // thread_name metadata is not always in the recording).
  const calls = new Map();
  for (const e of events) if (e.name === 'FunctionCall') calls.set(`${e.pid}:${e.tid}`, (calls.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  const thread = [...calls].sort((a, b) => b[1] - a[1])[0]?.[0];
  const main = events.filter((e) => `${e.pid}:${e.tid}` === thread && e.ph === 'X' && e.dur);
  const tasks = main.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  const byName = new Map();
  for (const e of main) {
    if (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') continue;
    byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur / 1000);
  }
  const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 18);
  const longest = tasks.map((t) => t.dur / 1000).sort((a, b) => b - a).slice(0, 10);
  return { top, longest, busy: tasks.reduce((s, t) => s + t.dur / 1000, 0) };
}

// Self time per function (name + file:line) from the sampling profile.
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i + 1] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, 30);
}

const server = await startServer({ bin, webDir, log: () => {} });
const browser = await signedInBrowser(server.baseUrl, server.session);
try {
  const project = await server.api('POST', '/api/v1/projects', { name: 'profile', description: 'bench/web' });
  const start = (run, branch) =>
    server.api('POST', '/api/v1/executions', { project_id: project.id, environment: 'Development', branch, pipeline_yaml: widePipeline(50, 10, run) });
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  let rec;
  if (args.live) {
    const live = await start(LIVE_STEP, 'profile/live');
    await page.goto(`/executions/${live.id}`);
    await page.waitForFunction(drawn, null, { timeout: 60_000 });
    await page.waitForFunction(viewFitted, null, { timeout: 60_000 });
    rec = await record(page, cdp, () => new Promise((r) => setTimeout(r, 8_000)));
    await server.api('POST', `/api/v1/executions/${live.id}/cancel`, { reason: 'profile over' }).catch(() => {});
  } else {
    const done = await start('true', 'profile/dag');
    await waitFinished(server, done.id);
    await page.goto(`/executions/${done.id}`);
    await page.waitForFunction(drawn, null, { polling: 'raf', timeout: 60_000 });
    await page.goto('/');
    await page.getByText('Active executions').first().waitFor();
    rec = await record(page, cdp, async () => {
      await page.goto(`/executions/${done.id}`);
      await page.waitForFunction(drawn, null, { polling: 'raf', timeout: 60_000 });
    });
  }
  if (args.trace) {
    writeFileSync(args.trace, JSON.stringify({ traceEvents: rec.events }));
    writeFileSync(args.trace.replace(/(\.json)?$/, '.cpuprofile'), JSON.stringify(rec.profile));
  }
  const s = mainThreadSummary(rec.events);
  console.log(`recorded ${rec.wall} ms; main thread busy in tasks ${s.busy.toFixed(0)} ms`);
  console.log(`longest tasks (ms): ${s.longest.map((d) => d.toFixed(0)).join(', ')}`);
  console.log('main-thread events (inclusive ms, nested events counted in their parents too):');
  for (const [name, ms] of s.top) console.log(`  ${ms.toFixed(1).padStart(8)}  ${name}`);
  console.log('JavaScript self time (ms):');
  for (const [name, ms] of selfTimes(rec.profile)) console.log(`  ${ms.toFixed(1).padStart(8)}  ${name}`);
} finally {
  await browser.close();
  await server.stop();
}
