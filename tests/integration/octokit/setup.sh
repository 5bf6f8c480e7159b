#!/bin/sh
# Installs the pinned real GitHub clients used by the octokit integration test
# (@octokit/webhooks-examples 7.6.1, @octokit/webhooks-methods 6.0.0) into
# tests/integration/octokit/node_modules with `npm ci`. Idempotent: does
# nothing when both are already installed at those versions. Prints the path
# of the examples' index.json (what OPZ_OCTOKIT_EXAMPLES should point at).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pinned="$here/../../support/npm_pinned.sh"
"$pinned" "$here" @octokit/webhooks-examples 7.6.1
"$pinned" "$here" @octokit/webhooks-methods 6.0.0
echo "$here/node_modules/@octokit/webhooks-examples/api.github.com/index.json"
