// Browser scenarios: environments, locks, rollback, promotion and deployment detail (issue 11).
// Each export in `scenarios` is an async (ctx) => void run in order by run.mjs.
// Contract used: [data-testid=environment-card][data-environment=…] (data-locked),
// lock-toggle, lock-reason, lock-confirm, lock-state-reason; history-row
// (data-deployment-id, data-current), rollback-button, rollback-reason,
// rollback-confirm, rollback-label; release-hold; emergency-stop (+ -reason,
// -confirm), emergency-stop-banner, emergency-stop-lift (+ -confirm);
// deployment-detail, probe-row, hook-attempt, related-rollbacks.
// Waits are on elements, never on network idleness or fixed sleeps.
import { join } from 'node:path';
import { createUser, keepFailure, noErrors, pageChecks, signInAs, waitForCount } from './checks.mjs';
import { waitFor } from './server.mjs';

// A deploy pipeline that succeeds without a router: a rolling deploy of a
// fixed version, a health-check command probed three times, and a migrate
// hook that fails its first attempt (a marker file makes the second pass),
// so the deployment page has probes and hook attempts with a backoff.
function deployPipeline(version, marker) {
  return `name: e2e-shop
nodes:
  build:
    run: echo "building ${version}"
  deploy:
    type: deploy
    needs: build
    environment: Staging
    strategy: rolling
    version: "${version}"
    run: echo "deploying $OPZENIX_VERSION to $OPZENIX_ENVIRONMENT"
    health_check:
      command: "true"
      success_threshold: 3
      interval: 50ms
    hooks:
      migrate:
        run: if [ -f "${marker}" ]; then echo migrated; else touch "${marker}"; echo "db busy"; exit 1; fi
        retry: {max_attempts: 3, initial: 100ms, max: 1s}
`;
}

async function deployToStaging(server, ctx, projectId, version, sha) {
  const started = await server.api('POST', '/api/v1/executions', {
    project_id: projectId,
    pipeline_yaml: deployPipeline(version, join(ctx.tmpDir, `migrated-${version}`)),
    environment: 'Staging',
    branch: 'main',
    commit_sha: sha,
  });
  const done = await waitFor(`the deploy of ${version} to finish`, async () => {
    const e = await server.api('GET', `/api/v1/executions/${started.id}`);
    return ['success', 'failed', 'cancelled'].includes(e.status) ? e : undefined;
  }, 30_000);
  if (done.status !== 'success') throw new Error(`the deploy of ${version} ended ${done.status}`);
  const list = await server.api('GET', `/api/v1/deployments?execution_id=${started.id}`);
  if (list.items.length !== 1) throw new Error(`expected one deployment for ${version}, got ${list.items.length}`);
  return list.items[0];
}

const card = (page, name) => page.locator(`[data-testid=environment-card][data-environment="${name}"]`);

async function expectDisabledWith(locator, reason) {
  await locator.waitFor();
  const disabled = await locator.getAttribute('aria-disabled');
  const title = await locator.getAttribute('title');
  if (disabled !== 'true' || title !== reason) throw new Error(`expected disabled with "${reason}", saw aria-disabled=${disabled} title="${title}"`);
}

