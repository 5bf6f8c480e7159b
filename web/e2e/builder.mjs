// Browser scenarios: the visual pipeline builder and the template library (issue 11).
// Each export in `scenarios` is an async (ctx) => void run in order by run.mjs.
// Contract: [data-testid=builder-palette-item][data-node-type], builder-canvas,
// builder-node[data-node-id] (with builder-node-problem markers and
// builder-node-summary), builder-panel (builder-field-run), builder-problems
// (data-valid), builder-name, builder-save, builder-run (run-environment,
// run-project, run-start in its dialog), builder-yaml-tab, builder-yaml-editor,
// builder-yaml-problems; on /pipelines saved-pipeline rows, template-card and
// template-use. Waits are on elements, never on network idleness.
import { createUser, keepFailure, pageChecks, signInAs, waitForCount } from './checks.mjs';
import { waitFor } from './server.mjs';

const PIPELINE = 'e2e-built-pipeline';
const CHAIN = ['trigger', 'build', 'test', 'notify'];
const COMMANDS = { trigger: 'echo start', build: 'echo build', test: 'echo test', notify: 'echo notify' };

const node = (page, id) => page.locator(`[data-testid=builder-node][data-node-id="${id}"]`);
const handle = (page, id, kind) => page.locator(`.react-flow__node[data-id="${id}"] .react-flow__handle.${kind}`);

// The server answers an invalid pipeline with 422 by design (POST
// /pipelines/validate), and the browser logs every 4xx as a console error:
// those are the builder working, not errors. Everything else fails the check.
async function noErrorsButValidation(s, ctx) {
  await s.check('no console error or page error (422 answers of /pipelines/validate aside)', async () => {
    const errors = ctx.browser
      .takeErrors()
      .filter((e) => !(e.includes('status of 422') && e.includes('/api/v1/pipelines/validate')));
    if (errors.length) throw new Error(errors.join('\n'));
  });
}

// Where an element is once it stopped moving (the canvas may still be
// fitting the view after a node was added): two reads a frame apart agree.
async function steadyBox(page, locator) {
  let box = null;
  await waitFor('a handle that stopped moving', async () => {
    const a = await locator.boundingBox();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    box = await locator.boundingBox();
    return a && box && a.x === box.x && a.y === box.y && a.width === box.width;
  }, 5_000);
  return box;
}

// Drags from the centre of one element to the centre of another with real
// mouse events (React Flow's connection line follows pointer moves).
async function dragBetween(page, from, to) {
  const a = await steadyBox(page, from);
  const b = await steadyBox(page, to);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 10 });
  await page.mouse.up();
}

async function problemsText(page) {
  return page.locator('[data-testid=builder-problems]').innerText().catch(() => '?');
}

