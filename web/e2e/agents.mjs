// Browser scenario: the agents page (issue 14) against one real `opzenix
// agent` process registered with the server. Each export in `scenarios` is an
// async (ctx) => void run in order by run.mjs.
// Contract used: agent-row[data-agent-name][data-status] with agent-label,
// agent-status[data-status], agent-status-why, agent-capacity, agent-disable;
// agent-filter-label[data-label][aria-pressed], agent-filter-status,
// agent-filter-clear; agent-disable-dialog with agent-disable-confirm.
// Waits are on elements, never on network idleness or fixed sleeps.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkAccessibility } from './browser.mjs';
import { keepFailure, noErrors, pageChecks } from './checks.mjs';
import { waitFor } from './server.mjs';

const tid = (id) => `[data-testid="${id}"]`;
const AGENT = { name: 'e2e-linux-1', labels: 'linux,docker' };

// One node for an agent with the label linux, running until the test opens the gate.
function gatedAgentPipeline(gate) {
  return `name: e2e-agents
nodes:
  build:
    runs_on: [linux]
    run: |
      echo "waiting for the test to open the gate"
      while [ ! -f "${gate}" ]; do sleep 0.1; done
      echo "built on the agent"
`;
}

// The server binary run.mjs started (its --bin): the agent is the same binary.
function opzenixBin() {
  const at = process.argv.indexOf('--bin');
  const eq = process.argv.find((a) => a.startsWith('--bin='));
  return resolve(at >= 0 ? process.argv[at + 1] : eq ? eq.slice(6) : (process.env.OPZENIX_BIN ?? 'build/opzenix'));
}

// `opzenix agent register` with a fresh registration token, then `opzenix
// agent` running in the background. Answers {stop()}.
async function startAgent(ctx) {
  const { server } = ctx;
  const bin = opzenixBin();
  const { token: registration } = await server.api('POST', '/api/v1/agents/registration-tokens', {});
  const reg = spawnSync(
    bin,
    ['agent', 'register', '--server', server.baseUrl, '--registration-token', registration, '--name', AGENT.name, '--labels', AGENT.labels, '--concurrency', '2'],
    { encoding: 'utf8' },
  );
  if (reg.status !== 0) throw new Error(`opzenix agent register failed: ${reg.stderr || reg.stdout}`);
  const token = reg.stdout.trim();
  const child = spawn(
    bin,
    ['agent', '--server', server.baseUrl, '--token', token, '--labels', AGENT.labels, '--concurrency', '2', '--work-dir', join(ctx.tmpDir, 'agent')],
    { stdio: 'ignore' },
  );
  let exited = false;
  child.on('exit', () => (exited = true));
  return {
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      await waitFor('the agent to stop', () => exited, 10_000).catch(() => child.kill('SIGKILL'));
    },
  };
}

