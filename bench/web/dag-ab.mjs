// Two builds of the web UI side by side on the 500-node DAG: one `opzenix
// serve` per build, each with the same finished 500-node execution, and
// navigations to it alternating between the two in one browser, so machine
// load (other builds on the shared cores) falls on both alike. Prints each
// build's median time to 500 `.react-flow__node` and to the execution on
// screen (and to the view fitted and painted), and their ratio.
// Usage (from the repository root):
//   node bench/web/dag-ab.mjs <web dir A> <web dir B> [rounds, default 7]
import { median, signedInBrowser, startServer, viewFitted, waitFinished, widePipeline } from './lib.mjs';

const [dirA, dirB, roundsArg] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error('usage: node bench/web/dag-ab.mjs <web dir A> <web dir B> [rounds]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 7);
const bin = process.env.OPZENIX_BIN ?? 'build/opzenix';

async function side(webDir) {
  const server = await startServer({ bin, webDir, log: () => {} });
  const project = await server.api('POST', '/api/v1/projects', { name: 'dag a/b', description: 'bench/web' });
  const e = await server.api('POST', '/api/v1/executions', {
    project_id: project.id, environment: 'Development', branch: 'bench/dag', pipeline_yaml: widePipeline(50, 10, 'true'),
  });
  await waitFinished(server, e.id);
  const browser = await signedInBrowser(server.baseUrl, server.session);
  const page = await browser.context.newPage();
  return { webDir, server, browser, page, url: `/executions/${e.id}`, renders: [], fetched: [], fitted: [] };
}

// One navigation from the dashboard to the DAG page, timed like run.mjs.
async function once(s) {
  await s.page.goto('/');
  await s.page.getByText('Active executions').first().waitFor();
  const t0 = Date.now();
  await s.page.goto(s.url);
  await s.page.waitForFunction(() => /^500 nodes/.test(document.querySelector('[data-testid=dag-summary]')?.textContent ?? ''), null, { polling: 'raf', timeout: 60_000 });
  s.fetched.push(Date.now() - t0);
  await s.page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length >= 500, null, { polling: 'raf', timeout: 60_000 });
  s.renders.push(Date.now() - t0);
  await s.page.waitForFunction(viewFitted, null, { timeout: 60_000 });
  s.fitted.push(Date.now() - t0);
}

const sides = [await side(dirA), await side(dirB)];
try {
  for (const s of sides) await once(s); // warm-up: chunks in the HTTP cache, layouts compiled
  for (const s of sides) s.renders.length = s.fetched.length = s.fitted.length = 0;
  for (let i = 0; i < rounds; i++) for (const s of i % 2 ? [...sides].reverse() : sides) await once(s);
  for (const s of sides) {
    console.log(`${s.webDir}: 500 nodes drawn median ${median(s.renders)} ms (${s.renders.join('/')}); execution on screen median ${median(s.fetched)} ms; view fitted and painted median ${median(s.fitted)} ms`);
  }
  console.log(`B / A: ${(median(sides[1].renders) / median(sides[0].renders)).toFixed(2)}`);
} finally {
  for (const s of sides) {
    await s.browser.close();
    await s.server.stop();
  }
}
