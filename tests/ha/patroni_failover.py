#!/usr/bin/env python3
"""The driver of tests/ha/patroni_failover_test.sh (which starts the cluster).

Against the real `opzenix serve` on a Patroni cluster's multi-host URL:
50 executions of a 5-node pipeline, the primary's postgres killed (-9) while
they run, then checks:
  * the server writes again < 15 s after the kill (a POST /api/v1/executions
    sent right after the kill: its 201 is the first write on the new primary);
  * reads answer 200 or 503 meanwhile (never 500), and 200 again after;
  * every execution ends in success, every node ran once (attempt 1);
  * every state change acknowledged before the kill is in the database:
    each event the event stream delivered (a committed realtime_events row,
    node successes among them) and each execution answered 201.
Prints the measured reconnect time. Standard library only.
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time

PSQL = "/usr/lib/postgresql/15/bin/psql"
EXECUTIONS = 50
PIPELINE = "name: ha\nnodes:\n" + "".join(
    f"  n{i}:\n    run: sleep 1; echo n{i} done\n" + (f"    needs: n{i - 1}\n" if i > 1 else "")
    for i in range(1, 6))
RECONNECT_TARGET_S = 15.0

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


class Api:
    def __init__(self, port):
        self.port = port
        self.token = ""

    def call(self, method, path, body=None, timeout=90):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        try:
            conn.request(method, path, json.dumps(body) if body is not None else None, headers)
            r = conn.getresponse()
            data = r.read()
            try:
                return r.status, json.loads(data) if data else None
            except ValueError:
                return r.status, data.decode(errors="replace")
        except (OSError, http.client.HTTPException) as e:
            return 0, str(e)
        finally:
            conn.close()


class EventStream(threading.Thread):
    """GET /api/v1/events: every frame with its arrival time (monotonic)."""

    def __init__(self, api):
        super().__init__(daemon=True)
        self.api = api
        self.events = []  # (arrived, event dict)
        self.lock = threading.Lock()

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.api.port, timeout=300)
        conn.request("GET", "/api/v1/events?topics=executions,nodes",
                     headers={"Authorization": "Bearer " + self.api.token})
        r = conn.getresponse()
        data = []
        try:
            for raw in r:
                line = raw.decode().rstrip("\n")
                if line.startswith("data:"):
                    data.append(line[5:].strip())
                elif line == "" and data:
                    try:
                        event = json.loads("\n".join(data))
                        with self.lock:
                            self.events.append((time.monotonic(), event))
                    except ValueError:
                        pass
                    data = []
        except (OSError, http.client.HTTPException):
            pass  # the stream ended (the server lost its database): checked events are kept

    def before(self, t):
        with self.lock:
            return [e for (at, e) in self.events if at < t]


def sql(url, query):
    out = subprocess.run([PSQL, url, "-qAtX", "-c", query], capture_output=True, text=True,
                         timeout=60)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return [line.split("|") for line in out.stdout.splitlines() if line]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--url", required=True)
    ap.add_argument("--cluster", required=True)
    ap.add_argument("--patroni", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    # Every execution's nodes run at once (the default is one per core).
    env = dict(os.environ, OPZENIX_DATABASE_URL=a.url, OPZENIX_MAX_PARALLEL=str(EXECUTIONS))
    data_dir = os.path.join(a.work, "data")
    os.makedirs(data_dir, exist_ok=True)

    subprocess.run([a.bin, "db", "migrate", "--database", a.url], env=env, check=True,
                   capture_output=True, timeout=120)
    subprocess.run([a.bin, "user", "create", "--database", a.url, "--email", "admin@example.com",
                    "--role", "admin"], input="correct horse battery\n", text=True, env=env,
                   check=True, capture_output=True, timeout=60)
    ready = os.path.join(a.work, "ready")
    if os.path.exists(ready):
        os.remove(ready)  # a previous run's
    log_path = os.path.join(a.work, "server.log")
    log = open(log_path, "w")
    server = subprocess.Popen([a.bin, "serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir,
                               "--ready-file", ready, "--database", a.url],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        return run(a, server, ready, log_path)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def run(a, server, ready, log_path):
    deadline = time.monotonic() + 30
    while not (os.path.exists(ready) and open(ready).read().endswith("\n")):
        if server.poll() is not None or time.monotonic() > deadline:
            print(open(log_path).read())
            check(False, "opzenix serve started")
            return 1
        time.sleep(0.05)
    api = Api(int(open(ready).read().strip().rsplit(":", 1)[1]))
    status, body = api.call("POST", "/api/v1/auth/login",
                            {"email": "admin@example.com", "password": "correct horse battery"})
    if status != 200:
        check(False, f"login: {status} {body}")
        return 1
    api.token = body["token"]
    stream = EventStream(api)
    stream.start()

    def start_execution():
        return api.call("POST", "/api/v1/executions",
                        {"pipeline_yaml": PIPELINE, "environment": "Development", "branch": "main"})

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        started = list(pool.map(lambda _: start_execution(), range(EXECUTIONS)))
    ids = [b["id"] for (s, b) in started if s == 201]
    check(len(ids) == EXECUTIONS, f"{len(ids)}/{EXECUTIONS} executions answered 201")

    # Kill once the first nodes have finished: mid-run, state changes flowing.
    deadline = time.monotonic() + 60
    def node_successes(events):
        return [e for e in events if e.get("topic") == "nodes"
                and (e.get("record") or {}).get("status") == "success"]
    while len(node_successes(stream.before(time.monotonic()))) < EXECUTIONS and time.monotonic() < deadline:
        time.sleep(0.05)

    primary = subprocess.run([a.patroni, "primary", a.cluster], capture_output=True, text=True,
                             check=True).stdout.split()
    postmaster = int(primary[2])
    backends = [int(p) for p in subprocess.run(["pgrep", "-P", str(postmaster)],
                                               capture_output=True, text=True).stdout.split()]
    killed_at = time.monotonic()
    for pid in [postmaster] + backends:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    acknowledged = stream.before(killed_at)
    print(f"killed the primary {primary[0]} (postmaster {postmaster}, {len(backends)} children) "
          f"after {len(node_successes(acknowledged))} node successes; "
          f"{len(acknowledged)} events acknowledged", flush=True)

    # Reads meanwhile: 200 or 503, never anything else.
    read_statuses = []
    stop_reads = threading.Event()
    def reader():
        while not stop_reads.is_set():
            read_statuses.append(api.call("GET", "/api/v1/executions?limit=1", timeout=30)[0])
            time.sleep(0.2)
    reads = threading.Thread(target=reader, daemon=True)
    reads.start()

    # The first write after the kill: a new execution, sent until it is
    # answered 201 (its admission reads answer 503 while no primary is
    # reachable; the engine's writes wait for the new one).
    while True:
        status, body = start_execution()
        if status != 503 or time.monotonic() - killed_at > 60:
            break
        time.sleep(0.1)
    reconnect_s = time.monotonic() - killed_at
    check(status == 201, f"a write sent after the kill answered {status}")
    if status == 201:
        ids.append(body["id"])
    print(f"reconnect time: the server wrote again {reconnect_s:.2f} s after the primary was killed",
          flush=True)
    check(reconnect_s < RECONNECT_TARGET_S, f"reconnect {reconnect_s:.2f} s < {RECONNECT_TARGET_S} s")

    # Every execution ends, in success.
    finished = {}
    deadline = time.monotonic() + 90
    while len(finished) < len(ids) and time.monotonic() < deadline:
        for i in ids:
            if i in finished:
                continue
            s, b = api.call("GET", "/api/v1/executions/" + i, timeout=30)
            if s == 200 and b.get("status") in ("success", "failed", "warning", "cancelled"):
                finished[i] = b
        time.sleep(0.5)
    stop_reads.set()
    reads.join()
    check(len(finished) == len(ids), f"{len(finished)}/{len(ids)} executions finished")
    bad = {i: b.get("status") for i, b in finished.items() if b.get("status") != "success"}
    check(not bad, f"every execution succeeded (not: {bad})")
    unexpected = sorted(set(s for s in read_statuses if s not in (200, 503)))
    check(not unexpected, f"reads during the failover answered only 200/503 "
          f"({read_statuses.count(503)} x 503, {read_statuses.count(200)} x 200, other {unexpected})")
    check(read_statuses[-1:] == [200], "reads answer 200 again after the failover")

    # Nothing acknowledged was lost: every delivered event, every created execution.
    url = a.url
    event_ids = sorted({e["id"] for e in acknowledged})
    present = set()
    for chunk in range(0, len(event_ids), 500):
        part = event_ids[chunk:chunk + 500]
        present |= {int(r[0]) for r in sql(url, "SELECT id FROM realtime_events WHERE id IN (" +
                                           ",".join(map(str, part)) + ")")}
    lost = [i for i in event_ids if i not in present]
    check(not lost, f"all {len(event_ids)} events delivered before the kill are in the database "
          f"after the failover (lost: {lost[:10]})")
    done_nodes = sorted({e["record"]["id"] for e in node_successes(acknowledged)})
    rows = sql(url, "SELECT count(*) FROM execution_nodes WHERE status = 'success' AND id IN (" +
               ",".join("'" + n + "'" for n in done_nodes) + ")") if done_nodes else [["0"]]
    check(int(rows[0][0]) == len(done_nodes),
          f"{rows[0][0]}/{len(done_nodes)} node successes acknowledged before the kill are stored")
    in_db = int(sql(url, "SELECT count(*) FROM executions WHERE id IN (" +
                    ",".join("'" + i + "'" for i in ids) + ")")[0][0])
    check(in_db == len(ids), f"{in_db}/{len(ids)} executions answered 201 are stored")
    attempts = sql(url, "SELECT attempt, count(*) FROM execution_nodes WHERE execution_id IN (" +
                   ",".join("'" + i + "'" for i in ids) + ") GROUP BY attempt ORDER BY attempt")
    check(attempts == [["1", str(len(ids) * 5)]], f"every node ran once (attempt: count = {attempts})")
    log_text = open(log_path).read()
    outage_lines = [l for l in log_text.splitlines() if "PostgreSQL" in l and
                    ("unavailable" in l or "reachable again" in l or "LISTEN" in l or
                                           "COMMIT" in l or "run again" in l)]
    print("server log:\n  " + "\n  ".join(outage_lines), flush=True)
    if failures:
        print(f"server log: {log_path}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