export async function environmentsPage(ctx) {
  const { report, browser, server } = ctx;
  const s = report.scenario('environments: locks, rollback in 3 clicks, deployment detail, viewer');
  const page = await browser.context.newPage();
  let projectId = '';
  let v1;
  let v2;

  await s.step('setup: a project and two successful deploys to Staging (v1.4.1, v1.4.2) through the API', async () => {
    const project = await server.api('POST', '/api/v1/projects', { name: 'E2E Environments' });
    projectId = project.id;
    v1 = await deployToStaging(server, ctx, projectId, 'v1.4.1', 'a'.repeat(40));
    v2 = await deployToStaging(server, ctx, projectId, 'v1.4.2', 'b'.repeat(40));
    await server.api('POST', `/api/v1/projects/${projectId}/environments/Production/freeze-windows`, {
      weekdays: ['sat', 'sun'],
      start_time: '22:00',
      end_time: '06:00',
      timezone: 'Europe/Berlin',
      reason: 'e2e weekend freeze',
    });
  });

  await s.step('open /environments with the project chosen: a card per environment, Staging’s history has both', async () => {
    await page.goto('/login');
    await page.evaluate((id) => localStorage.setItem('opzenix.project', id), projectId);
    await page.goto('/environments');
    await waitForCount(page, 'environment cards', '[data-testid=environment-card]', 4);
    await waitForCount(page, 'Staging history rows', '[data-testid=environment-card][data-environment=Staging] [data-testid=history-row]', 2);
    await card(page, 'Staging').locator(`[data-testid=history-row][data-current=true][data-deployment-id="${v2.id}"]`).waitFor();
    await card(page, 'Production').getByText('Only admins can deploy').waitFor();
    await card(page, 'Production').locator('[data-testid=freeze-window]', { hasText: 'e2e weekend freeze' }).waitFor();
    await card(page, 'Production').getByText('Saturdays and Sundays 22:00–06:00').waitFor();
    // The next occurrence (the server's next_start/next_end) in the window's zone and the reader's.
    await card(page, 'Production').locator('[data-testid=freeze-window]', { hasText: /22:00 – \w{3} \d+ \w{3} 06:00 \(Europe\/Berlin\)/ }).waitFor();
    await card(page, 'Production').locator('[data-testid=freeze-window]', { hasText: 'your time' }).waitFor();
    // The screenshot shows Staging (history) and PreProd (locked) rather than the empty Development.
    await card(page, 'Staging').evaluate((el) => {
      const main = document.getElementById('main');
      main.scrollTop = el.getBoundingClientRect().top - main.getBoundingClientRect().top + main.scrollTop - 16;
    });
  });
  await pageChecks(s, page, 'environments', ctx);

  await s.step('lock Staging with a reason: the card shows the lock and the reason', async () => {
    const staging = card(page, 'Staging');
    await staging.locator('[data-testid=lock-toggle]').click();
    await page.locator('[data-testid=lock-reason]').fill('e2e: incident 42');
    await page.locator('[data-testid=lock-confirm]').click();
    await page.locator('[data-testid=environment-card][data-environment=Staging][data-locked=true]').waitFor();
    const reason = await staging.locator('[data-testid=lock-state-reason]').innerText();
    if (reason !== 'e2e: incident 42') throw new Error(`lock reason shown: "${reason}"`);
  });

  await s.step('unlock Staging in one click', async () => {
    await card(page, 'Staging').locator('[data-testid=lock-toggle]').click();
    await page.locator('[data-testid=environment-card][data-environment=Staging][data-locked=false]').waitFor();
  });

  await s.step('promote to PreProd: the refusal (PreProd is locked by default) is shown verbatim', async () => {
    await card(page, 'Staging').locator('[data-testid=promote-button][data-target=PreProd]').click();
    await page.locator('[data-testid=promote-confirm]').click();
    await page.locator('[data-testid=action-refusal]', { hasText: 'Environment PreProd is locked' }).waitFor();
    await page.keyboard.press('Escape');
    await waitForCount(page, 'open dialogs', '[role=dialog]', 0);
    // The browser logs the expected 409 as a console error: take it here, and only it.
    const errors = ctx.browser.takeErrors();
    const unexpected = errors.filter((e) => !/status of 409 .*\/promote\]/.test(e));
    if (unexpected.length) throw new Error(unexpected.join('\n'));
  });

  await s.step('the current version’s rollback button is disabled: "This is the version running now"', async () => {
    await expectDisabledWith(card(page, 'Staging').locator(`[data-testid=rollback-button][data-deployment-id="${v2.id}"]`), 'This is the version running now');
  });

  await s.step('roll back to v1.4.1 in 3 interactions; "rollback v1.4.2 → v1.4.1" appears live in the history', async () => {
    let interactions = 0;
    await card(page, 'Staging').locator(`[data-testid=rollback-button][data-deployment-id="${v1.id}"]`).click();
    interactions++;
    const change = await page.locator('[data-testid=rollback-change]').innerText();
    if (!/v1\.4\.2\s*→\s*v1\.4\.1/.test(change)) throw new Error(`the confirmation shows "${change}"`);
    await page.locator('[data-testid=rollback-reason]').fill('e2e: v1.4.2 answers 500');
    interactions++;
    await page.locator('[data-testid=rollback-confirm]').click();
    interactions++;
    if (interactions > 3) throw new Error(`${interactions} interactions`);
    const label = card(page, 'Staging').locator('[data-testid=rollback-label]', { hasText: 'rollback v1.4.2 → v1.4.1' });
    await label.waitFor({ timeout: 30_000 });
    await waitForCount(page, 'Staging history rows', '[data-testid=environment-card][data-environment=Staging] [data-testid=history-row]', 3);
    // v1.4.2 is marked bad once the rollback's deployment succeeds. If it
    // does not show, say where the rollback is (the deployments as the
    // server has them, with their executions) rather than only "timeout".
    try {
      await card(page, 'Staging').locator('[data-testid=history-row][data-bad=true]').waitFor({ timeout: 30_000 });
    } catch (e) {
      const list = await server.api('GET', `/api/v1/deployments?project_id=${projectId}&environment=Staging`);
      const rows = await Promise.all(list.items.map(async (d) => {
        const detail = await server.api('GET', `/api/v1/deployments/${d.id}`);
        const execution = await server.api('GET', `/api/v1/executions/${d.execution_id}`);
        return `${d.version} ${d.status} marked_bad=${detail.marked_bad} execution ${execution.status} (${execution.governance_status})`;
      }));
      throw new Error(`${e.message}\nStaging deployments on the server:\n  ${rows.join('\n  ')}`);
    }
  });

  await s.step('the rollback left a hold with its reason; releasing it removes it', async () => {
    const staging = card(page, 'Staging');
    await staging.locator('[data-testid=deploy-hold]', { hasText: 'e2e: v1.4.2 answers 500' }).waitFor();
    await staging.locator('[data-testid=release-hold]').click();
    await waitForCount(page, 'holds on Staging', '[data-testid=environment-card][data-environment=Staging] [data-testid=deploy-hold]', 0);
  });

  await s.step('emergency stop from the page: the banner says why; Lift from the banner', async () => {
    await page.locator('[data-testid=emergency-stop]').click();
    await page.locator('[data-testid=emergency-stop-reason]').fill('e2e: stop everything');
    await page.locator('[data-testid=emergency-stop-confirm]').click();
    await page.locator('[data-testid=emergency-stop-banner]', { hasText: 'e2e: stop everything' }).waitFor();
    await page.locator('[data-testid=emergency-stop-banner] [data-testid=emergency-stop-lift]').click();
    await page.locator('[data-testid=emergency-stop-lift-confirm]').click();
    await waitForCount(page, 'emergency-stop banners', '[data-testid=emergency-stop-banner]', 0);
  });

  await s.step('open v1.4.2’s deployment: strategy, probes with latencies, hook attempts, the rollback it caused', async () => {
    await card(page, 'Staging').locator(`[data-testid=history-row][data-deployment-id="${v2.id}"] a`).first().click();
    await page.waitForURL((url) => url.pathname === `/deployments/${v2.id}`);
    const detail = page.locator('[data-testid=deployment-detail][data-status=success]');
    await detail.waitFor();
    await page.locator('[data-testid=probe-row]').first().waitFor();
    await waitForCount(page, 'hook attempts (one failed, one passed)', '[data-testid=hook-attempt]', 2);
    await page.locator('[data-testid=hook-attempt]', { hasText: 'backoff' }).waitFor();
    await page.locator('[data-testid=related-rollbacks]', { hasText: 'Rolled back later' }).waitFor();
  });
  await pageChecks(s, page, 'deployment', ctx);

  await s.step('a viewer sees lock and rollback disabled with the reasons', async () => {
    const viewer = await createUser(server, 'env-viewer@opzenix.local', 'viewer', 'Vera Viewer');
    await signInAs(page, server, viewer, '/environments');
    const staging = card(page, 'Staging');
    await waitForCount(page, 'Staging history rows', '[data-testid=environment-card][data-environment=Staging] [data-testid=history-row]', 3);
    await expectDisabledWith(staging.locator('[data-testid=lock-toggle]'), 'Viewers cannot lock environments');
    await expectDisabledWith(staging.locator(`[data-testid=rollback-button][data-deployment-id="${v2.id}"]`), 'Viewers cannot roll back Staging');
    await expectDisabledWith(page.locator('[data-testid=emergency-stop]'), 'Only admins can turn the emergency stop on or off');
    await signInAs(page, server, server.admin, '/');
  });

  await keepFailure(s, page, 'environments', ctx);
  await noErrors(s, ctx);
  await page.close();
}

export const scenarios = [environmentsPage];
