#!/usr/bin/env bash
# DAG orchestration benchmark: `opzenix run` vs `ninja -j2` on the same DAG of
# N trivial `echo x` steps (../shared/bench/dag/gen.py), alternating A B A B,
# plus trigger-to-completion through the server API.
#   bench/dag_bench.sh BUILD_DIR [ROUNDS] [SHAPES] [NS]
# Prints one line per measurement and a summary table (medians, ratio).
set -euo pipefail
build=${1:-build}
rounds=${2:-5}
shapes=${3:-"chain wide layered"}
ns=${4:-"50 200 1000"}
bin=$(realpath "$build/opzenix")
here=$(cd "$(dirname "$0")" && pwd)
gen="$here/../../shared/bench/dag/gen.py"
[[ -f "$gen" ]] || gen="$here/dag/gen.py"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

now_ns() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# One server for the API measurement.
source "$here/bench_server.sh"
bench_server "$bin" "$work" --max-parallel 2

# One long-lived python client per run: POST the pipeline, then poll the
# execution list's summary (no node array) over one keep-alive connection
# every 10 ms. Spawning curl + python per poll (as the first version did)
# cost more CPU than the server on these 2 cores.
api_run() {  # case_dir -> wall ms from POST to a finished status
  python3 - "$addr" "$token" "$1/opzenix.yml" <<'PY'
import http.client, json, sys, time
addr, token, yml = sys.argv[1], sys.argv[2], sys.argv[3]
host, port = addr.rsplit(":", 1)
conn = http.client.HTTPConnection(host, int(port))
hdr = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
body = json.dumps({"environment": "Development", "branch": "main",
                   "pipeline_yaml": open(yml).read()})
t0 = time.monotonic_ns()
conn.request("POST", "/api/v1/executions", body, hdr)
res = conn.getresponse()
created = json.loads(res.read())
assert res.status in (200, 201, 202), created
eid = created["id"]
for _ in range(60000):
    conn.request("GET", "/api/v1/executions?limit=5", headers=hdr)
    r = conn.getresponse()
    items = json.loads(r.read())["items"]
    st = next((e["status"] for e in items if e["id"] == eid), None)
    if st in ("success", "failed", "warning", "cancelled"):
        break
    time.sleep(0.01)
print((time.monotonic_ns() - t0) // 1000000)
PY
}

printf "%-8s %5s %-14s %9s %9s\n" shape n executor wall_ms rss_kb
for shape in $shapes; do
  for n in $ns; do
    case_dir="$work/$shape-$n"
    python3 "$gen" --shape "$shape" --n "$n" --out "$case_dir" >/dev/null
    for r in $(seq 0 "$rounds"); do  # round 0 is a warm-up
      for ex in ninja opzenix opzenix_full api; do
        rm -rf "$case_dir/.opzenix"
        t0=$(now_ns)
        case $ex in
          ninja) rss=$( { /usr/bin/time -f %M ninja -C "$case_dir" -j2 >/dev/null; } 2>&1 | tail -1) ;;
          opzenix) rss=$( { cd "$case_dir" && /usr/bin/time -f %M "$bin" run opzenix.yml --max-parallel 2 --quiet >/dev/null; } 2>&1 | tail -1) ;;
          opzenix_full) rss=$( { cd "$case_dir" && /usr/bin/time -f %M "$bin" run opzenix.yml --max-parallel 2 --quiet --sync-full >/dev/null; } 2>&1 | tail -1) ;;
          api) rss=0 ;;
        esac
        t1=$(now_ns)
        wall=$(( (t1 - t0) / 1000000 ))
        [[ $ex == api ]] && wall=$(api_run "$case_dir")
        [[ $r -gt 0 ]] && printf "%-8s %5s %-14s %9s %9s\n" "$shape" "$n" "$ex" "$wall" "$rss"
      done
    done | tee "$work/$shape-$n.txt"
    for ex in ninja opzenix opzenix_full api; do
      m=$(awk -v e=$ex '$3==e {print $4}' "$work/$shape-$n.txt" | median)
      echo "$shape $n $ex $m" >> "$work/medians.txt"
    done
  done
done
echo
echo "shape n ninja_ms opzenix_ms ratio full_ms ratio api_ms ratio per_node_overhead_ms"
while read -r shape n; do
  g() { awk -v s=$shape -v n=$n -v e=$1 '$1==s && $2==n && $3==e {print $4}' "$work/medians.txt"; }
  nj=$(g ninja); op=$(g opzenix); fu=$(g opzenix_full); ap=$(g api)
  awk -v s=$shape -v n=$n -v nj=$nj -v op=$op -v fu=$fu -v ap=$ap 'BEGIN {
    printf "%s %s %.0f %.0f %.2f %.0f %.2f %.0f %.2f %.3f\n", s, n, nj, op, op/nj, fu, fu/nj, ap, ap/nj, (op-nj)/n }'
done < <(awk '{print $1, $2}' "$work/medians.txt" | uniq)
kill -TERM $srv; wait $srv || true
