#!/usr/bin/env bash
# `make run`: prepares a data directory with a demo project and an admin
# account (one-time password printed once), then serves Opzenix with its web UI.
#   scripts/run-demo.sh BIN DATA_DIR LISTEN
# At first start (no DATA_DIR/.demo-seeded) a private server on a free port
# creates the project and runs three executions to their end (a success in
# Development, a success in Staging, a failure on a feature branch), then
# stops. The real server then starts on LISTEN, and once it is ready one more
# execution is started (examples/demo-soak.yml, half an hour long) so the
# first page shows something running. Ctrl-C stops the server.
set -euo pipefail
bin=${1:-build/opzenix}
data=${2:-./var}
listen=${3:-127.0.0.1:8080}
repo=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$data"

# The built web UI: `make web` writes it to web/dist.
export OPZENIX_WEB_DIR=${OPZENIX_WEB_DIR:-$repo/web/dist}
[[ -f "$OPZENIX_WEB_DIR/index.html" ]] ||
  echo "run-demo: no web UI in $OPZENIX_WEB_DIR (run 'make web'); serving the API only." >&2

# The demo's deployments, health checks and repositories are on this machine:
# the outbound guard refuses loopback and local paths unless allowed
# (docs/security.md). A deployment facing other users should narrow this.
export OPZENIX_OUTBOUND_ALLOW=${OPZENIX_OUTBOUND_ALLOW-127.0.0.0/8,::1,file}

"$bin" db migrate --data-dir "$data" >/dev/null
# The master key ring secrets are sealed with (docs/secrets.md), once.
[[ -n "${OPZENIX_MASTER_KEY:-}" || -f "$data/master.key" ]] ||
  "$bin" secrets init --data-dir "$data" >/dev/null

# json_field NAME: the top-level string member NAME of the JSON on stdin.
json_field() {
  python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$1"
}

# start_server LISTEN READY_FILE [ARGS...]: serves in the background, waits
# until READY_FILE names the address; sets server_pid and server_addr.
start_server() {
  local at=$1 ready=$2
  shift 2
  rm -f "$ready"
  "$bin" serve --data-dir "$data" --listen "$at" --ready-file "$ready" "$@" &
  server_pid=$!
  for _ in $(seq 1 300); do
    [[ -s "$ready" ]] && break
    kill -0 "$server_pid" 2>/dev/null || { wait "$server_pid" || true; echo "run-demo: the server did not start" >&2; exit 1; }
    sleep 0.1
  done
  [[ -s "$ready" ]] || { echo "run-demo: the server was not ready after 30 s" >&2; kill -TERM "$server_pid"; exit 1; }
  server_addr=$(cat "$ready")
}

# api METHOD PATH [JSON]: one authenticated call to the server at server_addr.
api() {
  curl -sf -X "$1" "http://$server_addr$2" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' ${3:+-d "$3"}
}

# start_execution PIPELINE_FILE ENVIRONMENT BRANCH: prints the new execution's id.
start_execution() {
  local yaml
  yaml=$(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' "$repo/$1")
  api POST /api/v1/executions \
      "{\"project_id\":\"$project_id\",\"environment\":\"$2\",\"branch\":\"$3\",\"pipeline_yaml\":$yaml}" |
    json_field id
}

# wait_finished ID...: until each execution has ended (bounded: 60 s in all).
wait_finished() {
  local id status
  for id in "$@"; do
    [[ -n "$id" ]] || { echo "run-demo: a demo execution did not start" >&2; continue; }
    for _ in $(seq 1 600); do
      status=$(api GET "/api/v1/executions/$id" | json_field status || true)
      case "$status" in success | failed | warning | cancelled) break ;; esac
      sleep 0.1
    done
  done
}

marker="$data/.demo-seeded"
first_start=false
if [[ ! -f "$marker" ]]; then
  first_start=true
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | cut -c1-20)
  printf '%s\n' "$password" | "$bin" user create --data-dir "$data" --email admin@opzenix.local \
      --role admin --full-name "Demo Admin" >/dev/null
  # A private server on a free port creates the demo data through the API.
  start_server 127.0.0.1:0 "$data/.demo-ready" --log-level warn
  token=$(curl -sf -X POST "http://$server_addr/api/v1/auth/login" -H 'Content-Type: application/json' \
      -d "{\"email\":\"admin@opzenix.local\",\"password\":\"$password\"}" | json_field token)
  project_id=$(api POST /api/v1/projects \
      '{"name":"Demo Service","description":"A demo project: build, test, scan, deploy"}' | json_field id)
  # One at a time, so the history reads in order (and each environment's
  # deploy queue is free when the next starts).
  wait_finished "$(start_execution examples/demo.yml Development develop)"
  wait_finished "$(start_execution examples/demo-failing.yml Development feature/checkout-v2)"
  wait_finished "$(start_execution examples/demo.yml Staging release/1.4)"
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  rm -f "$data/.demo-ready"
  touch "$marker"
fi

# The server users see. Ctrl-C (SIGINT) or SIGTERM reach it through this shell.
start_server "$listen" "$data/.serve-ready"
trap 'kill -TERM "$server_pid" 2>/dev/null || true' INT TERM
if $first_start; then
  soak_id=$(start_execution examples/demo-soak.yml Staging main || true)
  cat <<MSG

  Opzenix demo is ready.
    URL:       http://$listen
    Admin:     admin@opzenix.local
    Password:  $password      (shown once; change it or create your own admin)
    Project:   Demo Service ($project_id)
    Running:   demo-soak in Staging (${soak_id:-not started}), half an hour long

MSG
else
  echo "Opzenix: http://$listen (data in $data; admin@opzenix.local, password shown at first start)."
fi
# `wait` returns early when a trapped signal arrives; wait again for the exit.
while kill -0 "$server_pid" 2>/dev/null; do
  wait "$server_pid" || true
done
rm -f "$data/.serve-ready"
