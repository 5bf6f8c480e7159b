#!/usr/bin/env node
// Browser end-to-end tests of the web UI against a real `opzenix serve`
// (issue #10): Debian's chromium driven by playwright-core, no test runner.
//   node web/e2e/run.mjs --bin build/opzenix [--source .] [--out build/e2e-output]
//                        [--screenshots docs/screenshots] [--chromium /usr/bin/chromium]
//                        [--web <built UI directory, default <source>/web/dist>]
// Environment fallbacks: OPZENIX_BIN, OPZENIX_SOURCE_DIR, OPZ_E2E_OUT, OPZ_E2E_SCREENSHOTS, OPZ_E2E_WEB_DIR;
// OPZ_E2E_ONLY=<text> runs the login and only the scenarios whose function name contains it.
// Serves <source>/web/dist (build it with `make web`). Prints each scenario's
// steps with their outcome; exits 1 when any failed. Results also go to
// <out>/results.json, screenshots (1280x800) to <out>/<page>.png and, with
// --screenshots, copies to that directory (docs/screenshots for the README).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser } from './browser.mjs';
import { createReport } from './report.mjs';
import { scenarios as agents } from './agents.mjs';
import { scenarios as approvals } from './approvals.mjs';
import { scenarios as auditSettings } from './auditSettings.mjs';
import { scenarios as builder } from './builder.mjs';
import { scenarios as dashboardLayout } from './dashboardLayout.mjs';
import { scenarios as dora } from './dora.mjs';
import { scenarios as environments } from './environments.mjs';
import { scenarios as insights } from './insights.mjs';
import { cancelAndRerun, executionsList, liveDag, login, nodeLog } from './scenarios.mjs';
import { scenarios as secretsConnections } from './secretsConnections.mjs';
import { startServer } from './server.mjs';

const BUDGET_MS = 300_000; // the whole run: well under 5 minutes

const { values: args } = parseArgs({
  options: {
    bin: { type: 'string', default: process.env.OPZENIX_BIN ?? 'build/opzenix' },
    source: { type: 'string', default: process.env.OPZENIX_SOURCE_DIR ?? '.' },
    out: { type: 'string', default: process.env.OPZ_E2E_OUT ?? 'build/e2e-output' },
    screenshots: { type: 'string', default: process.env.OPZ_E2E_SCREENSHOTS },
    web: { type: 'string', default: process.env.OPZ_E2E_WEB_DIR },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
const source = resolve(args.source);
const webDir = args.web ? resolve(args.web) : join(source, 'web', 'dist');
const outDir = resolve(args.out);
const log = (line) => process.stdout.write(line.endsWith('\n') ? line : line + '\n');

function fail(message) {
  log(`e2e: ${message}`);
  process.exit(1);
}
if (!existsSync(join(webDir, 'index.html'))) fail(`${webDir}/index.html is missing: build the UI first (make web)`);
if (!existsSync(args.bin)) fail(`no server binary at ${args.bin} (make build-server, or pass --bin)`);
if (!existsSync(args.chromium)) fail(`no chromium at ${args.chromium} (scripts/install-deps.sh --test)`);

const watchdog = setTimeout(() => fail(`the run took over ${BUDGET_MS / 1000} s: stopped`), BUDGET_MS);
mkdirSync(outDir, { recursive: true });
for (const f of readdirSync(outDir)) if (/\.(png|json|log)$/.test(f)) rmSync(join(outDir, f)); // a previous run's
const serverLog = [];
const report = createReport(log);
const tmpDir = mkdtempSync(join(tmpdir(), 'opz-e2e-'));
const started = Date.now();
let server;
let browser;
try {
  server = await startServer({ bin: resolve(args.bin), webDir, log: (l) => serverLog.push(l) });
  const project = await server.api('POST', '/api/v1/projects', { name: 'E2E Service' });
  browser = await launchBrowser({ executablePath: args.chromium, baseURL: server.baseUrl });
  const ctx = {
    report,
    server,
    browser,
    source,
    tmpDir,
    projectId: project.id,
    log,
    shots: { outDir, copyDir: args.screenshots ? resolve(args.screenshots) : undefined },
  };
  const all = [login, liveDag, nodeLog, cancelAndRerun, executionsList, ...approvals, ...environments, ...auditSettings, ...builder, ...secretsConnections, ...dora, ...insights, ...dashboardLayout, ...agents];
  // OPZ_E2E_ONLY=<text>: the login and the scenarios whose function name contains it.
  const only = process.env.OPZ_E2E_ONLY;
  for (const scenario of all) if (!only || scenario === login || scenario.name.includes(only)) await scenario(ctx);
} catch (e) {
  report.scenario('setup').step('start the server and the browser', () => Promise.reject(e));
} finally {
  await browser?.close().catch(() => undefined);
  await server?.stop().catch(() => undefined);
  rmSync(tmpDir, { recursive: true, force: true });
  clearTimeout(watchdog);
}

writeFileSync(join(outDir, 'server.log'), serverLog.join(''));
writeFileSync(join(outDir, 'results.json'), JSON.stringify(report.results, null, 2));
const failures = report.failures();
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (failures.length) {
  log(`e2e: ${failures.length} step(s) failed in ${seconds} s:`);
  for (const f of failures) log(`  ${f.scenario} › ${f.step}: ${f.error.split('\n')[0]}`);
  log(`  screenshots, results.json and server.log in ${outDir}`);
  process.exit(1);
}
log(`e2e: all ${report.results.length} steps passed in ${seconds} s (output in ${outDir})`);
