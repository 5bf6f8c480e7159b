#!/usr/bin/env bash
# Webhook benchmark: sustained signed GitHub push deliveries on loopback.
#   bench/webhook_bench.sh BUILD_DIR [DURATION_S] [CONNECTIONS] [LATENCY_SAMPLES] [RATE] [PAYLOAD]
#
# PAYLOAD is what each delivery carries:
#   synthetic  (default) a ~600-byte push made up here;
#   octokit    GitHub's own push example from @octokit/webhooks-examples
#              (push #4, a branch push with one commit, 7.7 KB compact; installed
#              by tests/integration/octokit/setup.sh);
#   commits20  that example grown to a push of 20 commits, each with file
#              lists (tens of KB, like a real merge).
# The repository and ref are rewritten to the bench project's and an unmapped
# branch, so every payload is verified, parsed, stored and ignored alike.
# The server's CPU time (utime + stime from /proc) over phase 1 and the drain
# is divided by the deliveries stored: "server CPU per delivery". Where perf
# can count syscall tracepoints, the server's syscalls over 5 s of phase 1 are
# divided by its answers (one sendmsg each): "syscalls per delivery", a figure
# that, unlike CPU time, other load on a shared machine does not move.
#
# Phase 1, throughput: wrk (bench/webhook_push.lua) posts one real push payload
# to POST /api/v1/webhooks/github/{project}, signed with the project's secret
# (X-Hub-Signature-256), each request with its own X-GitHub-Delivery GUID. Each
# one is verified and stored (202) before the answer; the worker then records
# its outcome. The ref maps to no environment, so no execution is started: the
# phase measures ingestion, not pipelines. Without RATE (or RATE=0) wrk sends
# as fast as answers come back (the most the server takes); with RATE it
# offers a constant RATE deliveries/s (paced in the Lua script), which is how
# the latency at a given load is measured. The server's RSS is sampled every
# 5 s (memory must stay flat), and the time the worker needs to drain the
# backlog after the load is reported.
#
# Phase 2, delivery-to-execution-start: LATENCY_SAMPLES pushes of real commits
# on `develop` (mapped to Development), one every 200 ms, each read from a local
# bare repository (opzenix.yml at that commit). Latency = executions.started_at
# - webhook_deliveries.received_at, both stamped by the server, read from its
# database afterwards; p50/p99 reported.
set -euo pipefail
build=${1:-build}
duration=${2:-60}
conns=${3:-64}
samples=${4:-100}
rate=${5:-0}
payload=${6:-synthetic}
bin=$(realpath "$build/opzenix")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
secret="bench-webhook-secret"

