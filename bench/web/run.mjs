// Browser benchmarks of the web UI (docs/performance.md, "Web UI in the
// browser"), against a real `opzenix serve` and Debian's chromium:
//   1. the end of a 100,000-line log on screen, and how many rows are mounted
//      (and when the earlier lines, filled in behind the end, are all there)
//   2. search over that whole log ("k of N"), once every line is loaded
//   3. a 500-node DAG rendered (every .react-flow__node present)
//   4. frame times while a 500-node execution sends ~100 node updates/s
//      (50 layers of 10 nodes, each needing two of the layer before, so at
//      most 10 run at once: `sleep 0.2` steps make ~50 nodes/s, two state
//      changes each; LIVE_STEP overrides the step)
//   5. the first page's JavaScript, gzipped
// Usage (from the repository root, after `npm run build` in web/):
//   node bench/web/run.mjs            [OPZENIX_BIN=build/opzenix OPZENIX_WEB_DIR=web/dist]
//   BENCH_ONLY=dag,live               only those parts (log, dag, live; default all)
//   DAG_RUNS=7                        navigations to the 500-node DAG (the median is reported)
// A benchmark, not a test: it prints figures and asserts nothing.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bigLogPipeline, LIVE_STEP, median, pct, signedInBrowser, startServer, viewFitted, waitFinished, widePipeline } from './lib.mjs';

const bin = process.env.OPZENIX_BIN ?? 'build/opzenix';
const webDir = process.env.OPZENIX_WEB_DIR ?? 'web/dist';
const LOG_LINES = 100_000;
const only = new Set((process.env.BENCH_ONLY ?? 'log,dag,live').split(','));
const DAG_RUNS = Number(process.env.DAG_RUNS ?? 7);
process.env.OPZENIX_MAX_PARALLEL ??= '48'; // more than the live run's layer of 10 needs
// With LIVE_STEP's `sleep 0.2` (lib.mjs) the live run lasts about 11 s, so
// the sample is 8 s (from the end of the first draw).
const LIVE_SAMPLE_MS = Number(process.env.LIVE_SAMPLE_MS ?? 8_000);

const results = {};
const say = (k, v) => {
  results[k] = v;
  console.log(`${k}: ${v}`);
};

