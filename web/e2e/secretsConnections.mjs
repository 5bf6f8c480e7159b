// Browser scenarios: secrets, connections and environment variables (issue 12).
// Each export in `scenarios` is an async (ctx) => void run in order by run.mjs.
// Contract used: secret-row[data-secret-name] with secret-delete, secret-name,
// secret-value, secret-environment, secret-save, secrets-no-master-key;
// connection-row[data-connection-id][data-connection-name] with
// connection-check, connection-status[data-status], connection-delete,
// connection-check-row; connection-name, connection-url, connection-create;
// environment-card[data-environment] with env-config, env-config-edit,
// env-config-input, env-config-save, env-config-variable[data-name];
// confirm-submit (ui/ConfirmDialog). Waits are on elements, never on network
// idleness or fixed sleeps.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { keepFailure, noErrors, pageChecks, waitForCount } from './checks.mjs';
import { waitFor } from './server.mjs';

const tid = (id) => `[data-testid="${id}"]`;

// The server binary run.mjs started (its --bin), for `opzenix secrets init`.
function serverBin() {
  const at = process.argv.indexOf('--bin');
  const eq = process.argv.find((a) => a.startsWith('--bin='));
  return resolve(at >= 0 ? process.argv[at + 1] : eq ? eq.slice(6) : (process.env.OPZENIX_BIN ?? 'build/opzenix'));
}

// The browser logs every 4xx/5xx answer as a console error; a step that
// provokes one on purpose takes those and fails on anything else.
function takeExpectedErrors(ctx, status) {
  const unexpected = ctx.browser.takeErrors().filter((e) => !e.includes(`status of ${status}`));
  if (unexpected.length) throw new Error(unexpected.join('\n'));
}

