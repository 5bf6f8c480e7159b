// Browser scenarios: the approvals inbox and the notification bell (issue 11).
// Each export in `scenarios` is an async (ctx) => void run in order by run.mjs.
// Contract used: [data-testid=approval-row][data-approval-id], approve-button,
// reject-button, approval-open, approval-dialog, reject-comment,
// approval-changes, nav-approvals-badge, notification-bell,
// notification-count, notification-item. A button disabled with a reason is
// aria-disabled with the reason in its title.
import { createUser, keepFailure, noErrors, pageChecks, signInAs, waitForCount } from './checks.mjs';
import { waitFor } from './server.mjs';

const PIPELINE = `name: e2e-approved-deploy
nodes:
  deploy:
    type: deploy
    run: echo "deploying to $OPZENIX_ENVIRONMENT"
`;

const row = (id) => `[data-testid=approval-row][data-approval-id="${id}"]`;
const BADGE = '[data-testid=nav-approvals-badge]';

async function pendingCount(server) {
  const m = await server.api('GET', '/api/v1/dashboard/metrics');
  return m.pending_approvals;
}

// The badge's number once it matches `expected` (0: the badge is gone).
async function waitForBadge(page, expected, ms = 5_000) {
  let seen = '?';
  await waitFor(`the approvals badge to read ${expected || 'nothing'}`, async () => {
    const badge = page.locator(BADGE);
    seen = (await badge.count()) === 0 ? '' : (await badge.innerText()).trim();
    return expected === 0 ? seen === '' : seen === String(expected);
  }, ms).catch(() => {
    throw new Error(`the approvals badge reads "${seen}", expected ${expected || 'no badge'} within ${ms / 1000} s`);
  });
}

// A button's reason when it is disabled with one (aria-disabled + title), else null.
async function disabledReason(button) {
  if ((await button.getAttribute('aria-disabled')) !== 'true') return null;
  return button.getAttribute('title');
}

async function startProductionDeploy(server, projectId, branch = 'main') {
  const e = await server.api('POST', '/api/v1/executions', { project_id: projectId, environment: 'Production', branch, pipeline_yaml: PIPELINE });
  if (e.governance_status !== 'pending_approval') throw new Error(`the execution is ${e.status}/${e.governance_status}, expected to wait for approval`);
  const approvals = await waitFor('its approval request', async () => {
    const list = await server.api('GET', `/api/v1/approvals?status=pending&execution_id=${e.id}`);
    return list.items.length ? list.items : undefined;
  });
  return { execution: e, approval: approvals[0] };
}

