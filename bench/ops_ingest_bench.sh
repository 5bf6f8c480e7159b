#!/usr/bin/env bash
# Metrics ingest over HTTP: seed 003's curl body posted by wrk to the real
# server's POST /functions/v1/ops-metrics-ingest (x-ops-ingest-token), the
# 2-sample body and a 100-sample batch, each for DURATION_S with CONNECTIONS
# keep-alive connections; then, side by side in the same run, GET /healthz
# (the transport's floor: no body, no database) as the anchor.
#   bench/ops_ingest_bench.sh BUILD_DIR [DURATION_S] [CONNECTIONS]
# Prints requests/s, samples/s and wrk's latency percentiles for each (and
# wrk's count of non-2xx answers, if any). Each body is first posted once with
# curl, which must answer {"inserted": N}.
set -euo pipefail
build=${1:-build}
duration=${2:-10}
conns=${3:-16}
bin=$(realpath "$build/opzenix")
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
token="bench-ingest-token"

data="$work/data"
printf 'bench-password\n' | "$bin" user create --data-dir "$data" --email bench@example.com --role admin >/dev/null
OPS_INGEST_TOKEN=$token "$bin" serve --data-dir "$data" --listen 127.0.0.1:0 --ready-file "$work/ready" \
  --log-level warn --advisory-scan-interval off 2>"$work/opz.log" &
for _ in $(seq 1 500); do [[ -s "$work/ready" ]] && break; sleep 0.01; done
addr=$(cat "$work/ready")
auth="Authorization: Bearer $(curl -sf -X POST "http://$addr/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"bench-password"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')"
project=$(curl -sf -X POST "http://$addr/api/v1/projects" -H "$auth" -H 'Content-Type: application/json' \
  -d '{"name":"ingest-bench"}' | sed -E 's/.*"id":"([^"]+)".*/\1/')
ts=$(date -u +%Y-%m-%dT%H:%M:%SZ)

body_for() {  # N samples: the seed's two, or metric_0..metric_{N-1}
  if [[ $1 == 2 ]]; then
    printf '{"project_id":"%s","ts":"%s","samples":[{"metric":"cpu_pct","value":45.2},{"metric":"mem_mb","value":1024}]}' "$project" "$ts"
  else
    printf '{"project_id":"%s","ts":"%s","samples":[' "$project" "$ts"
    for i in $(seq 0 $(($1 - 1))); do [[ $i -gt 0 ]] && printf ','; printf '{"metric":"metric_%d","value":%d.5}' "$i" "$i"; done
    printf ']}'
  fi
}

run_wrk() {  # NAME URL [LUA]
  local name=$1 url=$2 lua=${3:-}
  if [[ -n $lua ]]; then
    wrk -t2 -c"$conns" -d"${duration}s" --latency -s "$lua" "$url" > "$work/$name.txt"
  else
    wrk -t2 -c"$conns" -d"${duration}s" --latency "$url" > "$work/$name.txt"
  fi
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$name.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$work/$name.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/$name.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$work/$name.txt")
  echo "$name: ${rps} requests/s, p50 ${p50}, p99 ${p99}${non2xx:+, non-2xx $non2xx}"
  echo "$rps"
}

for n in 2 100; do
  body_for "$n" > "$work/body$n.json"
  cat > "$work/ingest$n.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-ops-ingest-token"] = "$token"
local f = io.open("$work/body$n.json"); wrk.body = f:read("*a"); f:close()
LUA
  curl -sf -X POST "http://$addr/functions/v1/ops-metrics-ingest" -H "x-ops-ingest-token: $token" \
    -H 'Content-Type: application/json' --data-binary @"$work/body$n.json" | grep -q "\"inserted\":$n"
  out=$(run_wrk "ingest_$n" "http://$addr/functions/v1/ops-metrics-ingest" "$work/ingest$n.lua")
  echo "$out" | head -1
  rps=$(echo "$out" | tail -1)
  echo "  samples/s: $(awk -v r="$rps" -v n="$n" 'BEGIN {printf "%.0f", r * n}')"
done
out=$(run_wrk healthz "http://$addr/healthz")
echo "$out" | head -1 | sed 's/^/anchor /'