export async function secretsProjectSecret(ctx) {
  const { report, browser, server, projectId } = ctx;
  const s = report.scenario('secrets: no master key explained, set one (value never shown), delete it');
  const page = await browser.context.newPage();
  const name = 'E2E_DEPLOY_TOKEN';
  const value = `e2e-canary-${Date.now()}-value`;
  const row = page.locator(`${tid('secret-row')}[data-secret-name="${name}"]`);

  await s.step('open /settings/secrets for the project as admin', async () => {
    await page.goto(`/settings/secrets?project=${projectId}`);
    await page.locator(tid('secret-name')).waitFor();
  });
  await s.step('a name outside [A-Z_][A-Z0-9_]* is refused as typed (save disabled with the reason)', async () => {
    await page.locator(tid('secret-name')).fill('1BAD-NAME');
    await page.locator(tid('secret-value')).fill(value);
    await page.getByText('Capital letters, digits and _ only', { exact: false }).first().waitFor();
    if ((await page.locator(tid('secret-save')).getAttribute('aria-disabled')) !== 'true') throw new Error('save is not disabled for a bad name');
  });
  await s.step('without a master key, saving says to run `opzenix secrets init`', async () => {
    await page.locator(tid('secret-name')).fill(name);
    if (existsSync(join(server.dataDir, 'master.key'))) return ctx.log('  note    an earlier scenario created the master key: its absence is not shown');
    await page.locator(tid('secret-save')).click();
    const alert = page.locator(tid('secrets-no-master-key'));
    await alert.waitFor();
    const text = await alert.innerText();
    if (!text.includes('opzenix secrets init')) throw new Error(`the no-key state does not name the command: ${text}`);
    takeExpectedErrors(ctx, 503);
  });
  await s.step('`opzenix secrets init` on the server’s data directory (no restart)', async () => {
    if (existsSync(join(server.dataDir, 'master.key'))) return;
    const r = spawnSync(serverBin(), ['secrets', 'init', '--data-dir', server.dataDir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`opzenix secrets init failed: ${r.stderr || r.stdout}`);
  });
  await s.step('save again: the secret is listed by name, the value field is empty and the page holds no value', async () => {
    await page.locator(tid('secret-save')).click();
    await row.waitFor();
    if ((await page.locator(tid('secret-value')).inputValue()) !== '') throw new Error('the value field still holds the value');
    if ((await page.content()).includes(value)) throw new Error('the page HTML contains the secret value');
    const listed = JSON.stringify(await server.api('GET', `/api/v1/projects/${projectId}/secrets`));
    if (!listed.includes(name) || listed.includes(value)) throw new Error(`the API list is wrong: ${listed}`);
  });
  await pageChecks(s, page, 'secrets', ctx);
  await s.step('delete it (confirmed): the row goes and the API lists nothing', async () => {
    await row.locator(tid('secret-delete')).click();
    await page.locator(tid('confirm-submit')).click();
    await waitForCount(page, 'the deleted secret', `${tid('secret-row')}[data-secret-name="${name}"]`, 0);
    const listed = await server.api('GET', `/api/v1/projects/${projectId}/secrets`);
    if (listed.items.some((i) => i.name === name)) throw new Error('the API still lists the secret');
  });
  await keepFailure(s, page, 'secrets', ctx);
  await noErrors(s, ctx);
  await page.close();
}

export async function secretsConnections(ctx) {
  const { report, browser, server } = ctx;
  const s = report.scenario('connections: guard refusal verbatim, create, check now healthy, recent checks, delete');
  const page = await browser.context.newPage();
  const row = page.locator(`${tid('connection-row')}[data-connection-name="e2e-self"]`);
  const fill = async (name, url) => {
    await page.locator(tid('connection-name')).fill(name);
    await page.locator(tid('connection-url')).fill(url);
    await page.locator(tid('connection-create')).click();
  };

  await s.step('open /settings/connections as admin', async () => {
    await page.goto('/settings/connections');
    await page.locator(tid('connection-create')).waitFor();
  });
  await s.step('a cloud-metadata URL is refused: the server’s config.url message is shown verbatim', async () => {
    const url = 'http://169.254.169.254/latest/meta-data';
    const res = await fetch(server.baseUrl + '/api/v1/connections', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` },
      body: JSON.stringify({ type: 'http', name: 'e2e-probe', config: { url } }),
    });
    const body = await res.json();
    if (res.status !== 422 || body.error.field !== 'config.url') throw new Error(`the API answered ${res.status}: ${JSON.stringify(body)}`);
    await fill('e2e-metadata', url);
    await page.getByText(body.error.message, { exact: true }).waitFor();
    takeExpectedErrors(ctx, 422);
  });
  await s.step('an http connection to the server’s own /healthz is listed, not checked yet', async () => {
    await fill('e2e-self', `${server.baseUrl}/healthz`);
    await row.waitFor();
    const status = await row.locator(tid('connection-status')).getAttribute('data-status');
    if (status !== 'pending') throw new Error(`expected pending, saw ${status}`);
  });
  await s.step('Check now: healthy, with the response time', async () => {
    await row.locator(tid('connection-check')).click();
    const status = row.locator(`${tid('connection-status')}[data-status="healthy"]`);
    await status.waitFor();
    const text = await status.innerText();
    if (!/Healthy in \d+ ms/.test(text)) throw new Error(`the status says: ${text}`);
  });
  await s.step('its recent checks list the healthy check', async () => {
    await row.getByRole('button', { name: 'Recent checks' }).click();
    await row.locator(tid('connection-check-row')).first().waitFor();
    const text = await row.locator(tid('connection-check-row')).first().innerText();
    if (!text.includes('Healthy')) throw new Error(`the latest check says: ${text}`);
  });
  await pageChecks(s, page, 'connections', ctx);
  await s.step('delete it (confirmed): the row goes', async () => {
    await row.locator(tid('connection-delete')).click();
    await page.locator(tid('confirm-submit')).click();
    await waitForCount(page, 'the deleted connection', `${tid('connection-row')}[data-connection-name="e2e-self"]`, 0);
  });
  await keepFailure(s, page, 'connections', ctx);
  await noErrors(s, ctx);
  await page.close();
}

export async function secretsEnvironmentConfig(ctx) {
  const { report, browser, server, projectId } = ctx;
  const s = report.scenario('environment variables: set on Staging’s card, still there after a reload');
  const page = await browser.context.newPage();
  const panel = page.locator(`[data-testid=environment-card][data-environment=Staging] ${tid('env-config')}`);

  await s.step('open /environments with the project chosen: Staging has no variables', async () => {
    await page.goto('/login');
    await page.evaluate((id) => localStorage.setItem('opzenix.project', id), projectId);
    await page.goto('/environments');
    await panel.waitFor();
  });
  await s.step('edit: REGION=eu-west-1 and REPLICAS=3, saved', async () => {
    await panel.locator(tid('env-config-edit')).click();
    await panel.locator(tid('env-config-input')).fill('REGION=eu-west-1\nREPLICAS=3');
    await panel.locator(tid('env-config-save')).click();
    await panel.locator(`${tid('env-config-variable')}[data-name=REGION]`).waitFor();
  });
  await s.step('after a reload both are shown, and the API has them', async () => {
    await page.reload();
    await panel.locator(`${tid('env-config-variable')}[data-name=REPLICAS]`).waitFor();
    const text = await panel.innerText();
    if (!text.includes('eu-west-1')) throw new Error(`the panel says: ${text}`);
    const config = await waitFor('the stored config', async () => {
      const c = await server.api('GET', `/api/v1/projects/${projectId}/environments/Staging/config`);
      return c.variables.REGION ? c : undefined;
    });
    if (config.variables.REGION !== 'eu-west-1' || String(config.variables.REPLICAS) !== '3') throw new Error(JSON.stringify(config));
  });
  await keepFailure(s, page, 'environment-config', ctx);
  await noErrors(s, ctx);
  await page.close();
}

export const scenarios = [secretsProjectSecret, secretsConnections, secretsEnvironmentConfig];