# --- server, admin, token
data="$work/data"
printf 'bench-password\n' | "$bin" user create --data-dir "$data" --email bench@example.com --role admin >/dev/null
# --outbound-allow file: its project polls a local repository (a path).
"$bin" serve --data-dir "$data" --listen 127.0.0.1:0 --ready-file "$work/ready" --log-level warn --outbound-allow file 2>"$work/opz.log" &
opz=$!
for _ in $(seq 1 500); do [[ -s "$work/ready" ]] && break; sleep 0.01; done
addr=$(cat "$work/ready")
token=$(curl -sf -X POST "http://$addr/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"bench-password"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
auth="Authorization: Bearer $token"

# --- a real repository: a bare repo with $samples commits on develop
git init -q --bare "$work/repo.git"
git init -q -b develop "$work/wc"
(
  cd "$work/wc"
  git config user.email bench@example.com && git config user.name bench
  printf 'name: webhook-bench\nnodes:\n  build:\n    run: echo built\n' > opzenix.yml
  git add opzenix.yml && git commit -qm "pipeline"
  for i in $(seq 1 "$samples"); do git commit -q --allow-empty -m "change $i"; done
  git push -q "$work/repo.git" develop
)
git -C "$work/wc" rev-list --reverse develop > "$work/all_shas"
tail -n "$samples" "$work/all_shas" > "$work/shas"

project=$(curl -sf -X POST "http://$addr/api/v1/projects" -H "$auth" -H 'Content-Type: application/json' \
  -d "{\"name\":\"webhook-bench\",\"git_url\":\"$work/repo.git\"}" | sed -E 's/.*"id":"([^"]+)".*/\1/')
curl -sf -X PUT "http://$addr/api/v1/projects/$project/github" -H "$auth" -H 'Content-Type: application/json' \
  -d "{\"repository_owner\":\"bench\",\"repository_name\":\"webhook-bench\",\"webhook_secret\":\"$secret\"}" >/dev/null

# --- phase 1: throughput on an unmapped ref
examples=""
if [[ $payload != synthetic ]]; then examples=$("$here/../tests/integration/octokit/setup.sh"); fi
python3 - "$work" "$secret" "$project" "$payload" "$examples" <<'PY'
import copy, hashlib, hmac, json, sys
work, secret, project, payload, examples = sys.argv[1:6]
def real_push(commits):
    index = json.load(open(examples))
    push = next(e for e in index if e["name"] == "push")["examples"][4]
    push["ref"] = "refs/heads/bench/unmapped"
    repo = push["repository"]
    repo["name"], repo["full_name"] = "webhook-bench", "bench/webhook-bench"
    repo["owner"]["login"] = "bench"
    if commits > 1:
        one = push["commits"][0]
        push["commits"] = []
        for i in range(commits):
            c = copy.deepcopy(one)
            c["id"] = f"{i:040x}"
            c["message"] = f"change {i}: " + "a commit message of a realistic length " * 3
            c["added"] = [f"src/module_{i}/new_file_{j}.cc" for j in range(4)]
            c["modified"] = [f"src/module_{i}/existing_{j}.h" for j in range(6)]
            c["removed"] = [f"docs/old_{i}.md"]
            push["commits"].append(c)
    return json.dumps(push, separators=(",", ":"))
body = real_push(1) if payload == "octokit" else real_push(20) if payload == "commits20" else json.dumps({
    "ref": "refs/heads/bench/unmapped", "before": "0" * 39 + "1", "after": "a" * 40,
    "created": False, "deleted": False, "forced": False,
    "repository": {"id": 1, "name": "webhook-bench", "full_name": "bench/webhook-bench",
                   "owner": {"login": "bench"}, "default_branch": "develop",
                   "clone_url": "https://github.com/bench/webhook-bench.git"},
    "pusher": {"name": "bench"}, "sender": {"login": "bench"},
    "head_commit": {"id": "a" * 40, "message": "bench", "timestamp": "2026-11-22T00:00:00Z"},
    "commits": [{"id": "a" * 40, "message": "bench"}]})
print(f"payload: {payload}, {len(body)} bytes")
sig = "sha256=" + hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
open(f"{work}/push.json", "w").write(body)
open(f"{work}/push.sig", "w").write(sig)
PY
rss() { awk '/VmRSS/ {print $2}' /proc/$opz/status; }
cpu_ticks() { awk '{print $14 + $15}' /proc/$opz/stat; }
rss_start=$(rss)
cpu_start=$(cpu_ticks)
( for _ in $(seq 1 $(( duration / 5 ))); do sleep 5; echo "$(date +%s) $(rss)"; done ) > "$work/rss.txt" &
sampler=$!
wrk_env=(WEBHOOK_PATH="/api/v1/webhooks/github/$project" WEBHOOK_BODY="$work/push.json"
         WEBHOOK_SIG="$(cat "$work/push.sig")" WEBHOOK_RUN="r$(date +%s)" WEBHOOK_THREADS=2)
[[ $rate != 0 ]] && wrk_env+=(WEBHOOK_RATE="$rate")
syscall_counts() {  # after 3 s of load, 5 s of the server's syscalls (needs perf + tracefs)
  sleep 3
  local ev="" s
  for s in sendmsg recvmsg epoll_wait timerfd_settime pwrite64 pread64 fdatasync futex fcntl getrandom; do
    ev="$ev,syscalls:sys_enter_$s"
  done
  perf stat -x, -e "${ev:1}" -p "$opz" -- sleep 5 > /dev/null 2> "$work/syscalls.txt" || true
}
counter=""
if [[ $duration -ge 10 ]] && command -v perf > /dev/null; then syscall_counts & counter=$!; fi
env "${wrk_env[@]}" \
  wrk -t2 -c"$conns" -d"${duration}s" --latency -s "$here/webhook_push.lua" "http://$addr" > "$work/wrk.txt"
[[ -n $counter ]] && { wait "$counter" || true; }
t_end=$(date +%s%N)
wait $sampler || true
db="$data/opzenix.db"
pending() { python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1], timeout=30); print(c.execute(\"SELECT COUNT(*) FROM webhook_deliveries WHERE outcome='pending'\").fetchone()[0])" "$db"; }
for _ in $(seq 1 6000); do [[ $(pending) == 0 ]] && break; sleep 0.1; done
drain_ms=$(( ($(date +%s%N) - t_end) / 1000000 ))
cpu_end=$(cpu_ticks)
echo "== phase 1: signed push deliveries, ${duration}s, $conns connections, 2 wrk threads, offered rate: $( [[ $rate != 0 ]] && echo "$rate/s" || echo "as fast as answered")"
grep -E "Requests/sec|Latency|50%|99%|requests in|Non-2xx" "$work/wrk.txt"
python3 - "$db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=30)
for outcome, n in c.execute("SELECT outcome, COUNT(*) FROM webhook_deliveries GROUP BY outcome"):
    print(f"stored deliveries, outcome {outcome}: {n}")
PY
echo "worker backlog drained ${drain_ms} ms after the load ended"
python3 - "$db" "$cpu_start" "$cpu_end" "$(getconf CLK_TCK)" <<'PY'
import sqlite3, sys
db, start, end, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
n = sqlite3.connect(db, timeout=30).execute("SELECT COUNT(*) FROM webhook_deliveries").fetchone()[0]
cpu_s = (end - start) / hz
print(f"server CPU: {cpu_s:.2f} s for {n} deliveries = {1000 * cpu_s / max(n, 1):.3f} ms per delivery")
PY
if [[ -s $work/syscalls.txt ]] && grep -q '^[0-9]' "$work/syscalls.txt"; then
  awk -F, '$1 ~ /^[0-9]+$/ { n[NR] = $1; name[NR] = $3; sub("syscalls:sys_enter_", "", name[NR]);
             if (name[NR] == "sendmsg") answers = $1 }
           END { if (answers == 0) exit; line = "server syscalls per delivery (5 s of the load):";
                 for (i = 1; i <= NR; i++) if (i in n) line = line sprintf(" %s %.2f", name[i], n[i] / answers);
                 print line }' "$work/syscalls.txt"
