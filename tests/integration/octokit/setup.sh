#!/bin/sh
# Installs the pinned real GitHub clients used by the octokit integration test
# (@octokit/webhooks-examples 7.6.1, @octokit/webhooks-methods 6.0.0) into
# tests/integration/octokit/node_modules with `npm ci`. Idempotent: does
# nothing when both are already installed at those versions. Prints the path
# of the examples' index.json (what OPZ_OCTOKIT_EXAMPLES should point at).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
index="$here/node_modules/@octokit/webhooks-examples/api.github.com/index.json"
installed() {
  node -e '
    const v = (p) => JSON.parse(require("fs").readFileSync(p, "utf8")).version;
    const ok = v("node_modules/@octokit/webhooks-examples/package.json") === "7.6.1" &&
               v("node_modules/@octokit/webhooks-methods/package.json") === "6.0.0";
    process.exit(ok ? 0 : 1);' 2>/dev/null
}
if ! installed; then
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
installed
echo "$index"
