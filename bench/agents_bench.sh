#!/usr/bin/env bash
# 100 agents, 2 servers (issue 14, "Benchmark"): AGENTS `opzenix-agent`
# processes (the slim agent binary) on loopback against 2 `opzenix serve` processes on one throwaway
# PostgreSQL (tests/support/postgres.sh; each server with its own data dir and
# port; the agents split between them).
#   bench/agents_bench.sh BUILD_DIR [AGENTS=100] [EXECUTIONS=40] [NODES=25] [QUEUED=10000]
# Measures, in one run:
#   1. RSS of each idle agent (/proc/PID/status VmRSS), median and max, and
#      its private pages and PSS (/proc/PID/smaps_rollup): AGENTS agents in
#      the server's binary (`opzenix agent` in process, the anchor), then
#      AGENTS slim `opzenix-agent`s, side by side;
#   2. EXECUTIONS executions of a pipeline of NODES independent nodes, all
#      `runs_on: [bench]`, submitted half to each server: dispatch throughput
#      (nodes / (last node end - first execution start)) and dispatch latency
#      (agent_jobs.leased_at - created_at: the step queued for an agent until
#      an agent took it) p50/p99, node round trip (started_at -> completed_at)
#      p99;
#   3. the anchor, in the same run: the same pipelines without runs_on on
#      server 1 (the embedded LocalRunner): throughput and round trip p99;
#   4. QUEUED executions left queued (their nodes wait for a label no agent
#      has): GET /api/v1/executions?limit=50 p50/p99 over 200 requests.
# Prints one "key value" line per figure.
set -euo pipefail
build=${1:-build}
agents=${2:-100}
executions=${3:-40}
nodes=${4:-25}
queued=${5:-10000}
bin=$(realpath "$build/opzenix")
slim=$(realpath "$build/opzenix-agent")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/agents-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$here/../tests/support/postgres.sh" stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

url=$("$here/../tests/support/postgres.sh" start "$work/pg" | tail -1)
psql_q() { psql "$url" -XAtq -c "$1"; }
printf 'bench-password\n' | "$bin" user create --database "$url" --email bench@example.com --role admin >/dev/null

declare -a addrs
for s in 1 2; do
  mkdir -p "$work/s$s"
  OPZENIX_DATABASE_URL=$url "$bin" serve --data-dir "$work/s$s" --listen 127.0.0.1:0 \
    --ready-file "$work/s$s/ready" --log-level warn --max-parallel 400 2>"$work/s$s.log" &
  pids+=($!)
  for _ in $(seq 1 1000); do [[ -s "$work/s$s/ready" ]] && break; sleep 0.01; done
  addrs[$s]=$(cat "$work/s$s/ready")
