#!/usr/bin/env bash
# All benchmarks, one after another (see docs/performance.md for results).
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
"$here/http_bench.sh" "$build"
"$here/dag_bench.sh" "$build"
"$here/webhook_bench.sh" "$build" 300
"$here/deploy_bench.sh" "$build" 500
[[ -x "$build/store_write_bench" ]] && "$build/store_write_bench"
[[ -x "$build/audit_append_bench" ]] && "$build/audit_append_bench"
