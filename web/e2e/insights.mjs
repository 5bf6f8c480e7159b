// Browser scenario: the dashboard's "Pipeline insights" section (issue 13).
// Exports `scenarios`, each an async (ctx) => void run in order by run.mjs.
// Contract used: [data-testid=insights-section]; rows
// [data-testid=insights-slow-node] with [data-testid=insights-trend]
// (data-trend); [data-testid=insights-flaky-node];
// [data-testid=insights-cluster] with [data-testid=insights-signature] and
// links to /executions/<id>; [data-testid=insights-queue-executions]; the
// URL parameter insights_window. The data is made through the server's API:
// real pipelines with a slow node (sleep 1), a node that fails its first
// attempt and passes its retry (a marker file), and one failing with
// different numbers in its error line each run.
// Waits are on elements, never on network idleness or fixed sleeps.
import { join } from 'node:path';
import { keepFailure, noErrors, pageChecks } from './checks.mjs';
import { waitFor } from './server.mjs';

const SIGNATURE = 'connection refused to <ip>:<n> after <n>ms';

function pipeline(marker, run) {
  return `name: e2e-insights
nodes:
  slow:
    run: sleep 1
  flaky:
    retry: {max_attempts: 2, initial: 100ms, max: 100ms}
    run: if [ -f '${marker}' ]; then echo passed; else touch '${marker}'; echo 'first attempt fails' >&2; exit 1; fi
  db:
    run: echo 'connection refused to 10.0.0.${3 + run}:5432 after ${2990 + 17 * run}ms' >&2; exit 3
`;
}

// Runs the pipeline once through the API and waits for it to end; answers its id.
async function runOnce(ctx, projectId, run) {
  const { server } = ctx;
  const started = await server.api('POST', '/api/v1/executions', {
    project_id: projectId,
    pipeline_yaml: pipeline(join(ctx.tmpDir, `insights-marker-${run}`), run),
    environment: 'Development',
    branch: 'main',
  });
  await waitFor(`insights run ${run} to end`, async () => {
    const e = await server.api('GET', `/api/v1/executions/${started.id}`);
    return ['success', 'failed', 'warning', 'cancelled'].includes(e.status) ? e : undefined;
  }, 30_000);
  return started.id;
}

export async function insightsDashboard(ctx) {
  const { report, browser, server } = ctx;
  const s = report.scenario('insights: slowest, flaky and failing nodes on the dashboard');
  const page = await browser.context.newPage();
  let projectId = '';
  const ids = [];

  await s.step('setup: a project whose pipeline ran twice through the API', async () => {
    const project = await server.api('POST', '/api/v1/projects', { name: 'E2E Insights' });
    projectId = project.id;
    for (const run of [0, 1]) ids.push(await runOnce(ctx, projectId, run));
  });

  await s.step('with all projects chosen, the section asks for a project', async () => {
    await page.goto('/login');
    await page.evaluate(() => localStorage.removeItem('opzenix.project'));
    await page.goto('/');
    await page.locator('[data-testid=insights-section]', { hasText: 'Pick a project to see its pipeline insights' }).waitFor();
  });

  const section = page.locator('[data-testid=insights-section]');
  await s.step('choose the project: the slow node leads the table with p50, p95 and a trend', async () => {
    await page.evaluate((id) => localStorage.setItem('opzenix.project', id), projectId);
    await page.goto('/');
    const first = section.locator('[data-testid=insights-slow-node]').first();
    await first.waitFor();
    const text = await first.innerText();
    if (!/^slow\s/.test(text)) throw new Error(`the slowest node row reads "${text}"`);
    if (!/\b1s\b/.test(text)) throw new Error(`the slow node's durations are not about a second: "${text}"`);
    const trend = await first.locator('[data-testid=insights-trend]').getAttribute('data-trend');
    if (trend !== 'new') throw new Error(`the slow node's trend is ${trend}, expected new (no previous window)`);
    const pressed = await section.getByRole('button', { name: '7 days' }).getAttribute('aria-pressed');
    if (pressed !== 'true') throw new Error('the 7-day window is not shown as chosen');
  });

  await s.step('the flaky node and the failure cluster are named, with links to the example executions', async () => {
    const flaky = section.locator('[data-testid=insights-flaky-node]');
    await flaky.first().waitFor();
    const flakyText = await flaky.first().innerText();
    if (!flakyText.startsWith('flaky') || !flakyText.includes('passed after a retry 2×') || !flakyText.includes('100%'))
      throw new Error(`the flaky node reads "${flakyText}"`);
    const cluster = section.locator('[data-testid=insights-cluster]');
    const signature = await cluster.first().locator('[data-testid=insights-signature]').innerText();
    if (signature !== SIGNATURE) throw new Error(`the cluster's signature is "${signature}"`);
    await cluster.first().getByText('2 failures').waitFor();
    await cluster.first().getByText('exit 3').waitFor();
    const hrefs = await cluster.first().getByRole('link').evaluateAll((links) => links.map((l) => l.getAttribute('href')));
    const expected = [...ids].reverse().map((id) => `/executions/${id}`);
    if (JSON.stringify(hrefs) !== JSON.stringify(expected)) throw new Error(`example links ${hrefs.join(', ')}, expected ${expected.join(', ')}`);
    const executions = await section.locator('[data-testid=insights-queue-executions]').innerText();
    if (!executions.includes('2 executions')) throw new Error(`queue wait reads "${executions}"`);
  });

  await s.step('another run updates the cluster count without a reload', async () => {
    ids.push(await runOnce(ctx, projectId, 2));
    await section.locator('[data-testid=insights-cluster]').first().getByText('3 failures').waitFor({ timeout: 20_000 });
    // The screenshot shows the insights section at the top of the content column.
    await section.evaluate((el) => {
      const main = document.getElementById('main');
      main.scrollTop = el.getBoundingClientRect().top - main.getBoundingClientRect().top + main.scrollTop - 16;
    });
  });

  await s.step('a 30-day window is kept in the URL and shows the same runs', async () => {
    await section.getByRole('button', { name: '30 days' }).click();
    await page.waitForURL(/insights_window=30d/);
    await section.locator('[data-testid=insights-cluster]').first().getByText('3 failures').waitFor();
  });
  await pageChecks(s, page, 'insights', ctx);
  await keepFailure(s, page, 'insights', ctx);
  await noErrors(s, ctx);
  await page.close();
}

export const scenarios = [insightsDashboard];
