// A real `opzenix serve` for the browser tests: a fresh data directory, an
// admin created with `opzenix user create` (password on stdin), a free
// loopback port (--ready-file names it), and a small API client.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ADMIN = { email: 'e2e-admin@opzenix.local', password: 'e2e-Correct-Horse-42' };

export async function startServer({ bin, webDir, log }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'opz-e2e-data-'));
  const created = spawnSync(
    bin,
    ['user', 'create', '--data-dir', dataDir, '--email', ADMIN.email, '--role', 'admin', '--full-name', 'E2E Admin'],
    { input: ADMIN.password + '\n', encoding: 'utf8' },
  );
  if (created.status !== 0) throw new Error(`opzenix user create failed: ${created.stderr || created.stdout}`);

  const ready = join(dataDir, 'ready');
  const child = spawn(
    bin,
    [
      'serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--ready-file', ready, '--web-dir', webDir,
      // The scenarios' webhook receivers and deploy health checks are on this machine.
      '--outbound-allow', '127.0.0.0/8,::1,file',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OPZENIX_LOG_LEVEL: 'warn' } },
  );
  child.stdout.on('data', (d) => log(String(d)));
  child.stderr.on('data', (d) => log(String(d)));
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  for (let i = 0; i < 300 && !(existsSync(ready) && readFileSync(ready, 'utf8').trim()); i++) {
    if (exited) throw new Error(`opzenix serve exited (${JSON.stringify(exited)}) before it was ready`);
    await sleep(100);
  }
  const addr = readFileSync(ready, 'utf8').trim();
  if (!addr) throw new Error('opzenix serve was not ready after 30 s');
  const baseUrl = `http://${addr}`;
  const server = {
    baseUrl,
    dataDir,
    admin: ADMIN,
    token: '',
    async api(method, path, body) {
      const res = await fetch(baseUrl + path, {
        method,
        headers: {
          'Content-Type': 'application/json',
          ...(server.token ? { Authorization: `Bearer ${server.token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
      return text ? JSON.parse(text) : null;
    },
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        for (let i = 0; i < 100 && !exited; i++) await sleep(100);
        if (!exited) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const login = await server.api('POST', '/api/v1/auth/login', ADMIN);
  server.token = login.token;
  server.session = login;
  return server;
}

// Polls `probe` (an async function returning a value or undefined) until it
// returns something, or throws after `ms` naming `what`.
export async function waitFor(what, probe, ms = 20_000) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined && v !== null && v !== false) return v;
    } catch (e) {
      last = e;
    }
    await sleep(100);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
}