export async function builderDragDropSaveRun(ctx) {
  const { report, browser, server } = ctx;
  const s = report.scenario('pipeline builder: drag and drop, connect, validate, YAML, save, run');
  const page = await browser.context.newPage();

  await s.step('open /pipelines/new: a palette of the seven node types and an empty canvas', async () => {
    await page.goto('/login');
    // No project chosen (another scenario may have left one): the run below
    // goes to an environment of no project.
    await page.evaluate(() => localStorage.removeItem('opzenix.project'));
    await page.goto('/pipelines/new');
    await page.locator('[data-testid=builder-canvas]').waitFor();
    await waitForCount(page, 'palette items', '[data-testid=builder-palette-item]', 7);
    for (const t of ['trigger', 'build', 'test', 'scan', 'approval', 'deploy', 'notify'])
      await page.locator(`[data-testid=builder-palette-item][data-node-type=${t}]`).waitFor();
  });

  await s.step('drag "trigger" from the palette onto the canvas (HTML5 drag and drop): a trigger node', async () => {
    await page.dragAndDrop('[data-testid=builder-palette-item][data-node-type=trigger]', '[data-testid=builder-canvas]', {
      targetPosition: { x: 140, y: 160 },
    });
    await node(page, 'trigger').waitFor();
  });

  await s.step('click "build", "test" and "notify" in the palette: four nodes', async () => {
    for (const t of ['build', 'test', 'notify']) {
      await page.locator(`[data-testid=builder-palette-item][data-node-type=${t}]`).click();
      await node(page, t).waitFor();
    }
    await waitForCount(page, 'builder nodes', '[data-testid=builder-node]', 4);
  });

  await s.step('live validation marks the build node (no command yet) with a red problem', async () => {
    await node(page, 'build').locator('[data-testid=builder-node-problem]').waitFor();
    await page.locator('[data-testid=builder-problems][data-status=invalid]').waitFor();
  });

  await s.step('connect trigger → build → test → notify by dragging between handles: three edges', async () => {
    for (let i = 0; i + 1 < CHAIN.length; i++) {
      await dragBetween(page, handle(page, CHAIN[i], 'source'), handle(page, CHAIN[i + 1], 'target'));
      await waitForCount(page, 'edges', '.react-flow__edge', i + 1);
    }
  });

  await s.step('select each node and type its command in the side panel', async () => {
    for (const id of CHAIN) {
      await node(page, id).click();
      const panel = page.locator('[data-testid=builder-panel]');
      await panel.locator('[data-testid=builder-field-id]').waitFor();
      if ((await panel.locator('[data-testid=builder-field-id]').inputValue()) !== id) throw new Error(`the panel shows another node than ${id}`);
      await panel.locator('[data-testid=builder-field-run]').first().fill(COMMANDS[id]);
      await node(page, id).locator('[data-testid=builder-node-summary]', { hasText: COMMANDS[id] }).waitFor();
    }
    await page.locator('[data-testid=builder-name]').fill(PIPELINE);
  });

  await s.step('validation goes clean: no problem on any node', async () => {
    await page
      .locator('[data-testid=builder-problems][data-valid=true]')
      .waitFor({ timeout: 10_000 })
      .catch(async () => {
        throw new Error(`the problems list reads: ${await problemsText(page)}`);
      });
    await waitForCount(page, 'problem markers', '[data-testid=builder-node-problem]', 0);
  });
  await pageChecks(s, page, 'builder', ctx);

  await s.step('the YAML tab shows the pipeline in opzenix.yml form', async () => {
    await page.locator('[data-testid=builder-yaml-tab]').click();
    const text = await page.locator('[data-testid=builder-yaml-editor]').inputValue();
    for (const want of [`name: ${PIPELINE}`, 'nodes:', '  build:', '    type: build', '    needs: build', '    run: echo build'])
      if (!text.includes(want)) throw new Error(`the YAML lacks "${want}":\n${text}`);
  });

  await s.step('broken YAML is reported with its line; fixed, the edit (test runs "echo tested") reaches the canvas', async () => {
    const editor = page.locator('[data-testid=builder-yaml-editor]');
    const good = await editor.inputValue();
    await editor.fill(good.replace('nodes:', 'nodes: [').replace('echo test', 'echo tested'));
    await page.locator('[data-testid=builder-yaml-problems]', { hasText: /Line \d+/ }).waitFor();
    await editor.fill(good.replace('echo test', 'echo tested'));
    await waitForCount(page, 'YAML problems', '[data-testid=builder-yaml-problems]', 0);
    await page.locator('[data-testid=builder-canvas-tab]').click();
    await node(page, 'test').locator('[data-testid=builder-node-summary]', { hasText: 'echo tested' }).waitFor();
    await waitForCount(page, 'edges after the YAML edit', '.react-flow__edge', 3);
    await page.locator('[data-testid=builder-problems][data-valid=true]').waitFor({ timeout: 10_000 });
  });

  const saved = await s.step('save: the page becomes /pipelines/{id}/edit and the server has the flow template', async () => {
    await page.locator('[data-testid=builder-save]').click();
    await page.waitForURL(/\/pipelines\/[0-9a-f-]+\/edit/);
    const id = page.url().match(/\/pipelines\/([0-9a-f-]+)\/edit/)[1];
    const t = await server.api('GET', `/api/v1/flow-templates/${id}`);
    if (t.name !== PIPELINE) throw new Error(`saved as "${t.name}"`);
    const byId = Object.fromEntries(t.nodes.map((n) => [n.id, n]));
    if (byId.test?.data?.run !== 'echo tested') throw new Error(`test runs ${JSON.stringify(byId.test?.data)}`);
    if (t.edges.length !== 3) throw new Error(`${t.edges.length} edges saved`);
    return t;
  });

  await s.step('run it in Development: the execution page opens and every node turns green', async () => {
    await page.locator('[data-testid=builder-run]').click();
    await page.locator('[data-testid=run-project]').selectOption('');
    const env = page.locator('[data-testid=run-environment]');
    await env.fill('Development');
    await page.locator('[data-testid=run-start]').click();
    await page.waitForURL(/\/executions\/[0-9a-f-]+$/);
    await waitForCount(page, 'DAG nodes', '[data-testid=dag-node]', 4);
    await waitForCount(page, 'green nodes', '[data-testid=dag-node][data-status=success]', 4, 30_000);
  });
  await keepFailure(s, page, 'builder', ctx);
  await noErrorsButValidation(s, ctx);
  await page.close();
  ctx.builtTemplate = saved;
}