fi
echo "rss_kb at start: $rss_start; samples every 5 s (epoch rss_kb):"
cat "$work/rss.txt"

# --- phase 2: delivery-to-execution-start on real commits (LATENCY_SAMPLES=0 skips it)
if [[ $samples == 0 ]]; then kill -TERM $opz; wait $opz || true; exit 0; fi
python3 - "$addr" "$project" "$secret" "$work/shas" <<'PY'
import hashlib, hmac, http.client, json, sys, time, uuid
addr, project, secret, shas = sys.argv[1], sys.argv[2], sys.argv[3], open(sys.argv[4]).read().split()
host, port = addr.rsplit(":", 1)
conn = http.client.HTTPConnection(host, int(port))
before = "0" * 39 + "1"
for sha in shas:
    body = json.dumps({
        "ref": "refs/heads/develop", "before": before, "after": sha, "created": False,
        "deleted": False, "forced": False,
        "repository": {"id": 1, "name": "webhook-bench", "full_name": "bench/webhook-bench",
                       "owner": {"login": "bench"}, "default_branch": "develop"},
        "sender": {"login": "bench"}, "head_commit": {"id": sha, "message": "bench"}})
    before = sha
    sig = "sha256=" + hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    conn.request("POST", f"/api/v1/webhooks/github/{project}", body, {
        "Content-Type": "application/json", "X-GitHub-Event": "push",
        "X-GitHub-Delivery": str(uuid.uuid4()), "X-Hub-Signature-256": sig})
    r = conn.getresponse(); r.read()
    assert r.status == 202, r.status
    time.sleep(0.2)
PY
python3 - "$db" "$samples" <<'PY'
import sqlite3, sys, time
from datetime import datetime
db, want = sys.argv[1], int(sys.argv[2])
def ms(t): return datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp() * 1000
c = sqlite3.connect(db, timeout=30)
q = """SELECT d.received_at, e.started_at FROM executions e
       JOIN webhook_deliveries d ON d.id = json_extract(e.metadata, '$.delivery_id')
       WHERE e.started_at IS NOT NULL"""
for _ in range(600):
    rows = c.execute(q).fetchall()
    if len(rows) >= want: break
    time.sleep(0.1)
lat = sorted(ms(s) - ms(r) for r, s in rows)
if not lat:
    sys.exit("no execution started from a delivery")
pick = lambda p: lat[min(len(lat) - 1, int(round(p * (len(lat) - 1))))]
print(f"== phase 2: delivery-to-execution-start, {len(lat)} of {want} pushes of real commits")
print(f"p50 {pick(0.5):.0f} ms  p99 {pick(0.99):.0f} ms  max {lat[-1]:.0f} ms")
PY
kill -TERM $opz; wait $opz || true
