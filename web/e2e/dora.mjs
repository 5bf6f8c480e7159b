// Browser scenario: the dashboard's "Delivery performance (DORA)" section
// (issue 13). Exports `scenarios`, each an async (ctx) => void run in order
// by run.mjs.
// Contract used: [data-testid=dora-section]; the tiles dora-deployment-frequency,
// dora-lead-time, dora-change-failure-rate, dora-time-to-restore, each with
// [data-testid=dora-value] and, when measured, [data-testid=dora-band]
// (data-band); [data-testid=dora-chart]; the URL parameters dora_window and
// dora_env. A server without GET /api/v1/projects/{id}/dora gets the empty
// state "DORA metrics are not available from this server" and the browser's
// one log line of that 404 is the only console error allowed.
// Waits are on elements, never on network idleness or fixed sleeps.
import { keepFailure, noErrors, pageChecks } from './checks.mjs';
import { waitFor } from './server.mjs';

const ENVIRONMENT = 'Staging';

function deployPipeline(version, ok) {
  return `name: e2e-dora
nodes:
  deploy:
    type: deploy
    environment: ${ENVIRONMENT}
    strategy: rolling
    version: "${version}"
    run: ${ok ? `echo "deploying ${version}"` : `echo "deploy of ${version} broke"; exit 1`}
`;
}

// Runs a deploy of `version` to Staging through the API and waits for it to end.
async function deploy(server, projectId, version, ok, sha) {
  const started = await server.api('POST', '/api/v1/executions', {
    project_id: projectId,
    pipeline_yaml: deployPipeline(version, ok),
    environment: ENVIRONMENT,
    branch: 'main',
    commit_sha: sha.repeat(40),
  });
  const done = await waitFor(`the deploy of ${version} to end`, async () => {
    const e = await server.api('GET', `/api/v1/executions/${started.id}`);
    return ['success', 'failed', 'cancelled'].includes(e.status) ? e : undefined;
  }, 30_000);
  const wanted = ok ? 'success' : 'failed';
  if (done.status !== wanted) throw new Error(`the deploy of ${version} ended ${done.status}, expected ${wanted}`);
}

// Whether this server answers the DORA route (the web UI ships ahead of it).
async function serverHasDora(server, projectId) {
  const res = await fetch(`${server.baseUrl}/api/v1/projects/${projectId}/dora?window=7d&environment=${ENVIRONMENT}`, {
    headers: { Authorization: `Bearer ${server.token}` },
  });
  await res.text();
  if (res.status === 404) return false;
  if (!res.ok) throw new Error(`GET …/dora answered ${res.status}`);
  return true;
}

const tile = (page, id) => page.locator(`[data-testid=dora-section] [data-testid=${id}]`);
const valueOf = (page, id) => tile(page, id).locator('[data-testid=dora-value]').innerText();

export async function doraDashboard(ctx) {
  const { report, browser, server } = ctx;
  const s = report.scenario('dora: delivery performance on the dashboard');
  const page = await browser.context.newPage();
  let projectId = '';
  let available = false;

  await s.step('setup: a project with a successful and a failed deploy to Staging through the API', async () => {
    const project = await server.api('POST', '/api/v1/projects', { name: 'E2E DORA' });
    projectId = project.id;
    await deploy(server, projectId, 'v2.0.0', true, 'a');
    await deploy(server, projectId, 'v2.0.1', false, 'b');
    available = await serverHasDora(server, projectId);
    ctx.log(`  note    this server ${available ? 'answers' : 'does not answer'} GET /api/v1/projects/{id}/dora`);
  });

  await s.step('with all projects chosen, the section asks for a project', async () => {
    await page.goto('/login');
    await page.evaluate(() => localStorage.removeItem('opzenix.project'));
    await page.goto('/');
    await page.locator('[data-testid=dora-section]', { hasText: 'Pick a project to see its delivery performance' }).waitFor();
  });

  await s.step('choose the project, 7 days, Staging: the section shows the metrics or says the server has none', async () => {
    await page.evaluate((id) => localStorage.setItem('opzenix.project', id), projectId);
    await page.goto(`/?dora_window=7d&dora_env=${ENVIRONMENT}`);
    const section = page.locator('[data-testid=dora-section]');
    if (!available) {
      await section.getByText('DORA metrics are not available from this server').waitFor();
      return;
    }
    await section.locator('[data-testid=dora-chart] svg').first().waitFor();
    const frequency = await valueOf(page, 'dora-deployment-frequency');
    if (!/per (day|week|month)$/.test(frequency)) throw new Error(`deployment frequency shows "${frequency}"`);
    await tile(page, 'dora-deployment-frequency').locator('[data-testid=dora-band]').waitFor();
    const lead = await valueOf(page, 'dora-lead-time');
    if (lead === '—') throw new Error('lead time shows no value after a deployment');
    const rate = await valueOf(page, 'dora-change-failure-rate');
    if (!/^\d+(\.\d)?%$/.test(rate)) throw new Error(`change failure rate shows "${rate}"`);
    await tile(page, 'dora-time-to-restore').locator('[data-testid=dora-value]').waitFor();
    const pressed = await section.getByRole('button', { name: '7 days' }).getAttribute('aria-pressed');
    if (pressed !== 'true') throw new Error('the 7-day window is not shown as chosen');
    const env = await section.locator('[data-testid=dora-environment]').inputValue();
    if (env !== ENVIRONMENT) throw new Error(`the environment select shows ${env}`);
  });

  await s.step('a new deployment updates the tiles without a reload', async () => {
    if (!available) return;
    const before = await valueOf(page, 'dora-deployment-frequency');
    await deploy(server, projectId, 'v2.0.2', true, 'c');
    await waitFor(`deployment frequency to change from "${before}"`, async () => (await valueOf(page, 'dora-deployment-frequency')) !== before, 15_000);
    // The screenshot shows the DORA section at the top of the content column.
    await page.locator('[data-testid=dora-section]').evaluate((el) => {
      const main = document.getElementById('main');
      main.scrollTop = el.getBoundingClientRect().top - main.getBoundingClientRect().top + main.scrollTop - 16;
    });
  });
  await pageChecks(s, page, 'dora', ctx);
  await keepFailure(s, page, 'dora', ctx);
  if (available) {
    await noErrors(s, ctx);
  } else {
    await s.check('no console error but the browser’s one log line of the missing DORA route (404)', async () => {
      const errors = ctx.browser.takeErrors();
      const missing = errors.filter((e) => /status of 404/.test(e) && /\/dora\?/.test(e));
      const others = errors.filter((e) => !missing.includes(e));
      if (missing.length > 1) throw new Error(`the missing DORA route was asked ${missing.length} times:\n${missing.join('\n')}`);
      if (others.length) throw new Error(others.join('\n'));
    });
  }
  await page.close();
}

export const scenarios = [doraDashboard];