export async function builderTemplateLibrary(ctx) {
  const { report, browser, server } = ctx;
  const s = report.scenario('pipelines page: saved pipelines and the template library');
  const page = await browser.context.newPage();

  await s.step('open /pipelines: the saved pipeline is listed with Edit and Run', async () => {
    await page.goto('/pipelines');
    const row = page.locator('[data-testid=saved-pipeline]', { hasText: PIPELINE });
    await row.waitFor();
    await row.getByRole('link', { name: `Edit ${PIPELINE}` }).waitFor();
    await row.getByRole('button', { name: `Run ${PIPELINE}` }).waitFor();
  });

  const first = await s.step('the template library lists the starter templates, most used first', async () => {
    await page.locator('[data-testid=template-card]').first().waitFor();
    const { items } = await server.api('GET', '/api/v1/pipeline-templates');
    await waitForCount(page, 'template cards', '[data-testid=template-card]', items.length);
    return items;
  });

  await s.step('filter by flow type: only the matching templates stay', async () => {
    const type = first[0].flow_type;
    await page.locator('[data-testid=template-flow-type]').selectOption(type);
    const expected = first.filter((t) => t.flow_type === type).length;
    await waitForCount(page, `${type} templates`, '[data-testid=template-card]', expected);
    await page.locator('[data-testid=template-flow-type]').selectOption('');
    await waitForCount(page, 'all templates', '[data-testid=template-card]', first.length);
  });
  await pageChecks(s, page, 'pipelines', ctx);

  await s.step('"Use template" opens the builder with its nodes and counts a use', async () => {
    const card = page.locator('[data-testid=template-card]').first();
    const id = await card.getAttribute('data-template-id');
    const before = await server.api('GET', `/api/v1/pipeline-templates/${id}`);
    await card.locator('[data-testid=template-use]').click();
    await page.waitForURL(/\/pipelines\/new\?template=/);
    await waitForCount(page, 'the template’s nodes', '[data-testid=builder-node]', before.nodes.length);
    await waitFor('popularity + 1', async () => (await server.api('GET', `/api/v1/pipeline-templates/${id}`)).popularity === before.popularity + 1, 5_000);
  });
  await keepFailure(s, page, 'pipelines', ctx);
  await noErrorsButValidation(s, ctx);
  await page.close();
}

// A viewer may look and try things on the canvas, but Save and Run say why not.
export async function builderViewerReasons(ctx) {
  const { report, browser, server } = ctx;
  const s = report.scenario('pipeline builder as a viewer: Save and Run disabled with the reason');
  const page = await browser.context.newPage();
  await s.step('a viewer opens the saved pipeline: Save and Run are disabled and say why', async () => {
    const viewer = await createUser(server, 'e2e-builder-viewer@opzenix.local', 'viewer');
    await page.goto('/login');
    const id = ctx.builtTemplate?.id;
    if (!id) throw new Error('no saved pipeline: the first builder scenario did not save one');
    await signInAs(page, server, viewer, `/pipelines/${id}/edit`);
    await waitForCount(page, 'builder nodes', '[data-testid=builder-node]', 4);
    for (const [testId, why] of [
      ['builder-save', 'Viewers cannot save pipelines'],
      ['builder-run', 'Viewers cannot start runs'],
    ]) {
      const b = page.locator(`[data-testid=${testId}]`);
      if ((await b.getAttribute('aria-disabled')) !== 'true') throw new Error(`${testId} is not disabled`);
      if (!(await b.getAttribute('title'))?.startsWith(why)) throw new Error(`${testId} says "${await b.getAttribute('title')}"`);
    }
  });
  await s.step('on /pipelines the Run button of a saved pipeline says why too', async () => {
    await page.goto('/pipelines');
    const run = page.locator('[data-testid=saved-pipeline]', { hasText: PIPELINE }).getByRole('button', { name: `Run ${PIPELINE}` });
    await run.waitFor();
    if (!(await run.getAttribute('title'))?.startsWith('Viewers cannot start runs')) throw new Error(`Run says "${await run.getAttribute('title')}"`);
  });
  await keepFailure(s, page, 'builder-viewer', ctx);
  await signInAs(page, server, server.admin, '/').catch(() => undefined); // later scenarios act as the admin
  await noErrorsButValidation(s, ctx);
  await page.close();
}

export async function builderDeleteSaved(ctx) {
  const { report, browser, server } = ctx;
  const s = report.scenario('pipelines page: delete a saved pipeline');
  const page = await browser.context.newPage();
  await s.step('Delete… asks first; confirmed, the row goes and the server no longer has it', async () => {
    const id = ctx.builtTemplate?.id;
    if (!id) throw new Error('no saved pipeline: the first builder scenario did not save one');
    await page.goto('/pipelines');
    const row = page.locator(`[data-testid=saved-pipeline][data-template-id="${id}"]`);
    await row.getByRole('button', { name: `Delete ${PIPELINE}` }).click();
    await page.locator('[data-testid=confirm-dialog]').waitFor();
    await page.locator('[data-testid=confirm-submit]').click();
    await row.waitFor({ state: 'detached' });
    const res = await fetch(`${server.baseUrl}/api/v1/flow-templates/${id}`, { headers: { Authorization: `Bearer ${server.token}` } });
    if (res.status !== 404) throw new Error(`GET the deleted flow template answered ${res.status}`);
  });
  await keepFailure(s, page, 'builder-delete', ctx);
  await noErrorsButValidation(s, ctx);
  await page.close();
}

export const scenarios = [builderDragDropSaveRun, builderTemplateLibrary, builderViewerReasons, builderDeleteSaved];
