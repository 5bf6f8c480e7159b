#!/usr/bin/env bash
# One push, N projects (issue 14, "Git at scale"): N projects follow one
# repository (bench/mono, a real local bare repository), each with its own
# path filter that the push matches; ONE signed push to the by-repository URL
# (POST /api/v1/webhooks/github) must start all N executions. Side by side in
# the same run, on the same server: one project following another repository,
# one push to its per-project URL (the anchor: one delivery, one execution).
#   bench/fanout_bench.sh BUILD_DIR [N=1000] [ROUNDS=3]
# FANOUT_PERF=FILE: `perf record -g` the server during the pushes only (not
# the setup) into FILE, for `perf report -i FILE`; FANOUT_PERF_CALL_GRAPH=dwarf
# for stacks through code built without frame pointers (Release).
# Figures, from the server's own timestamps in its database:
#   fan-out  = last executions.created_at of the delivery - webhook_deliveries.received_at
#   anchor   = the same for the single-project delivery
# and the client's wall time from sending the push to the delivery no longer
# being pending (its outcome is recorded once every execution exists).
# "Started" = admitted and created (rows exist); the environment requires an
# approval, so the N executions are held and no pipeline runs (the bench
# measures the fan-out, not N checkouts on a shared machine).
set -euo pipefail
build=${1:-build}
n=${2:-1000}
rounds=${3:-3}
bin=$(realpath "$build/opzenix")
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

data="$work/data"
printf 'bench-password\n' | "$bin" user create --data-dir "$data" --email bench@example.com --role admin >/dev/null
"$bin" serve --data-dir "$data" --listen 127.0.0.1:0 --ready-file "$work/ready" --log-level warn \
  --outbound-allow file 2>"$work/opz.log" &
server_pid=$!
for _ in $(seq 1 500); do [[ -s "$work/ready" ]] && break; sleep 0.01; done
addr=$(cat "$work/ready")

git init -q --bare "$work/repo.git"
git init -q -b develop "$work/wc"
(
  cd "$work/wc"
  git config user.email bench@example.com && git config user.name bench
  printf 'name: fanout\nnodes:\n  build:\n    run: echo built\n' > opzenix.yml
  git add opzenix.yml && git commit -qm "pipeline"
  for r in $(seq 1 "$rounds"); do
    mkdir -p "services/r$r" && echo "$r" > "services/r$r/file" && git add services && git commit -qm "round $r"
  done
  git push -q "$work/repo.git" develop
)

python3 - "$addr" "$work" "$n" "$rounds" "$data/opzenix.db" "$server_pid" <<'PY'
import hashlib, hmac, http.client, json, os, signal, sqlite3, subprocess, sys, time, uuid, statistics
addr, work, n, rounds, db = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
server_pid = sys.argv[6]
host, port = addr.rsplit(":", 1)
conn = http.client.HTTPConnection(host, int(port))
def call(method, path, body=None, headers=None, token=True):
    h = {"Content-Type": "application/json"}
    if token: h["Authorization"] = "Bearer " + TOKEN
    h.update(headers or {})
    conn.request(method, path, body if isinstance(body, (str, bytes)) or body is None else json.dumps(body), h)
    r = conn.getresponse()
    data = r.read()
    return r.status, (json.loads(data) if data else None)
TOKEN = ""
_, login = call("POST", "/api/v1/auth/login", {"email": "bench@example.com", "password": "bench-password"}, token=False)
TOKEN = login["token"]
secret = "fanout-secret"
repo = work + "/repo.git"
shas = subprocess.check_output(["git", "-C", work + "/wc", "rev-list", "--reverse", "develop"], text=True).split()

def follow(name, repo_name, filters):
    s, p = call("POST", "/api/v1/projects", {"name": name, "git_url": repo})
    assert s == 201, p
    s, g = call("PUT", f"/api/v1/projects/{p['id']}/github", {"repository_owner": "bench", "repository_name": repo_name,
                "webhook_secret": secret, "path_filters": filters})
    assert s == 200, g
    # Held for approval: created, admitted, but no pipeline runs.
    s, e = call("PATCH", f"/api/v1/projects/{p['id']}/environments/Development", {"requires_approval": True})
    assert s == 200, e
    return p["id"]

