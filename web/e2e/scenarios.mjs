// The browser scenarios of issue #10, written against the UI's contract:
// the login form (input[type=email], a password input, a submit button); the
// dashboard's words "Active executions", "Success rate", "Pending approvals";
// the DAG as a React Flow graph (.react-flow__node per node) whose nodes are
// [data-testid=dag-node] with data-status; the log viewer's
// [data-testid=log-line][data-line=N] (highlighted: data-selected,
// data-highlighted or aria-current), [data-testid=log-search] and
// [data-testid=log-search-count] ("k of N"); [data-testid=action-cancel]
// opening a dialog (role=dialog) with [data-testid=confirm-reason] and
// [data-testid=confirm-submit]; [data-testid=checkpoint-rerun].
// Waits are on elements, never on network idleness (the event stream stays open).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { countOf, keepFailure, noErrors, pageChecks, SESSION_KEY, waitForCount } from './checks.mjs';
import { waitFor } from './server.mjs';

// A pipeline whose first node waits for a file the test creates, so the page
// is seen before and after the run turns green, without a reload.
function gatedPipeline(gate) {
  return `name: e2e-live-dag
env:
  GATE: "${gate}"
nodes:
  build:
    type: build
    run: |
      echo "waiting for the test to open the gate"
      while [ ! -f "$GATE" ]; do sleep 0.1; done
      echo "compiled"
      echo "version=1.2.3" >> "$OPZENIX_OUTPUT"
  test:
    type: test
    needs: build
    run: |
      echo "running 3 suites of $version"
      echo "PASS unit (212 tests)"
      printf '\\033[32mPASS\\033[0m api (48 tests)\\n'
      echo "PASS contract (12 tests)"
      echo "3 suites, 0 failures, 272 tests"
  scan:
    type: scan
    needs: build
    run: echo "scanning $version - 0 critical"
  deploy:
    type: deploy
    needs: [test, scan]
    run: echo "deploying $version to $OPZENIX_ENVIRONMENT"
`;
}
const GATED_NODES = 4;

export async function login(ctx) {
  const { report, browser, server } = ctx;
  const s = report.scenario('login');
  const page = await browser.context.newPage();
  await s.step('open /login: the form has an email and a password input', async () => {
    await page.goto('/login');
    await page.locator('input[type=email]').waitFor();
    await page.locator('input[type=password]').waitFor();
  });
  await pageChecks(s, page, 'login', ctx);
  await s.step('sign in through the form: the app leaves /login', async () => {
    await page.locator('input[type=email]').fill(server.admin.email);
    await page.locator('input[type=password]').fill(server.admin.password);
    await page.locator('button[type=submit]').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  });
  if (s.broken) {
    await keepFailure(s, page, 'login', ctx);
    // Later scenarios still run, signed in with the API's session.
    await page.goto('/login').catch(() => undefined);
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [SESSION_KEY, JSON.stringify(server.session)]);
    ctx.log('  note    later scenarios use a session stored by the test (the login form failed)');
  }
  await noErrors(s, ctx);
  await page.close();
}

export async function liveDag(ctx) {
  const { report, browser, server } = ctx;
  const s = report.scenario('dashboard and a live DAG');
  const gate = join(ctx.tmpDir, 'gate');
  const started = await s.step('start a pipeline through the API', async () =>
    server.api('POST', '/api/v1/executions', {
      project_id: ctx.projectId,
      environment: 'Development',
      branch: 'e2e/live-dag',
      pipeline_yaml: gatedPipeline(gate),
    }),
  );
  const page = await browser.context.newPage();
  await s.step('the dashboard shows "Active executions", "Success rate", "Pending approvals"', async () => {
    await page.goto('/');
    for (const words of ['Active executions', 'Success rate', 'Pending approvals']) {
      await page.getByText(words).first().waitFor();
    }
  });
  await pageChecks(s, page, 'dashboard', ctx);
  await s.step(`the execution page draws the DAG: ${GATED_NODES} React Flow nodes, the build running`, async () => {
    await page.goto(`/executions/${started.id}`);
    await waitForCount(page, 'the pipeline’s nodes', '.react-flow__node', GATED_NODES);
    await waitForCount(page, 'DAG nodes with a test id', '[data-testid=dag-node]', GATED_NODES);
    await page.locator('[data-testid=dag-node][data-status=running]').first().waitFor();
  });
  await s.step('the gate opens: every node turns green live, without a reload', async () => {
    await page.evaluate(() => {
      window.__opzE2eSamePage = true;
    });
    writeFileSync(gate, 'open\n');
    await waitForCount(page, 'green nodes', '[data-testid=dag-node][data-status=success]', GATED_NODES, 30_000).catch(
      async (e) => {
        const shown = await page.locator('[data-testid=dag-node]').evaluateAll((els) =>
          els.map((el) => `${el.getAttribute('data-node-id')}=${el.getAttribute('data-status')}`).join(' '),
        );
        const truth = await server.api('GET', `/api/v1/executions/${started.id}`);
        const stored = (truth.nodes ?? []).map((n) => `${n.node_id}=${n.status}`).join(' ');
        throw new Error(`${e.message}; the page shows ${shown}; the server has ${truth.status}: ${stored}`);
      },
    );
    if (!(await page.evaluate(() => window.__opzE2eSamePage === true))) throw new Error('the page was reloaded');
  });
  await keepFailure(s, page, 'live-dag', ctx);
  writeFileSync(gate, 'open\n'); // lets the run end even when a step above failed
  await pageChecks(s, page, 'execution-detail', ctx);
  await noErrors(s, ctx);
  await page.close();
  ctx.greenExecutionId = started?.id;
}

