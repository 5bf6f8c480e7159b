// What every scenario file shares: counting and waiting on elements, the
// per-page checks (axe, screenshot), keeping the page of a failed scenario,
// no console errors, and acting as another user in the one browser.
import { join } from 'node:path';
import { checkAccessibility, screenshot } from './browser.mjs';
import { waitFor } from './server.mjs';

export const SESSION_KEY = 'opzenix.session';

export async function countOf(page, selector) {
  return page.locator(selector).count();
}

export async function waitForCount(page, what, selector, expected, ms = 15_000) {
  let seen = -1;
  await waitFor(
    `${what} (${selector}: ${expected}, seen ${seen})`,
    async () => {
      seen = await countOf(page, selector);
      return seen === expected;
    },
    ms,
  ).catch(() => {
    throw new Error(`expected ${expected} × ${selector} (${what}), saw ${seen}`);
  });
}

export async function pageChecks(s, page, name, ctx) {
  await s.check(`axe: no serious or critical violation on ${name}`, () => checkAccessibility(page));
  await s.check(`screenshot ${name}.png`, () => screenshot(page, name, ctx.shots));
}

// After a broken scenario: what the page showed, for the report.
export async function keepFailure(s, page, name, ctx) {
  if (!s.broken) return;
  const file = join(ctx.shots.outDir, `failed-${name}.png`);
  await page.screenshot({ path: file }).then(
    () => ctx.log(`  note    the page when it failed: ${file}`),
    () => undefined,
  );
}

export async function noErrors(s, ctx) {
  await s.check('no console error or page error', async () => {
    const errors = ctx.browser.takeErrors();
    if (errors.length) throw new Error(errors.join('\n'));
  });
}


// Signs `page` in as `user` ({email, password}) through the API and reloads
// it at `path`: the app reads the session from localStorage. Answers the
// login response ({token, user, ...}). The browser has one context, so this
// switches the user of every open page at their next reload.
export async function signInAs(page, server, user, path = '/') {
  const res = await fetch(server.baseUrl + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  if (!res.ok) throw new Error(`login as ${user.email} answered ${res.status}: ${await res.text()}`);
  const session = await res.json();
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [SESSION_KEY, JSON.stringify(session)]);
  await page.goto(path);
  return session;
}

// Creates a user through the admin API and answers {id, email, password, role}.
export async function createUser(server, email, role, fullName = email) {
  const password = 'e2e-' + role + '-Battery-Staple-7';
  const u = await server.api('POST', '/api/v1/users', { email, password, role, full_name: fullName });
  return { id: u.id ?? u.user?.id, email, password, role };
}