t = time.time()
for i in range(n):
    follow(f"mono-{i}", "mono", ["services/**", "!services/never/**"])
anchor = follow("solo", "solo", ["services/**"])
print(f"setup: {n} projects following bench/mono + 1 anchor in {time.time() - t:.1f} s", flush=True)

def push(repo_name, before, after, path, guid):
    body = json.dumps({"ref": "refs/heads/develop", "before": before, "after": after, "created": False,
        "deleted": False, "forced": False,
        "commits": [{"id": after, "message": "m", "added": ["services/x/new"], "modified": [], "removed": []}],
        "head_commit": {"id": after, "message": "m"}, "pusher": {"name": "bench"},
        "repository": {"id": 7, "name": repo_name, "full_name": "bench/" + repo_name, "owner": {"login": "bench"}},
        "sender": {"login": "bench"}}).encode()
    sig = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    t0 = time.time()
    s, a = call("POST", path, body, {"X-GitHub-Event": "push", "X-GitHub-Delivery": guid,
                                      "X-Hub-Signature-256": sig}, token=False)
    assert s == 202, a
    while True:
        s, d = call("GET", "/api/v1/webhooks/deliveries/" + a["delivery_id"])
        if d["outcome"] != "pending": break
        time.sleep(0.005)
    wall = time.time() - t0
    return a["delivery_id"], wall, d

def server_span(delivery_id):
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rec = c.execute("SELECT received_at FROM webhook_deliveries WHERE id = ?", (delivery_id,)).fetchone()[0]
    cnt, last = c.execute("SELECT count(*), max(created_at) FROM executions WHERE "
                          "json_extract(metadata, '$.delivery_id') = ?", (delivery_id,)).fetchone()
    c.close()
    from datetime import datetime
    f = lambda s: datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ")
    return cnt, (f(last) - f(rec)).total_seconds() if last else float("nan")

perf = None
if os.environ.get("FANOUT_PERF"):
    call_graph = os.environ.get("FANOUT_PERF_CALL_GRAPH", "fp").split()  # "dwarf": no frame pointers needed
    perf = subprocess.Popen(["perf", "record", "-F", "499", "--call-graph", *call_graph, "-p", server_pid,
                             "-o", os.environ["FANOUT_PERF"]], stderr=subprocess.DEVNULL)
    time.sleep(0.5)
fan, one, fan_wall, one_wall = [], [], [], []
for r in range(rounds):
    before, after = shas[r], shas[r + 1]
    did, wall, d = push("solo", before, after, f"/api/v1/webhooks/github/{anchor}", str(uuid.uuid4()))
    cnt, span = server_span(did)
    assert cnt == 1, (cnt, d["outcome_reason"][:300])
    one.append(span); one_wall.append(wall)
    did, wall, d = push("mono", before, after, "/api/v1/webhooks/github", str(uuid.uuid4()))
    cnt, span = server_span(did)
    assert cnt == n, (cnt, d["outcome"], d["outcome_reason"][:500])
    fan.append(span); fan_wall.append(wall)
    print(f"round {r + 1}: {n} executions from one push in {span:.3f} s (server), {wall:.3f} s (client); "
          f"anchor 1 execution in {one[-1] * 1000:.1f} ms (server), {one_wall[-1] * 1000:.1f} ms (client)", flush=True)
if perf:
    perf.send_signal(signal.SIGINT)
    perf.wait()
m_fan, m_one = statistics.median(fan), statistics.median(one)
print(f"median: fan-out {m_fan:.3f} s for {n} executions ({m_fan / n * 1000:.2f} ms each), "
      f"anchor {m_one * 1000:.1f} ms; ratio fan-out/anchor {m_fan / m_one:.0f}x for {n}x the executions "
      f"({m_fan / n / m_one:.2f} of the anchor's time per execution); client wall median "
      f"{statistics.median(fan_wall):.3f} s; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
PY