export async function nodeLog(ctx) {
  const { report, browser } = ctx;
  const s = report.scenario('node log');
  const page = await browser.context.newPage();
  const id = ctx.greenExecutionId;
  await s.step('the execution to read exists', async () => {
    if (!id) throw new Error('no execution: the live DAG scenario did not start one');
  });
  const url = `/executions/${id}/nodes/test/logs`;
  await s.step("open the test node's log: its lines are shown", async () => {
    await page.goto(url);
    await page.locator('[data-testid=log-line]').first().waitFor();
    await page.getByText('3 suites, 0 failures').first().waitFor();
  });
  await s.check('ANSI colours are rendered, never raw escapes', async () => {
    const text = await page.locator('body').innerText();
    if (text.includes('\u001b[') || text.includes('[32m')) throw new Error('raw escape sequence in the log view');
  });
  await s.step('search "PASS": the count reads "k of 3"', async () => {
    await page.locator('[data-testid=log-search]').fill('PASS');
    const count = page.locator('[data-testid=log-search-count]');
    await waitFor('"k of 3"', async () => /\b[1-3] of 3\b/.test((await count.innerText()).trim()), 10_000).catch(
      async () => {
        throw new Error(`log-search-count reads "${await count.innerText().catch(() => '?')}", expected "k of 3"`);
      },
    );
  });
  await pageChecks(s, page, 'node-log', ctx);
  await s.step('follow the line link #L3: line 3 is shown highlighted', async () => {
    await page.goto(`${url}#L3`);
    const line = page.locator('[data-testid=log-line][data-line="3"]');
    await line.waitFor();
    await waitFor('line 3 highlighted (data-selected, data-highlighted or aria-current)', async () => {
      const marks = await Promise.all(
        ['data-selected', 'data-highlighted', 'aria-current'].map((a) => line.getAttribute(a)),
      );
      return marks.some((m) => m !== null && m !== 'false');
    }, 5_000);
    if (!(await line.isVisible())) throw new Error('line 3 is not scrolled into view');
  });
  await keepFailure(s, page, 'node-log', ctx);
  await noErrors(s, ctx);
  await page.close();
}

export async function cancelAndRerun(ctx) {
  const { report, browser, server } = ctx;
  const s = report.scenario('cancel and rerun from a checkpoint');
  const reason = 'e2e: cancelled to test the confirm dialog';
  const started = await s.step('start the demo soak (examples/demo-soak.yml) and wait for its build checkpoint', async () => {
    const yaml = readFileSync(join(ctx.source, 'examples', 'demo-soak.yml'), 'utf8');
    const e = await server.api('POST', '/api/v1/executions', {
      project_id: ctx.projectId,
      environment: 'Staging', // its own deploy queue: free whatever the live DAG run did
      branch: 'e2e/soak',
      pipeline_yaml: yaml,
    });
    await waitFor('a checkpoint', async () => {
      const c = await server.api('GET', `/api/v1/executions/${e.id}/checkpoints`);
      return (c.items ?? c).length > 0;
    });
    return e;
  });
  const page = await browser.context.newPage();
  await s.step('open the running execution', async () => {
    await page.goto(`/executions/${started.id}`);
    await page.locator('[data-testid=dag-node][data-status=running]').first().waitFor();
  });
  await s.step('cancel with a reason through the confirm dialog', async () => {
    await page.locator('[data-testid=action-cancel]').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.locator('[data-testid=confirm-reason]').fill(reason);
    await dialog.locator('[data-testid=confirm-submit]').click();
    const e = await waitFor('the execution to be cancelled', async () => {
      const got = await server.api('GET', `/api/v1/executions/${started.id}`);
      return got.status === 'cancelled' ? got : undefined;
    });
    if (!JSON.stringify(e).includes(reason)) throw new Error('the cancelled execution does not carry the reason');
    await page.getByText(/cancelled/i).first().waitFor();
  });
  await s.step('rerun from the checkpoint: the new execution’s page opens', async () => {
    await page.locator('[data-testid=checkpoint-rerun]').first().click();
    const dialog = page.getByRole('dialog');
    if (await dialog.waitFor({ timeout: 1_000 }).then(() => true, () => false)) {
      const why = dialog.locator('[data-testid=confirm-reason]');
      if (await why.count()) await why.fill('e2e: rerun from the build checkpoint');
      await dialog.locator('[data-testid=confirm-submit]').click();
    }
    await page.waitForURL((u) => /^\/executions\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith(started.id));
    const newId = new URL(page.url()).pathname.split('/').pop();
    const e = await server.api('GET', `/api/v1/executions/${newId}`);
    if (!e?.id) throw new Error(`the new execution ${newId} is not known to the API`);
    await page.locator('.react-flow__node').first().waitFor();
  });
  await keepFailure(s, page, 'cancel-rerun', ctx);
  await noErrors(s, ctx);
  await page.close();
}

export async function executionsList(ctx) {
  const { report, browser } = ctx;
  const s = report.scenario('executions list');
  const page = await browser.context.newPage();
  await s.step('the list shows the runs of this test', async () => {
    await page.goto('/executions');
    await page.getByText('e2e/live-dag').first().waitFor();
  });
  await keepFailure(s, page, 'executions', ctx);
  await pageChecks(s, page, 'executions', ctx);
  await noErrors(s, ctx);
  await page.close();
}
