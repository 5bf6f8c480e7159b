#!/bin/sh
# Installs the pinned real OpenTelemetry exporter used by
# tests/integration/otlp_exporter_test.cc (@opentelemetry/exporter-trace-otlp-http
# 0.301.2 with sdk-trace/resources 3.1.1, api 1.10.0) into tests/otel/node_modules
# with `npm ci`. Idempotent: does nothing when the exporter is already installed
# at that version. Without it the test skips, saying so.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
"$here/../support/npm_pinned.sh" "$here" @opentelemetry/exporter-trace-otlp-http 0.301.2
