#!/usr/bin/env bash
# Deployment benchmark: issue 9's scenario on a real service
# (tests/integration/deploy_webapp_test.cc, examples/webapp behind nginx) with
# the client at RPS requests per second through nginx (default 500).
#   bench/deploy_bench.sh BUILD_DIR [RPS] [REPORT_JSON]
#
# Reports, from the test's JSON (OPZ_WEBAPP_REPORT):
#   - failed requests per phase (blue-green switch, failed health check and
#     automatic rollback, aborted canary, manual rollback, held then released
#     push): the target is 0 in every one;
#   - the canary's time to detect: from its first failing analysis sample
#     (1 s interval, judged after 3 samples) to the abort (weight 0);
#   - the rollback's wall time: from POST /api/v1/deployments/rollback to the
#     restored version's deployment succeeding (migration hook, deploy,
#     health check, switch).
set -euo pipefail
build=${1:-build}
rps=${2:-500}
report=${3:-$(mktemp --suffix=.json)}
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || { echo "needs nginx" >&2; exit 1; }
[[ -x "$build/test_integration" ]] || { echo "build test_integration first" >&2; exit 1; }

status=0
OPZ_WEBAPP_RPS=$rps OPZ_WEBAPP_REPORT=$report \
  "$build/test_integration" --gtest_filter='DeployWebappTest.*' >"$report.log" 2>&1 || status=$?
grep -E '^\[ (webapp|  PASSED|  FAILED) ' "$report.log" | grep -v 'analysis sample:' || true
if [[ $status -ne 0 || ! -s "$report" ]]; then
  echo "the scenario failed (exit $status); its output: $report.log" >&2
  exit 1
fi

python3 - "$report" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"\ndeploy bench, client at {r['rps']} requests/s through nginx: {r['requests']} requests "
      f"in {r['client_ms'] / 1000:.1f} s ({r['requests'] * 1000 / r['client_ms']:.0f}/s), "
      f"{r['failed']} failed")
print(f"  {'phase':<32} {'requests':>9} {'failed':>7}  answers")
for p in r["phases"]:
    answers = " ".join(f"{v}={n}" for v, n in sorted(p["versions"].items()))
    print(f"  {p['name']:<32} {p['requests']:>9} {p['failed']:>7}  {answers}")
print(f"  nginx retries (a canary's 500 answered by the stable version): {r.get('nginx_retried', 0)}")
print(f"  canary time to detect (first failing sample -> abort): "
      f"{r['canary_time_to_detect_ms'] / 1000:.2f} s over {r['canary_analysis_samples']} samples")
print(f"  rollback wall time (request -> success): {r['rollback_wall_ms'] / 1000:.2f} s")
print(f"  migration retry waits (configured 200 ms, doubling): "
      f"{', '.join(f'{g:.0f} ms' for g in r['migration_waits_ms'])}")
PY
