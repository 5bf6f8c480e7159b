#!/bin/sh
# Installs the pinned npm `eventsource` client (4.1.1; it reconnects with
# Last-Event-ID) used by tests/integration/event_stream_test.cc and
# bench/event_stream_bench into tests/integration/eventsource/node_modules
# with `npm ci`. Idempotent: does nothing when it is already installed at
# that version. Prints the directory holding collect.mjs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
"$here/../../support/npm_pinned.sh" "$here" eventsource 4.1.1
echo "$here"