// 5. First page JavaScript: index.html's module script and what it preloads.
function firstPageJs() {
  const html = readFileSync(join(webDir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const b = readFileSync(join(webDir, f));
    raw += b.length;
    gz += gzipSync(b, { level: 9 }).length;
  }
  const all = readdirSync(join(webDir, 'assets')).filter((f) => f.endsWith('.js'));
  return { files: files.length, raw, gz, chunks: all.length };
}

const js = firstPageJs();
say('first page JS', `${(js.gz / 1024).toFixed(1)} KB gzipped (${(js.raw / 1024).toFixed(0)} KB raw, ${js.files} files; ${js.chunks} chunks in all, the rest load on demand)`);

const server = await startServer({ bin, webDir, log: () => {} });
const browser = await signedInBrowser(server.baseUrl, server.session);
try {
  const project = await server.api('POST', '/api/v1/projects', { name: 'browser bench', description: 'bench/web' });
  const start = (yaml, branch) =>
    server.api('POST', '/api/v1/executions', { project_id: project.id, environment: 'Development', branch, pipeline_yaml: yaml });

  const page = await browser.context.newPage();
  // 1 + 2. The big log.
  if (only.has('log')) {
    const big = await start(bigLogPipeline(LOG_LINES), 'bench/log');
    await waitFinished(server, big.id);
    const logUrl = `/executions/${big.id}/nodes/big/logs`;
    // The log's last line is laid out inside the log's scroller.
    const lastLineInView = (n) => {
      const el = document.querySelector(`[data-testid=log-line][data-line="${n}"]`);
      const box = el?.closest('[role=log]');
      if (!el || !box) return false;
      const r = el.getBoundingClientRect();
      const b = box.getBoundingClientRect();
      return r.height > 0 && r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
    };
    const ends = [];
    const wholes = [];
    let mounted = 0;
    // The viewer shows the end first, then fills in the earlier lines; the log
    // is whole when its scroller is no longer aria-busy.
    const whole = () => page.locator('[role=log][aria-busy=false]').waitFor({ state: 'attached', timeout: 60_000 });
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      await page.goto(logUrl);
      // Checked every animation frame (a locator's waitFor backs off to 500 ms between checks).
      await page.waitForFunction(lastLineInView, LOG_LINES, { polling: 'raf', timeout: 30_000 });
      ends.push(Date.now() - t0);
      mounted = await page.locator('[data-testid=log-line]').count();
      await whole();
      wholes.push(Date.now() - t0);
    }
    say(
      '100k-line log: navigation to its last line visible',
      `median ${median(ends)} ms of ${ends.join('/')} ms; ${mounted} rows mounted; every line loaded at ${median(wholes)} ms (median)`,
    );

    const searches = [];
    for (const q of ['target-976', 'compiling', 'line 99999 ']) {
      await page.fill('[data-testid=log-search]', '');
      await page.waitForFunction(() => document.querySelector('[data-testid=log-search-count]')?.textContent === '');
      // Time from the keystroke to "k of N" on screen, minus the 120 ms typing debounce.
      const took = await page.evaluate(async (query) => {
        const input = document.querySelector('[data-testid=log-search]');
        const count = document.querySelector('[data-testid=log-search-count]');
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
        const t0 = performance.now();
        setter.call(input, query);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise((resolve) => {
          const check = () => (/ of [1-9]/.test(count.textContent ?? '') ? resolve() : requestAnimationFrame(check));
          check();
        });
        return { ms: performance.now() - t0 - 120, text: count.textContent };
      }, q);
      searches.push(took.ms);
      console.log(`  search ${JSON.stringify(q.trim())}: ${took.ms.toFixed(0)} ms → ${took.text}`);
    }
    say('search over the 100k-line log (keystroke to "k of N", debounce excluded)', `median ${median(searches).toFixed(0)} ms, max ${Math.max(...searches).toFixed(0)} ms`);
  }

  // 3. A finished 500-node DAG.
  if (only.has('dag')) {
    const done = await start(widePipeline(50, 10, 'true'), 'bench/dag');
    await waitFinished(server, done.id);
    const renders = [];
    const fetched = [];
    const fitted = [];
    for (let i = 0; i < DAG_RUNS; i++) {
      const t0 = Date.now();
      await page.goto(`/executions/${done.id}`);
      // The execution is fetched when the summary shows; the rest is layout (worker) and drawing.
      await page.waitForFunction(() => /^500 nodes/.test(document.querySelector('[data-testid=dag-summary]')?.textContent ?? ''), null, { timeout: 60_000 });
      fetched.push(Date.now() - t0);
      await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length >= 500, null, { timeout: 60_000 });
      renders.push(Date.now() - t0);
      await page.waitForFunction(viewFitted, null, { timeout: 60_000 });
      fitted.push(Date.now() - t0);
    }
    say(
      '500-node DAG: navigation to 500 .react-flow__node drawn',
      `median ${median(renders)} ms of ${renders.join('/')} ms (the execution on screen at ${median(fetched)} ms; layout and drawing the rest; the view fitted and painted at ${median(fitted)} ms)`,
    );
  }

  // 4. Frame times while a live 500-node execution changes.
  if (only.has('live')) {
    const live = await start(widePipeline(50, 10, LIVE_STEP), 'bench/live');
    await page.goto(`/executions/${live.id}`);
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length >= 500, null, { timeout: 60_000 });
    // The sample starts once the first draw is over (the view fitted and painted): its
    // tasks are the draw's, counted above, not the live updates'.
    await page.waitForFunction(viewFitted, null, { timeout: 60_000 });
    const sampleMs = LIVE_SAMPLE_MS;
    const [frames, events] = await Promise.all([
      page.evaluate(async (ms) => {
        const gaps = [];
        const long = [];
        const po = new PerformanceObserver((l) => l.getEntries().forEach((e) => long.push({ ms: e.duration, at: e.startTime })));
        po.observe({ type: 'longtask', buffered: false });
        let last = performance.now();
        const begin = last;
        const end = last + ms;
        await new Promise((resolve) => {
          const tick = (t) => {
            gaps.push(t - last);
            last = t;
            if (t < end) requestAnimationFrame(tick);
            else resolve();
          };
          requestAnimationFrame(tick);
        });
        po.disconnect();
        // When in the sample each long task began (s): the draw's tail at the start or an update's?
        return { gaps, long: long.map((t) => ({ ms: t.ms, at: (t.at - begin) / 1000 })) };
      }, sampleMs),
      (async () => {
        const before = await server.api('GET', `/api/v1/executions/${live.id}/events`);
        await new Promise((r) => setTimeout(r, sampleMs));
        const after = await server.api('GET', `/api/v1/executions/${live.id}/events`);
        return (after.items.length - before.items.length) / (sampleMs / 1000);
      })(),
    ]);
    say(
      'frame times during the live 500-node run',
      `${events.toFixed(0)} node state changes/s; frames p50 ${pct(frames.gaps, 50).toFixed(1)} ms, p95 ${pct(frames.gaps, 95).toFixed(1)} ms, max ${Math.max(...frames.gaps).toFixed(0)} ms; long tasks (> 50 ms): ${frames.long.length}${frames.long.length ? ` (${frames.long.map((t) => `${t.ms.toFixed(0)} ms at ${t.at.toFixed(1)} s`).join(', ')} into the sample)` : ''}`,
    );
    const live2 = await page.evaluate(() => document.querySelector('[data-testid=dag-summary]')?.textContent);
    console.log(`  summary at the end of the sample: ${live2}`);
    await server.api('POST', `/api/v1/executions/${live.id}/cancel`, { reason: 'benchmark over' }).catch(() => {});
  }
  const errors = browser.takeErrors();
  if (errors.length) console.log('browser errors:', errors.slice(0, 5));
} finally {
  await browser.close();
  await server.stop();
}
console.log(JSON.stringify(results, null, 2));
