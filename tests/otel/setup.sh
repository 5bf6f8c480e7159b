#!/bin/sh
# Installs the pinned real OpenTelemetry exporter used by
# tests/integration/otlp_exporter_test.cc (@opentelemetry/exporter-trace-otlp-http
# 0.301.2 with sdk-trace/resources 3.1.1, api 1.10.0) into tests/otel/node_modules
# with `npm ci`. Idempotent: does nothing when the exporter is already installed
# at that version. Without it the test skips, saying so.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
installed() {
  node -e '
    const v = (p) => JSON.parse(require("fs").readFileSync(p, "utf8")).version;
    process.exit(v("node_modules/@opentelemetry/exporter-trace-otlp-http/package.json") === "0.301.2" ? 0 : 1);' 2>/dev/null
}
if ! installed; then
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
installed
