#!/bin/sh
# Installs the pinned npm `eventsource` client (4.1.1; it reconnects with
# Last-Event-ID) used by tests/integration/event_stream_test.cc and
# bench/event_stream_bench into tests/integration/eventsource/node_modules
# with `npm ci`. Idempotent: does nothing when it is already installed at
# that version. Prints the directory holding collect.mjs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
installed() {
  node -e '
    const v = (p) => JSON.parse(require("fs").readFileSync(p, "utf8")).version;
    process.exit(v("node_modules/eventsource/package.json") === "4.1.1" ? 0 : 1);' 2>/dev/null
}
if ! installed; then
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
installed
echo "$here"
