// Browser scenarios: the dashboard arranged per user and the advisories it
// shows (issue 13). Exports `scenarios`, each an async (ctx) => void run in
// order by run.mjs.
// Contract used: customize-dashboard, customize-dialog, layout-row
// [data-section], layout-visible, layout-save, layout-reset;
// [data-testid=dashboard-section][data-section] in the order shown (a
// display:contents wrapper: waited on as attached, not visible);
// advisories-section, advisory[data-rule][data-status]; notification-bell,
// notification-item[data-type]; on /settings/advisory-rules: advisory-rule
// [data-rule], rule-edit, rule-editor, rule-threshold, rule-save,
// rule-threshold-value, rule-source.
//
// The advisory functions need their tokens in the server's environment;
// server.mjs passes process.env through, so they are set here, at import,
// before run.mjs starts the server (unless the caller set them already).
import { createUser, keepFailure, noErrors, pageChecks, signInAs } from './checks.mjs';
import { waitFor } from './server.mjs';

process.env.OPS_INGEST_TOKEN ||= 'e2e-ops-ingest-token';
process.env.OPS_ADVISORY_SCAN_TOKEN ||= 'e2e-ops-advisory-token';

const DEFAULT_ORDER = ['metrics', 'advisories', 'environments', 'dora', 'insights', 'charts', 'recent-executions'];
const CUSTOM_ORDER = ['metrics', 'advisories', 'dora', 'environments', 'insights', 'recent-executions']; // dora up, charts hidden

async function shownSections(page) {
  await page.locator('[data-testid=dashboard-section]').first().waitFor({ state: 'attached' });
  return page.$$eval('[data-testid=dashboard-section]', (els) => els.map((e) => e.getAttribute('data-section')));
}

async function expectOrder(page, expected, what) {
  let seen = [];
  await waitFor(`${what}: ${expected.join(', ')}`, async () => {
    seen = await shownSections(page);
    return seen.join() === expected.join();
  }, 10_000).catch(() => {
    throw new Error(`${what}: the dashboard shows ${seen.join(', ')}, expected ${expected.join(', ')}`);
  });
}