done
token=$(curl -sf -X POST "http://${addrs[1]}/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"bench-password"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')
reg=$(curl -sf -X POST "http://${addrs[1]}/api/v1/agents/registration-tokens" "${auth[@]}" |
  sed -E 's/.*"token":"([^"]+)".*/\1/')

# The agents: even ones on server 1, odd ones on server 2. Their idle memory
# twice in this run: first AGENTS agents as `opzenix agent` running in the
# server's binary (OPZENIX_AGENT_IN_PROCESS=1: the anchor, what every agent
# was before the slim binary), stopped; then the same agents as the slim
# `opzenix-agent`, which stay for the dispatch figures.
tokens=()
for i in $(seq 1 "$agents"); do
  s=$(( i % 2 + 1 ))
  tokens[$i]=$(curl -sf -X POST "http://${addrs[$s]}/api/v1/agents/register" -H 'Content-Type: application/json' \
    -d "{\"registration_token\":\"$reg\",\"name\":\"bench-$i\",\"labels\":[\"bench\"]}" |
    sed -E 's/.*"token":"([^"]+)".*/\1/')
done
start_agents() {  # command... -> agent_pids (the live ones, 5 s after the start)
  agent_pids=()
  for i in $(seq 1 "$agents"); do
    s=$(( i % 2 + 1 ))
    "$@" --server "http://${addrs[$s]}" --token "${tokens[$i]}" --labels bench --concurrency 1 \
      --work-dir "$work/agents/$i" >"$work/agent-$i.log" 2>&1 &
    agent_pids+=($!)
    pids+=($!)
  done
  sleep 5
  local alive=()
  for p in "${agent_pids[@]}"; do [[ -r "/proc/$p/status" ]] && alive+=("$p"); done
  if (( ${#alive[@]} < agents )); then
    echo "agents that exited: $(( agents - ${#alive[@]} )); their logs:" >&2
    grep -l . "$work"/agent-*.log | head -3 | xargs tail -n 3 >&2 || true
  fi
  agent_pids=("${alive[@]}")
}
idle_memory() {  # prefix: VmRSS, private pages and PSS of every live agent
  for p in "${agent_pids[@]}"; do awk '/VmRSS/ {print $2}' "/proc/$p/status"; done | sort -n >"$work/rss"
  echo "$1agents ${#agent_pids[@]} of $agents"
  echo "$1agent_idle_rss_kb_median $(awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}' "$work/rss")"
  echo "$1agent_idle_rss_kb_max $(tail -1 "$work/rss")"
  # VmRSS counts the shared libraries' pages every agent maps (shared clean
  # file pages); the memory an agent adds is its private (anonymous) pages.
  for p in "${agent_pids[@]}"; do awk '/^Private_Dirty/ {d=$2} /^Private_Clean/ {c=$2} /^Pss:/ {s=$2} END {print d + c, s}' "/proc/$p/smaps_rollup"; done |
    sort -n >"$work/private"
  echo "$1agent_idle_private_kb_median $(awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}' "$work/private")"
  echo "$1agent_idle_pss_kb_median $(sort -k2 -n "$work/private" | awk '{a[NR]=$2} END {print a[int((NR+1)/2)]}')"
}
start_agents env OPZENIX_AGENT_IN_PROCESS=1 "$bin" agent
idle_memory in_process_
for p in "${agent_pids[@]}"; do kill -TERM "$p"; done
for p in "${agent_pids[@]}"; do wait "$p" 2>/dev/null || true; done
start_agents "$slim"
idle_memory slim_
echo "slim_agent_shared_libraries $(ldd "$slim" | awk '$1 !~ /vdso/ {print $1}' | paste -sd' ')"

pipeline() {  # runs_on line or nothing -> the pipeline YAML as a JSON string
  python3 - "$1" "$nodes" <<'PY'
import json, sys
runs_on, n = sys.argv[1], int(sys.argv[2])
y = "name: bench\nnodes:\n"
for i in range(n):
    y += f"  n{i}:\n" + (f"    runs_on: [{runs_on}]\n" if runs_on else "") + "    run: 'true'\n"
print(json.dumps(y))
PY
}
submit() {  # server yaml_json -> execution id
  curl -sf -X POST "http://${addrs[$1]}/api/v1/executions" "${auth[@]}" \
    -d "{\"environment\":\"Development\",\"branch\":\"main\",\"pipeline_yaml\":$2}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'
}
wait_done() {  # id list file -> when every execution has finished
  python3 - "$url" "$1" <<'PY'
import subprocess, sys, time
url, path = sys.argv[1], sys.argv[2]
ids = [l.strip() for l in open(path) if l.strip()]
q = ("SELECT COUNT(*) FROM executions WHERE id IN (%s) AND status NOT IN "
     "('success','failed','warning','cancelled')") % ",".join("'%s'" % i for i in ids)
for _ in range(6000):
    left = int(subprocess.check_output(["psql", url, "-XAtq", "-c", q]).strip())
    if left == 0:
        sys.exit(0)
    time.sleep(0.2)
sys.exit("executions did not finish")
PY
}
# Figures of one batch of executions, from the store's timestamps.
batch_figures() {  # prefix ids_file
  local list
  list=$(sed "s/.*/'&'/" "$2" | paste -sd,)
  psql_q "SELECT COUNT(*) FILTER (WHERE status <> 'success') FROM executions WHERE id IN ($list)" |
    sed "s/^/$1_failed_executions /"
  psql_q "SELECT round((COUNT(*) / EXTRACT(EPOCH FROM MAX(n.completed_at) - MIN(e.started_at)))::numeric, 1)
          FROM execution_nodes n JOIN executions e ON e.id = n.execution_id WHERE e.id IN ($list)" |
    sed "s/^/$1_nodes_per_s /"
  psql_q "SELECT round((percentile_cont(0.99) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM completed_at - started_at)) * 1000)::numeric, 1)
          FROM execution_nodes WHERE execution_id IN ($list)" | sed "s/^/$1_node_round_trip_p99_ms /"
}

remote=$(pipeline bench)
local_yaml=$(pipeline "")
# Remote: half of the executions through each server.
: >"$work/remote.ids"
for i in $(seq 1 "$executions"); do submit $(( i % 2 + 1 )) "$remote" >>"$work/remote.ids"; done
wait_done "$work/remote.ids"
batch_figures remote "$work/remote.ids"
list=$(sed "s/.*/'&'/" "$work/remote.ids" | paste -sd,)
psql_q "SELECT round((percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM leased_at - created_at)) * 1000)::numeric, 1),
               round((percentile_cont(0.99) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM leased_at - created_at)) * 1000)::numeric, 1)
        FROM agent_jobs WHERE execution_id IN ($list)" |
  awk -F'|' '{print "remote_dispatch_latency_p50_ms " $1; print "remote_dispatch_latency_p99_ms " $2}'
psql_q "SELECT COUNT(DISTINCT agent_id) FROM agent_jobs WHERE execution_id IN ($list)" |
  sed 's/^/remote_agents_used /'
# The anchor: the same pipelines on server 1's embedded runner.
: >"$work/local.ids"
for i in $(seq 1 "$executions"); do submit 1 "$local_yaml" >>"$work/local.ids"; done
wait_done "$work/local.ids"
batch_figures local "$work/local.ids"

# QUEUED executions waiting for a label no agent has, then the list's latency.
parked=$(python3 -c 'import json; print(json.dumps("name: parked\nnodes:\n  wait:\n    runs_on: [nobody]\n    run: \"true\"\n"))')
python3 - "${addrs[1]}" "$token" "$queued" "$parked" <<'PY'
import http.client, json, sys
addr, token, n, yaml = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
host, port = addr.rsplit(":", 1)
c = http.client.HTTPConnection(host, int(port))
h = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
body = json.dumps({"environment": "Development", "branch": "main", "pipeline_yaml": yaml})
for _ in range(n):
    c.request("POST", "/api/v1/executions", body, h)
    r = c.getresponse(); r.read()
    assert r.status == 201, r.status
PY
python3 - "${addrs[2]}" "$token" <<'PY'
import http.client, sys, time
addr, token = sys.argv[1], sys.argv[2]
host, port = addr.rsplit(":", 1)
c = http.client.HTTPConnection(host, int(port))
h = {"Authorization": "Bearer " + token}
ms = []
for i in range(220):
    t0 = time.monotonic_ns()
    c.request("GET", "/api/v1/executions?limit=50", headers=h)
    r = c.getresponse(); r.read()
    assert r.status == 200, r.status
    if i >= 20:
        ms.append((time.monotonic_ns() - t0) / 1e6)
ms.sort()
print("list_executions_limit50_p50_ms %.1f" % ms[len(ms) // 2])
print("list_executions_limit50_p99_ms %.1f" % ms[int(len(ms) * 0.99) - 1])
PY
echo "queued_executions $(psql_q "SELECT COUNT(*) FROM executions WHERE status NOT IN ('success','failed','warning','cancelled')")"
for p in "${agent_pids[@]}"; do awk '/VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || true; done |
  sort -n >"$work/rss"
echo "agent_rss_kb_max_after $(tail -1 "$work/rss")"
