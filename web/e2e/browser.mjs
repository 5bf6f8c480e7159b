// Debian's chromium driven by playwright-core, and the checks made on every
// page: axe-core finds no serious or critical violation, a 1280x800
// screenshot is kept, and no console error or page error happened.
import AxeBuilder from '@axe-core/playwright';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const VIEWPORT = { width: 1280, height: 800 };

// Playwright refuses --user-data-dir in the launch args: a persistent
// context in a fresh directory is the supported way.
export async function launchBrowser({ executablePath = '/usr/bin/chromium', baseURL }) {
  const profile = mkdtempSync(join(tmpdir(), 'opz-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    baseURL,
    viewport: VIEWPORT,
    colorScheme: 'light',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  context.setDefaultTimeout(15_000);
  const errors = [];
  const watch = (page) => {
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const from = msg.location()?.url;
      errors.push(`console error on ${page.url()}: ${msg.text()}${from ? ` [${from}]` : ''}`);
    });
    page.on('pageerror', (err) => errors.push(`page error on ${page.url()}: ${err.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    context,
    // Errors seen since the last call (and forgets them).
    takeErrors: () => errors.splice(0, errors.length),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Throws when axe reports a serious or critical violation on the page.
export async function checkAccessibility(page) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length === 0) return;
  const lines = bad.map(
    (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}x, e.g. ${v.nodes[0]?.target.join(' ')})`,
  );
  throw new Error(`axe found ${bad.length} serious/critical violation(s):\n    ${lines.join('\n    ')}`);
}

// Saves <outDir>/<name>.png and copies it to <copyDir>/<name>.png when set.
export async function screenshot(page, name, { outDir, copyDir }) {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${name}.png`);
  await page.screenshot({ path: file });
  if (copyDir) {
    mkdirSync(copyDir, { recursive: true });
    copyFileSync(file, join(copyDir, `${name}.png`));
  }
  return file;
}
