#!/usr/bin/env bash
# Metrics ingest side by side with what a user would otherwise run: the real
# `opzenix serve`'s POST /functions/v1/ops-metrics-ingest (the seed's JSON body)
# and a Prometheus remote-write receiver (Debian's /usr/bin/prometheus with
# --web.enable-remote-write-receiver; snappy-compressed protobuf WriteRequests)
# on the same machine, in one run, with the same samples:
#   - the same SAMPLES per request, the same total (CONNECTIONS x REQUESTS x SAMPLES);
#   - the same client: wrk with CONNECTIONS threads of one keep-alive connection
#     each, every connection sending its own REQUESTS pre-built bodies in order
#     (bench/remote_write_bodies.py; new timestamps each request, so every
#     sample is really appended to an existing series, never a duplicate);
#   - ROUNDS rounds, each Opzenix then Prometheus.
#   bench/remote_write_side_by_side.sh BUILD_DIR [SAMPLES] [REQUESTS] [CONNECTIONS] [ROUNDS]
# Defaults: 100 samples per request, 250 requests per connection, 16
# connections, 2 rounds (400,000 samples per server per round).
# Prints per server and round: samples/s, p50/p99 per request (wrk), the
# server's CPU time (ms) per 1,000 samples (/proc, utime+stime), the bytes the
# server wrote to storage per sample (/proc/PID/io write_bytes), and the ratios
# Opzenix / Prometheus. Both servers must store every sample: Opzenix's rows
# (sqlite3) and Prometheus's count_over_time are checked after each round.
# OPZ_SHARED_NAMES=1: Opzenix's bodies name the same SAMPLES metrics on every
# connection (SAMPLES series instead of CONNECTIONS x SAMPLES; Prometheus keeps
# a series per connection, see remote_write_bodies.py).
# Needs: wrk, curl, sqlite3, python3, prometheus, libsnappy1v5
# (scripts/install-deps.sh --bench). Not a test: run by hand.
set -euo pipefail
build=${1:-build}
samples=${2:-100}
per_conn=${3:-250}
conns=${4:-16}
rounds=${5:-2}
here=$(dirname "$(realpath "$0")")
bin=$(realpath "$build/opzenix")
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
ingest_token="bench-ingest-token"
total=$((conns * per_conn * samples))

# shellcheck source=bench/bench_server.sh
source "$here/bench_server.sh"
export OPS_INGEST_TOKEN=$ingest_token
bench_server "$bin" "$work" --advisory-scan-interval off
opz_pid=$srv
project=$(curl -sf -X POST "http://$addr/api/v1/projects" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"name":"remote-write-side-by-side"}' |
  sed -E 's/.*"id":"([^"]+)".*/\1/')

prom_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'global:\n  scrape_interval: 1m\n' > "$work/prometheus.yml"
/usr/bin/prometheus --web.enable-remote-write-receiver --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" --config.file="$work/prometheus.yml" \
  --log.level=warn 2>"$work/prometheus.log" &
prom_pid=$!
prom="http://127.0.0.1:$prom_port"
for _ in $(seq 1 500); do curl -sf "$prom/-/ready" >/dev/null 2>&1 && break; sleep 0.02; done
curl -sf "$prom/-/ready" >/dev/null || { cat "$work/prometheus.log"; exit 1; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
written() { awk '$1 == "write_bytes:" {print $2}' "/proc/$1/io"; }  # bytes sent to storage

# wrk script: thread i sends KIND_i.bodies in order on its one connection and
# times each request itself (LuaJIT's FFI, CLOCK_MONOTONIC): wrk's own report
# only comes after its whole -d, so after the last answer the thread writes
# "<first request> <last answer> <non-2xx count>" and every latency (µs) to
# lat_KIND_i and stops; the caller ends wrk once every thread has written.
write_lua() {  # KIND PATH HEADER...
  local kind=$1 path=$2
  shift 2
  {
    echo "local dir, kind, path = '$work', '$kind', '$path'"
    echo "local headers = {}"
    for h in "$@"; do echo "headers['${h%%:*}'] = '${h#*: }'"; done
    cat <<'LUA'
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec* t);
]]
local tspec = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, tspec)  -- CLOCK_MONOTONIC
  return tonumber(tspec.tv_sec) * 1000000 + math.floor(tonumber(tspec.tv_nsec) / 1000)
