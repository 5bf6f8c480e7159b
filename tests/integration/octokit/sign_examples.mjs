// Signs @octokit/webhooks-examples payloads with @octokit/webhooks-methods
// (GitHub's own JavaScript signing code) for tests/integration/octokit_webhooks_test.cc.
//
// Usage: node sign_examples.mjs <secret> <out.json> [event ...]
// Writes a JSON array of {event, index, body, signature}: `body` is the exact
// text to POST (JSON.stringify of the example), `signature` the
// X-Hub-Signature-256 value `await sign(secret, body)` produced for it.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { sign, verify } from "@octokit/webhooks-methods";

const [secret, out, ...wanted] = process.argv.slice(2);
if (!secret || !out) {
  console.error("usage: node sign_examples.mjs <secret> <out.json> [event ...]");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const indexPath = require.resolve("@octokit/webhooks-examples/api.github.com/index.json");
const index = JSON.parse(readFileSync(indexPath, "utf8"));
const events = new Set(wanted.length ? wanted : ["ping", "push", "create", "release",
                                                 "pull_request", "workflow_run"]);
const signed = [];
for (const entry of index) {
  if (!events.has(entry.name)) continue;
  for (const [i, example] of entry.examples.entries()) {
    const body = JSON.stringify(example);
    const signature = await sign(secret, body);
    if (!(await verify(secret, body, signature))) throw new Error("sign/verify disagree");
    signed.push({ event: entry.name, index: i, body, signature });
  }
}
writeFileSync(out, JSON.stringify(signed));
console.log(`${signed.length} signed examples from ${indexPath}`);
