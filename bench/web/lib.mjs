// Shared by the browser benchmarks: a real `opzenix serve` and Debian's
// chromium, from the end-to-end tests' helpers (web/e2e), with the session
// put in localStorage so pages open signed in; and the pipelines the
// benchmarks run.
export { startServer, waitFor } from '../../web/e2e/server.mjs';
import { launchBrowser } from '../../web/e2e/browser.mjs';

export async function signedInBrowser(baseURL, session) {
  const browser = await launchBrowser({ baseURL });
  await browser.context.addInitScript((s) => {
    try {
      localStorage.setItem('opzenix.session', JSON.stringify(s));
    } catch {
      /* about:blank has no storage */
    }
  }, session);
  return browser;
}

export async function waitFinished(server, id, timeoutMs = 900_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const e = await server.api('GET', `/api/v1/executions/${id}`);
    if (['success', 'failed', 'warning', 'cancelled'].includes(e.status)) return e;
    if (Date.now() > end) throw new Error(`execution ${id} still ${e.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// One node printing `lines` lines, every one with ANSI colours.
export function bigLogPipeline(lines) {
  return [
    'name: big-log',
    'nodes:',
    '  big:',
    '    type: build',
    '    steps:',
    '      - name: print',
    `        run: awk 'BEGIN { for (i = 1; i <= ${lines}; i++) printf "line %d \\033[32mok\\033[0m compiling target-%d\\n", i, i % 977 }'`,
    '',
  ].join('\n');
}

// `width` × `layers` nodes; each node needs two of the layer before.
// The live 500-node run's step (run.mjs, profile-dag.mjs --live). widePipeline
// lets 10 nodes run at once, so the step's length sets the rate: `sleep 0.4`
// gave 36-46 state changes/s (until 2026-12-07), `sleep 0.2` about 100, the
// rate the target names.
export const LIVE_STEP = process.env.LIVE_STEP ?? 'sleep 0.2';

export function widePipeline(layers, width, run) {
  const out = ['name: wide', 'nodes:'];
  for (let l = 0; l < layers; l++) {
    for (let w = 0; w < width; w++) {
      out.push(`  n${l}_${w}:`, `    run: ${JSON.stringify(run)}`);
      if (l > 0) out.push(`    needs: [n${l - 1}_${w}, n${l - 1}_${(w + 1) % width}]`);
    }
  }
  return out.join('\n') + '\n';
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

// In the page: React Flow has fitted the view to the graph (its viewport has
// left the initial transform) and a frame has been painted since.
export function viewFitted() {
  const t = document.querySelector('.react-flow__viewport')?.style.transform ?? '';
  if (!t || t === 'translate(0px, 0px) scale(1)') return false;
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))));
}