async function callFunction(server, path, header, token, body) {
  const res = await fetch(server.baseUrl + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', [header]: token },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

export async function dashboardLayoutAndAdvisories(ctx) {
  const { report, browser, server } = ctx;
  const s = report.scenario('dashboard layout: arranged per user, advisories on the dashboard and in the bell');
  const page = await browser.context.newPage();
  let projectId = '';
  let viewer;

  await s.step('setup: a project and a second user (a viewer)', async () => {
    const project = await server.api('POST', '/api/v1/projects', { name: 'E2E Advisories' });
    projectId = project.id;
    viewer = await createUser(server, `layout-viewer-${Date.now()}@e2e.local`, 'viewer', 'Layout Viewer');
  });

  await s.step('the admin sees every section in the default order, with no advisories open', async () => {
    await page.goto('/login');
    await page.evaluate((id) => localStorage.setItem('opzenix.project', id), projectId);
    await page.goto('/');
    await expectOrder(page, DEFAULT_ORDER, 'the default arrangement');
    await page.locator('[data-testid=advisories-section]', { hasText: 'No open advisories' }).waitFor();
  });

  await s.step('customise with the keyboard: hide the charts, move DORA up, save', async () => {
    await page.locator('[data-testid=customize-dashboard]').click();
    const dialog = page.locator('[data-testid=customize-dialog]');
    await dialog.waitFor();
    await dialog.locator('[data-testid=layout-row][data-section=charts] [data-testid=layout-visible]').press('Space');
    const up = dialog.getByRole('button', { name: 'Move Delivery performance (DORA) up' });
    await up.focus();
    await page.keyboard.press('Enter');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    if (focused !== 'Move Delivery performance (DORA) up') throw new Error(`after the move, focus is on "${focused}"`);
    const rows = await dialog.locator('[data-testid=layout-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-section')));
    if (rows.slice(2, 4).join() !== 'dora,environments') throw new Error(`the editor lists ${rows.join(', ')}`);
    await dialog.locator('[data-testid=layout-save]').click();
    await dialog.waitFor({ state: 'detached' });
    await expectOrder(page, CUSTOM_ORDER, 'after saving');
  });

  await s.step('reload: the arrangement is kept (stored as the admin’s default layout)', async () => {
    await page.reload();
    await expectOrder(page, CUSTOM_ORDER, 'after a reload');
    const { items } = await server.api('GET', '/api/v1/dashboard-layouts');
    const stored = items.find((l) => l.is_default)?.layout?.sections?.find((x) => x.id === 'charts');
    if (!stored || stored.visible !== false) throw new Error(`the stored layout is ${JSON.stringify(items)}`);
  });

  await s.step('another user sees the default arrangement', async () => {
    await signInAs(page, server, viewer, '/');
    await expectOrder(page, DEFAULT_ORDER, 'the viewer’s dashboard');
    await signInAs(page, server, server.admin, '/');
    await expectOrder(page, CUSTOM_ORDER, 'the admin’s dashboard again');
  });

  await s.step('metrics over a threshold are ingested and scanned: the advisory appears without a reload', async () => {
    const ingested = await callFunction(server, '/functions/v1/ops-metrics-ingest', 'x-ops-ingest-token', process.env.OPS_INGEST_TOKEN, {
      project_id: projectId,
      ts: new Date().toISOString(),
      samples: [{ metric: 'http_5xx_pct', value: 12 }],
    });
    if (ingested.inserted !== 1) throw new Error(`ingest answered ${JSON.stringify(ingested)}`);
    const scan = await callFunction(server, '/functions/v1/ops-advisory-scan', 'x-ops-advisory-token', process.env.OPS_ADVISORY_SCAN_TOKEN);
    if (!(scan.advisories_created >= 1)) throw new Error(`the scan answered ${JSON.stringify(scan)}`);
    const advisory = page.locator('[data-testid=advisories-section] [data-testid=advisory][data-rule=http_5xx_rate][data-status=open]');
    await advisory.waitFor({ timeout: 10_000 });
    await advisory.getByText('Observed 12% against a threshold of 5%').waitFor();
    await advisory.locator('[data-testid=severity-badge]', { hasText: 'Critical' }).waitFor();
  });

  await s.step('the bell lists the advisory, linking to its project’s dashboard', async () => {
    const bell = page.locator('[data-testid=notification-bell]');
    await page.locator('[data-testid=notification-count]').waitFor();
    await bell.click();
    // The scan covers every project: in the full run other scenarios' projects
    // (failing pipelines) get advisories too, so find this project's one.
    const link = `/?project=${encodeURIComponent(projectId)}`;
    const item = page
      .locator('[data-testid=notification-item][data-type=advisory_opened]')
      .filter({ has: page.locator(`a[href="${link}"]`) })
      .filter({ hasText: 'HTTP 5xx' })
      .first();
    await item.waitFor();
    const text = await item.innerText();
    if (!/Critical advisory: /.test(text)) throw new Error(`the notification reads "${text}"`);
  });
  await pageChecks(s, page, 'dashboard-advisories', ctx);

  await s.step('the advisory rules page: an admin gives the project its own 5xx threshold', async () => {
    await page.keyboard.press('Escape');
    await page.goto(`/settings/advisory-rules?project=${encodeURIComponent(projectId)}`);
    const row = page.locator('[data-testid=advisory-rule][data-rule=http_5xx_rate]');
    await row.waitFor();
    await row.locator('[data-testid=rule-edit]').click();
    const editor = page.locator('[data-testid=rule-editor]');
    await editor.locator('[data-testid=rule-threshold]').fill('150');
    await editor.locator('[data-testid=rule-save]').click();
    await editor.getByText('A percentage is at most 100').waitFor();
    await editor.locator('[data-testid=rule-threshold]').fill('20');
    await editor.locator('[data-testid=rule-save]').click();
    await editor.waitFor({ state: 'detached' });
    await row.locator('[data-testid=rule-threshold-value]', { hasText: '20%' }).waitFor();
    await row.locator('[data-testid=rule-source]', { hasText: 'This project' }).waitFor();
  });
  await pageChecks(s, page, 'advisory-rules', ctx);

  await s.step('reset the dashboard to the default arrangement', async () => {
    await page.goto('/');
    await page.locator('[data-testid=customize-dashboard]').click();
    await page.locator('[data-testid=layout-reset]').click();
    await page.locator('[data-testid=customize-dialog]').waitFor({ state: 'detached' });
    await expectOrder(page, DEFAULT_ORDER, 'after Reset to default');
    const { items } = await server.api('GET', '/api/v1/dashboard-layouts');
    if (items.length !== 0) throw new Error(`layouts left after the reset: ${JSON.stringify(items)}`);
  });
  await keepFailure(s, page, 'dashboard-layout', ctx);
  await noErrors(s, ctx);
  await page.close();
}

export const scenarios = [dashboardLayoutAndAdvisories];