export async function approvalsInbox(ctx) {
  const { report, browser, server } = ctx;
  const s = report.scenario('approvals inbox: two operators approve a Production deploy');
  const setup = await s.step('set up: Production needs 2 approvals (no self-approval), two operators and a viewer', async () => {
    const project = await server.api('POST', '/api/v1/projects', { name: 'Approvals E2E' });
    const env = `/api/v1/projects/${project.id}/environments/Production`;
    await server.api('PATCH', env, { required_approvals: 2, wait_timer_seconds: 0, prevent_self_approval: true });
    const before = await server.api('GET', `/api/v1/projects/${project.id}/environments`);
    if (before.items.find((e) => e.name === 'Production')?.is_locked) await server.api('DELETE', `${env}/lock`);
    const stamp = Date.now().toString(36);
    const op1 = await createUser(server, `ana-${stamp}@e2e.local`, 'operator', 'Ana Operator');
    const op2 = await createUser(server, `bo-${stamp}@e2e.local`, 'operator', 'Bo Operator');
    const viewer = await createUser(server, `vic-${stamp}@e2e.local`, 'viewer', 'Vic Viewer');
    return { project, op1, op2, viewer };
  });
  const first = await s.step('the admin starts a deploy to Production: it waits for approval', async () => startProductionDeploy(server, setup.project.id));
  const page = await browser.context.newPage();
  await page.goto('/login');

  await s.step('operator 1 opens /approvals: the request is listed, the badge counts the pending requests', async () => {
    await signInAs(page, server, setup.op1, '/approvals');
    await page.locator(row(first.approval.id)).waitFor();
    const text = await page.locator(row(first.approval.id)).innerText();
    for (const words of ['Approvals E2E', 'Production', '0 of 2 approvals']) if (!text.includes(words)) throw new Error(`the row lacks "${words}": ${text}`);
    await waitForBadge(page, await pendingCount(server));
    if ((await pendingCount(server)) === 1) await waitForBadge(page, 1);
  });
  await pageChecks(s, page, 'approvals', ctx);
  await s.step('open the dialog: environment, changes and approvals 0 of 2', async () => {
    await page.locator(`${row(first.approval.id)} [data-testid=approval-open]`).click();
    const dialog = page.locator('[data-testid=approval-dialog]');
    await dialog.waitFor();
    await dialog.locator('[data-testid=approval-changes]').waitFor();
    await dialog.getByText('0 of 2 approvals').waitFor();
    await dialog.getByText('Deploy to Production').waitFor();
    await page.locator('[data-testid=approval-changes] [role=status]').waitFor({ state: 'detached' });
  });
  await pageChecks(s, page, 'approval-dialog', ctx);
  await s.step('operator 1 approves in the dialog: 1 of 2, still pending, and no second vote', async () => {
    const dialog = page.locator('[data-testid=approval-dialog]');
    await dialog.locator('[data-testid=approve-button]').click();
    await dialog.getByText('1 of 2 approvals').waitFor();
    await dialog.locator('[data-testid=approval-vote]').getByText('you', { exact: true }).waitFor();
    const reason = await disabledReason(dialog.locator('[data-testid=approve-button]'));
    if (!reason) throw new Error('Approve is still enabled after voting');
    const a = await server.api('GET', `/api/v1/approvals/${first.approval.id}`);
    if (a.status !== 'pending' || a.approvals !== 1) throw new Error(`the request is ${a.status} with ${a.approvals} approvals`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.locator(`${row(first.approval.id)} [data-testid=approval-progress]`).getByText('1 of 2 approvals').waitFor();
  });

  await s.step('operator 2 opens the inbox; a new request appears live, without a reload', async () => {
    await signInAs(page, server, setup.op2, '/approvals');
    await page.locator(row(first.approval.id)).waitFor();
    // The voter by name once the server sends names with the votes.
    const voted = await server.api('GET', `/api/v1/approvals/${first.approval.id}`);
    const by = voted.votes[0]?.full_name ? 'Ana Operator' : 'user ';
    await page.locator(row(first.approval.id)).getByText(`1 of 2 given by ${by}`).waitFor();
    await page.evaluate(() => (window.__opzSamePage = true));
    const second = await startProductionDeploy(server, setup.project.id);
    ctx.secondApproval = second;
    await page.locator(row(second.approval.id)).waitFor({ timeout: 5_000 });
    await waitForBadge(page, await pendingCount(server));
    if (!(await page.evaluate(() => window.__opzSamePage === true))) throw new Error('the page was reloaded');
  });
  const second = ctx.secondApproval;
  await s.step('operator 2 approves the first from the inbox: its row leaves and the badge counts down live', async () => {
    const before = await pendingCount(server);
    await page.locator(`${row(first.approval.id)} [data-testid=approve-button]`).click();
    await waitForCount(page, 'the approved row', row(first.approval.id), 0, 5_000);
    await waitForBadge(page, before - 1);
  });
  await s.step('the approved execution leaves paused and runs', async () => {
    await waitFor('the execution to leave paused', async () => {
      const e = await server.api('GET', `/api/v1/executions/${first.execution.id}`);
      return e.status !== 'paused' && e.governance_status !== 'pending_approval';
    }, 15_000);
  });

  await s.step('the admin who started the second sees Approve disabled: no self-approval', async () => {
    await signInAs(page, server, server.admin, '/approvals');
    const approve = page.locator(`${row(second.approval.id)} [data-testid=approve-button]`);
    await approve.waitFor();
    const reason = await disabledReason(approve);
    if (!reason || !/started the execution|self/i.test(reason)) throw new Error(`Approve's reason is "${reason}", expected the self-approval rule`);
    const served = await server.api('GET', `/api/v1/approvals/${second.approval.id}`);
    ctx.log(`  note    can_vote from the server: ${'can_vote' in served ? `${served.can_vote} (${served.cannot_vote_reason})` : 'not sent yet (the client applied the rule)'}`);
  });
  await s.step('a viewer sees Approve and Reject disabled with the reason', async () => {
    await signInAs(page, server, setup.viewer, '/approvals');
    const r = page.locator(row(second.approval.id));
    await r.waitFor();
    for (const b of ['approve-button', 'reject-button']) {
      const reason = await disabledReason(r.locator(`[data-testid=${b}]`));
      if (!reason || !/viewer|operators and admins/i.test(reason)) throw new Error(`${b}'s reason is "${reason}", expected one naming the viewer role`);
    }
  });
  await s.step('operator 2 rejects the second: an empty comment is refused, then it leaves with one', async () => {
    await signInAs(page, server, setup.op2, '/approvals');
    await page.locator(`${row(second.approval.id)} [data-testid=reject-button]`).click();
    const dialog = page.locator('[data-testid=approval-dialog]');
    await dialog.waitFor();
    await dialog.locator('[data-testid=reject-button]').click();
    await dialog.getByRole('alert').getByText('needs a comment').waitFor();
    const still = await server.api('GET', `/api/v1/approvals/${second.approval.id}`);
    if (still.status !== 'pending' || still.votes.length) throw new Error('an empty rejection reached the server');
    await dialog.locator('[data-testid=reject-comment]').fill('e2e: not this build');
    await dialog.locator('[data-testid=reject-button]').click();
    await dialog.locator('[data-testid=status-badge][data-status=rejected]').waitFor();
    await page.keyboard.press('Escape');
    await waitForCount(page, 'the rejected row', row(second.approval.id), 0, 5_000);
    await waitForBadge(page, await pendingCount(server));
  });
  await keepFailure(s, page, 'approvals', ctx);
  await noErrors(s, ctx);
  await page.close();
}

export async function approvalsNotificationBell(ctx) {
  const { report, browser, server } = ctx;
  const s = report.scenario('notification bell: the decisions reach the admin who started the deploys');
  const page = await browser.context.newPage();
  await page.goto('/login');
  await s.step('the bell shows an unread count', async () => {
    await signInAs(page, server, server.admin, '/');
    await page.locator('[data-testid=notification-count]').waitFor();
  });
  await s.step('open it: the decision notifications are listed, linking to the execution', async () => {
    const bell = page.locator('[data-testid=notification-bell]');
    await bell.click();
    if ((await bell.getAttribute('aria-expanded')) !== 'true') throw new Error('the bell does not say it is open');
    await page.locator('[data-testid=notification-item]').first().waitFor();
    await page.locator('[data-testid=notification-item]', { hasText: 'Deploy to Production approved' }).waitFor();
    await page.locator('[data-testid=notification-item]', { hasText: 'Deploy to Production rejected' }).waitFor();
    const href = await page.locator('[data-testid=notification-item]', { hasText: 'approved' }).first().locator('a').getAttribute('href');
    if (!href?.startsWith('/executions/')) throw new Error(`the decision links to ${href}`);
  });
  await pageChecks(s, page, 'notifications', ctx);
  await s.step('mark all read: the count goes away; Escape closes and focus returns to the bell', async () => {
    await page.locator('[data-testid=notification-read-all]').click();
    await waitForCount(page, 'the unread count', '[data-testid=notification-count]', 0, 5_000);
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=notification-panel]').waitFor({ state: 'detached' });
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    if (focused !== 'notification-bell') throw new Error(`focus is on ${focused}, not the bell`);
  });
  await keepFailure(s, page, 'notifications', ctx);
  await noErrors(s, ctx);
  await page.close();
}

export const scenarios = [approvalsInbox, approvalsNotificationBell];