export async function agentsPage(ctx) {
  const { report, browser, server } = ctx;
  const s = report.scenario('agents: a real agent listed online with its labels, filters, disabled by an admin');
  const page = await browser.context.newPage();
  const row = page.locator(`${tid('agent-row')}[data-agent-name="${AGENT.name}"]`);
  const gate = join(ctx.tmpDir, 'agents-gate');
  let agent;
  try {
    agent = await s.step(`setup: register and start one \`opzenix agent\` (${AGENT.name}, labels ${AGENT.labels})`, async () => {
      const a = await startAgent(ctx);
      await waitFor(`${AGENT.name} online in GET /api/v1/agents`, async () => {
        const list = await server.api('GET', '/api/v1/agents');
        return list.items.some((i) => i.name === AGENT.name && i.status === 'online');
      });
      return a;
    });
    let execution;
    await s.step('a node with runs_on: [linux] waits on the agent: the page shows its running job and 1 of 2 used', async () => {
      execution = await server.api('POST', '/api/v1/executions', {
        project_id: ctx.projectId,
        environment: 'Development',
        branch: 'e2e/agents',
        pipeline_yaml: gatedAgentPipeline(gate),
      });
      await page.goto('/');
      await page.locator(tid('nav-agents')).click();
      await page.waitForURL((url) => url.pathname === '/agents');
      await waitFor('the agent to show 1 running job', async () => (await row.locator(tid('agent-capacity')).innerText()) === '1 of 2 used, 1 free');
      const link = row.locator(tid('agent-job-link'));
      await waitFor('the running job to link to its node', async () => (await link.count()) === 1);
      const href = await link.getAttribute('href');
      if (!href || !href.startsWith(`/executions/${execution.id}?node=`))
        throw new Error(`the running job links to ${href}, not to execution ${execution.id}'s node`);
    });
    await pageChecks(s, page, 'agents', ctx);
    await s.step('the job finishes on the agent: the execution succeeds and the agent is idle again', async () => {
      writeFileSync(gate, 'open\n');
      const done = await waitFor('the execution to finish', async () => {
        const e = await server.api('GET', `/api/v1/executions/${execution.id}`);
        return ['success', 'failed', 'cancelled'].includes(e.status) ? e : undefined;
      }, 30_000);
      if (done.status !== 'success') throw new Error(`the execution ended ${done.status}`);
      await waitFor('the agent to be idle', async () => (await row.locator(tid('agent-capacity')).innerText()) === '0 of 2 used, 2 free');
    });
    await s.step('the page lists the agent online with its labels and why', async () => {
      await row.locator(`${tid('agent-status')}[data-status=online]`).waitFor();
      const labels = await row.locator(tid('agent-label')).allInnerTexts();
      if (labels.join(',') !== AGENT.labels) throw new Error(`labels shown: ${labels.join(',')}`);
      const why = await row.locator(tid('agent-status-why')).innerText();
      if (!/^heard from \d+ s ago; lost after 30 s of silence$/.test(why)) throw new Error(`status reason: ${why}`);
    });
    await s.check('dark theme: no serious or critical axe violation either', async () => {
      await page.emulateMedia({ colorScheme: 'dark' });
      try {
        await checkAccessibility(page);
        await page.screenshot({ path: join(ctx.shots.outDir, 'agents-dark.png') });
      } finally {
        await page.emulateMedia({ colorScheme: 'light' });
      }
    });
    await s.step('filters live in the URL: label docker keeps it, status lost hides it, Clear brings it back', async () => {
      await page.locator(`${tid('agent-filter-label')}[data-label=docker]`).click();
      await page.waitForURL((url) => url.searchParams.getAll('label').includes('docker'));
      await row.waitFor();
      await page.locator(tid('agent-filter-status')).selectOption('lost');
      await page.getByText('No agent matches these filters').waitFor();
      await page.reload();
      await page.getByText('No agent matches these filters').waitFor(); // the URL kept the filters
      await page.locator(tid('agent-filter-clear')).click();
      await row.waitFor();
    });
    await s.step('Add an agent: Create registration token shows an opzr_ token once, and the register command carries it', async () => {
      await page.locator(tid('add-agent-details')).locator('summary').click();
      await page.locator(tid('registration-token-create')).click();
      const token = (await page.locator(tid('registration-token-value')).innerText()).trim();
      if (!/^opzr_\S+$/.test(token)) throw new Error(`token shown: ${token}`);
      const command = await page.locator(tid('agent-register-command')).innerText();
      if (!command.includes(`--server ${server.baseUrl} --registration-token ${token}`)) throw new Error(`register command: ${command}`);
      await page.getByRole('button', { name: 'I saved it' }).click();
      await page.locator(tid('registration-token-value')).waitFor({ state: 'detached' });
    });
    await s.step('Disable (keyboard) → the dialog says what stops → confirm: the row shows it disabled, without a reload', async () => {
      await page.evaluate(() => {
        window.__opzE2eSamePage = true;
      });
      await row.locator(tid('agent-disable')).focus();
      await page.keyboard.press('Enter');
      const dialog = page.locator(tid('agent-disable-dialog'));
      await dialog.waitFor();
      const text = await dialog.innerText();
      if (!text.includes('its token stops working')) throw new Error(`the dialog does not say what stops: ${text}`);
      await dialog.locator(tid('agent-disable-confirm')).click();
      await row.locator(`${tid('agent-status')}[data-status=disabled]`).waitFor();
      await dialog.waitFor({ state: 'detached' });
      if (!(await page.evaluate(() => window.__opzE2eSamePage === true))) throw new Error('the page was reloaded');
      const list = await server.api('GET', '/api/v1/agents');
      const stored = list.items.find((i) => i.name === AGENT.name);
      if (stored?.status !== 'disabled') throw new Error(`the server has ${stored?.status}`);
      const disable = row.locator(tid('agent-disable'));
      if ((await disable.getAttribute('title')) !== 'Already disabled') throw new Error('Disable does not say it is already disabled');
    });
    await keepFailure(s, page, 'agents', ctx);
    await noErrors(s, ctx);
  } finally {
    await agent?.stop();
    await page.close();
  }
}

export const scenarios = [agentsPage];
