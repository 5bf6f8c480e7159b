#!/usr/bin/env bash
# Realtime stream benchmark (docs/performance.md "Realtime stream"):
#  1. CLIENTS (default 1000) concurrent stream clients during a NODES-node
#     pipeline (default 1000; layered, `true` steps): delivery latency (event
#     commit `at` -> received) p50/p99/max, whether every client's ids equal
#     the database's, resets, and the server's RSS (VmHWM, and VmRSS at the
#     end). The client is chosen with CLIENT=native (default:
#     event_stream_client.cc from BUILD_DIR, epoll in C++, so that the figures
#     are the server's and not a client runtime's on the same 2 cores),
#     CLIENT=lean (node, raw http, no line parser) or CLIENT=eventsource (the
#     npm package), spread over PROCS processes (default 2), all driven by
#     event_stream_bench.mjs; TIMELINE=1 also prints the latency per 100 ids
#     (where in the run the delay sits); PERF=FILE records the server with
#     perf (PERF_HZ samples per second, default 499); the driver polls the
#     execution's status alone to see its end (its detail would load the
#     server: docs/performance.md); before and after the
#     run it times a fixed CPU loop ("host speed"), because on a shared VM the
#     same binary's figures move with what the host gives it (the loop took
#     320-410 ms on a quiet 2-core VM and twice that when the host was busy);
#  2. with EXECUTIONS (default 100000) executions stored: timings of
#     GET /api/v1/dashboard/metrics and GET /api/v1/executions?limit=50
#     (20 requests each over one connection; median and max).
#   bench/event_stream_bench.sh BUILD_DIR [CLIENTS] [NODES] [EXECUTIONS]   (CLIENTS 0: part 2 only)
# Needs node/npm (tests/integration/eventsource/setup.sh installs the client),
# curl, python3 and sqlite3. A benchmark, not a test: nothing is asserted.
set -euo pipefail
build=${1:-build}
clients=${2:-1000}
nodes=${3:-1000}
executions=${4:-100000}
bin=$(realpath "$build/opzenix")
if [[ "${CLIENT:-native}" == native && ! -x "$build/event_stream_client" ]]; then
  echo "no $build/event_stream_client: build it (ninja -C $build event_stream_client) or set CLIENT=lean" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
"$here/../tests/integration/eventsource/setup.sh" >/dev/null
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
ulimit -n 8192 2>/dev/null || true

data="$work/server"
source "$here/bench_server.sh"
bench_server "$bin" "$work" --max-parallel 2

# A layered DAG: layers of 20 nodes, each needing one node of the layer before.
python3 - "$nodes" > "$work/pipeline.yml" <<'PY'
import sys
n = int(sys.argv[1])
print("name: stream-bench\nnodes:")
for i in range(n):
    print(f"  n{i}:\n    type: build\n    run: \"true\"")
    if i >= 20:
        print(f"    needs: [n{i - 20}]")
PY

# A fixed loop of 3 million multiply-adds in one python3 process: wall ms.
host_speed() {
  python3 -c 'import time
t = time.perf_counter(); s = 0
for i in range(3_000_000): s += i * i
print(round((time.perf_counter() - t) * 1000))'
}
rss() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$srv/status"; }
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$srv/stat"; }
if (( clients > 0 )); then
  echo "== $clients stream clients, $nodes-node pipeline"
  echo "server RSS before: $(rss VmRSS) kB"
  speed_before=$(host_speed)
  if [[ -n "${PERF:-}" ]]; then perf record -F "${PERF_HZ:-499}" -g -p "$srv" -o "$PERF" 2>/dev/null & perf_pid=$!; fi
  node "$here/event_stream_bench.mjs" "http://$addr" "$token" "$clients" "$work/pipeline.yml" \
    "$data/opzenix.db" --client="${CLIENT:-native}" --procs="${PROCS:-2}" --timeline="${TIMELINE:-0}" \
    --native="$(realpath "$build")/event_stream_client"
  if [[ -n "${PERF:-}" ]]; then kill -INT "$perf_pid"; wait "$perf_pid" || true; fi
  echo "server RSS after: $(rss VmRSS) kB, peak (VmHWM): $(rss VmHWM) kB; server CPU: $(cpu) s"
  echo "host speed (a fixed CPU loop): $speed_before ms before, $(host_speed) ms after"
fi

echo "== $executions executions stored"
python3 - "$data/opzenix.db" "$executions" <<'PY'
import sqlite3, sys, uuid, datetime, random
db = sqlite3.connect(sys.argv[1], timeout=30)
n = int(sys.argv[2])
now = datetime.datetime.now(datetime.timezone.utc)
statuses = ["success"] * 8 + ["failed", "cancelled"]
rows = []
for i in range(n):
    start = now - datetime.timedelta(seconds=i * 30)
    end = start + datetime.timedelta(seconds=random.randint(5, 300))
    f = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
    rows.append((str(uuid.uuid4()), f"bench {i}", random.choice(statuses), "Development", "main",
                 f(start), f(end), f(start), f(end)))
with db:
    db.executemany("INSERT INTO executions (id, name, status, environment, branch, started_at, "
                   "completed_at, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)", rows)
PY
python3 - "$addr" "$token" <<'PY'
import http.client, sys, time, statistics
addr, token = sys.argv[1], sys.argv[2]
host, port = addr.rsplit(":", 1)
conn = http.client.HTTPConnection(host, int(port))
hdr = {"Authorization": "Bearer " + token}
for path in ("/api/v1/dashboard/metrics", "/api/v1/executions?limit=50"):
    times = []
    for _ in range(21):
        t0 = time.monotonic()
        conn.request("GET", path, headers=hdr)
        r = conn.getresponse()
        r.read()
        assert r.status == 200, r.status
        times.append((time.monotonic() - t0) * 1000)
    times = times[1:]  # the first warms the page cache
    print(f"GET {path}: median {statistics.median(times):.1f} ms, max {max(times):.1f} ms")
PY