end
local next_id = 0
function setup(thread) thread:set("id", next_id); next_id = next_id + 1 end
local bodies, latencies = {}, {}
local answered, failed, first, sent_at = 0, 0, 0, 0
function init(args)
  local f = assert(io.open(dir .. "/" .. kind .. "_" .. id .. ".bodies", "rb"))
  local data = f:read("*a")
  f:close()
  local pos = 1
  while pos <= #data do
    local len = tonumber(data:sub(pos, pos + 7))
    bodies[#bodies + 1] = data:sub(pos + 8, pos + 7 + len)
    pos = pos + 8 + len
  end
end
-- The next body is the one after the last answered: wrk asks thread 0 for a
-- request once more, to check the script, before it connects.
function request()
  sent_at = now_us()
  if answered == 0 then first = sent_at end
  return wrk.format("POST", path, headers, bodies[math.min(answered + 1, #bodies)])
end
function response(status, headers, body)
  local at = now_us()
  answered = answered + 1
  latencies[answered] = at - sent_at
  if status < 200 or status > 299 then failed = failed + 1 end
  if answered == #bodies then
    local f = assert(io.open(dir .. "/lat_" .. kind .. "_" .. id, "w"))
    f:write(first, " ", at, " ", failed, "\n", table.concat(latencies, "\n"), "\n")
    f:close()
    wrk.thread:stop()
  end
end
LUA
  } > "$work/$kind.lua"
}
write_lua opz /functions/v1/ops-metrics-ingest "Content-Type: application/json" \
  "x-ops-ingest-token: $ingest_token"
write_lua prom /api/v1/write "Content-Type: application/x-protobuf" "Content-Encoding: snappy" \
  "X-Prometheus-Remote-Write-Version: 0.1.0"

# Runs wrk for KIND against URL while measuring PID's CPU; prints one line
# "samples_per_s p50_ms p99_ms cpu_ms_per_1000_samples bytes_written_per_sample".
measure() {  # KIND URL PID
  local kind=$1 url=$2 pid=$3 before after wrk_pid bytes_before bytes_after
  rm -f "$work"/lat_"$kind"_*
  before=$(cpu_ticks "$pid")
  bytes_before=$(written "$pid")
  wrk -t"$conns" -c"$conns" -d600s -s "$work/$kind.lua" "$url" > "$work/wrk_$kind.txt" 2>&1 &
  wrk_pid=$!
  for _ in $(seq 1 60000); do
    [[ $(find "$work" -maxdepth 1 -name "lat_${kind}_*" | wc -l) -ge $conns ]] && break
    kill -0 "$wrk_pid" 2>/dev/null || { cat "$work/wrk_$kind.txt" >&2; exit 1; }
    sleep 0.01
  done
  after=$(cpu_ticks "$pid")
  bytes_after=$(written "$pid")
  kill "$wrk_pid" 2>/dev/null || true
  wait "$wrk_pid" 2>/dev/null || true
  sleep 0.2  # the last thread's file is closed before it stops
  local failed
  failed=$(awk 'FNR == 1 {f += $3} END {print f}' "$work"/lat_"$kind"_*)
  [[ $failed -eq 0 ]] || { echo "$kind: $failed answers were not 2xx" >&2; exit 1; }
  local span
  span=$(awk 'FNR == 1 {if (!s || $1 < s) s = $1; if ($2 > e) e = $2} END {print e - s}' \
    "$work"/lat_"$kind"_*)
  awk 'FNR > 1' "$work"/lat_"$kind"_* | sort -n > "$work/lat_$kind.sorted"
  local n p50 p99
  n=$(wc -l < "$work/lat_$kind.sorted")
  p50=$(sed -n "$(( (n + 1) / 2 ))p" "$work/lat_$kind.sorted")
  p99=$(sed -n "$(( (n * 99 + 99) / 100 ))p" "$work/lat_$kind.sorted")
  awk -v span="$span" -v p50="$p50" -v p99="$p99" -v t=$((after - before)) -v tot="$total" \
    -v hz="$(getconf CLK_TCK)" -v w=$((bytes_after - bytes_before)) \
    'BEGIN {printf "%.0f %.2f %.2f %.2f %.0f\n", tot / (span / 1e6), p50 / 1000, p99 / 1000, t / hz * 1000 / tot * 1000, w / tot}'
}
echo "samples per request: $samples; requests per connection: $per_conn; connections: $conns;" \
  "samples per server and round: $total"
echo "round server samples/s p50_ms p99_ms cpu_ms_per_1000_samples bytes_written_per_sample"
# Samples Prometheus holds for the project: count_over_time per metric name
# (it drops __name__, so one query over every name would collide), summed.
prom_stored() {
  local j sum=0 n
  for j in $(seq 0 $((samples - 1))); do
    n=$(curl -sf -G "$prom/api/v1/query" \
      --data-urlencode "query=sum(count_over_time(metric_$j{project_id=\"$project\"}[1h]))" |
      sed -E 's/.*"value":\[[^,]+,"([0-9]+)"\].*/\1/')
    sum=$((sum + n))
  done
  echo "$sum"
}

next_ms=0  # each round's samples after the previous round's, per series
for r in $(seq 1 "$rounds"); do
  base_ms=$(( $(date +%s%3N) - 60000 ))
  (( base_ms > next_ms )) || base_ms=$next_ms
  next_ms=$((base_ms + per_conn * 10))
  python3 "$here/remote_write_bodies.py" opz "$work" "$conns" "$per_conn" "$samples" "$project" "$base_ms"
  python3 "$here/remote_write_bodies.py" prom "$work" "$conns" "$per_conn" "$samples" "$project" "$base_ms"

  m=$(measure opz "http://$addr" "$opz_pid")
  read -r opz_sps opz_p50 opz_p99 opz_cpu opz_bytes <<< "$m"
  stored=$(sqlite3 "$work/server/opzenix.db" "SELECT count(*) FROM ops_metrics WHERE project_id = '$project'")
  [[ $stored -eq $((total * r)) ]] || { echo "opzenix stored $stored samples, want $((total * r))" >&2; exit 1; }
  echo "$r opzenix $opz_sps $opz_p50 $opz_p99 $opz_cpu $opz_bytes"

  m=$(measure prom "$prom" "$prom_pid")
  read -r prom_sps prom_p50 prom_p99 prom_cpu prom_bytes <<< "$m"
  stored=$(prom_stored)
  [[ $stored -eq $((total * r)) ]] || { echo "prometheus stored $stored samples, want $((total * r))" >&2; exit 1; }
  echo "$r prometheus $prom_sps $prom_p50 $prom_p99 $prom_cpu $prom_bytes"

  awk -v a="$opz_sps" -v b="$prom_sps" -v pa="$opz_p99" -v pb="$prom_p99" \
    -v ca="$opz_cpu" -v cb="$prom_cpu" -v wa="$opz_bytes" -v wb="$prom_bytes" -v r="$r" \
    'BEGIN {printf "%s ratio opzenix/prometheus: samples/s %.2f, p99 %.2f, CPU per sample %.2f, bytes written per sample %.0f\n", r, a / b, pa / pb, ca / cb, wa / (wb > 0 ? wb : 1)}'
done
