#!/usr/bin/env bash
# `make run`: prepares a data directory with a demo project and an admin
# account (one-time password printed once), then serves Opzenix.
#   scripts/run-demo.sh BIN DATA_DIR LISTEN
set -euo pipefail
bin=${1:-build/opzenix}
data=${2:-./var}
listen=${3:-127.0.0.1:8080}
mkdir -p "$data"

"$bin" db migrate --data-dir "$data" >/dev/null

marker="$data/.demo-seeded"
if [[ ! -f "$marker" ]]; then
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | cut -c1-20)
  printf '%s\n' "$password" | "$bin" user create --data-dir "$data" --email admin@opzenix.local \
      --role admin --full-name "Demo Admin" >/dev/null
  # Start briefly on a private port to create the demo project through the API.
  ready="$data/.demo-ready"
  rm -f "$ready"
  "$bin" serve --data-dir "$data" --listen 127.0.0.1:0 --ready-file "$ready" --log-level warn &
  pid=$!
  for _ in $(seq 1 100); do [[ -s "$ready" ]] && break; sleep 0.1; done
  addr=$(cat "$ready")
  token=$(curl -sf -X POST "http://$addr/api/v1/auth/login" -H 'Content-Type: application/json' \
      -d "{\"email\":\"admin@opzenix.local\",\"password\":\"$password\"}" | sed -E 's/.*"token":"([^"]+)".*/\1/')
  project=$(curl -sf -X POST "http://$addr/api/v1/projects" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' \
      -d '{"name":"Demo Service","description":"A demo project: build, test, scan, deploy"}')
  project_id=$(printf '%s' "$project" | sed -E 's/.*"id":"([^"]+)".*/\1/')
  yaml=$(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' examples/demo.yml 2>/dev/null || echo '""')
  if [[ "$yaml" != '""' ]]; then
    exec_id=$(curl -sf -X POST "http://$addr/api/v1/executions" -H "Authorization: Bearer $token" \
        -H 'Content-Type: application/json' \
        -d "{\"project_id\":\"$project_id\",\"environment\":\"Development\",\"branch\":\"develop\",\"pipeline_yaml\":$yaml}" \
        | sed -E 's/.*"id":"([^"]+)".*/\1/' || true)
    # Let the demo run finish before this seeding server stops (bounded: 30 s).
    for _ in $(seq 1 300); do
      status=$(curl -sf "http://$addr/api/v1/executions/$exec_id" -H "Authorization: Bearer $token" \
          | sed -E 's/.*"status":"([a-z]+)".*/\1/' || true)
      case "$status" in success|failed|warning|cancelled) break ;; esac
      sleep 0.1
    done
  fi
  kill -TERM "$pid"; wait "$pid" || true
  rm -f "$ready"
  touch "$marker"
  cat <<MSG

  Opzenix demo is ready.
    URL:       http://$listen
    Admin:     admin@opzenix.local
    Password:  $password      (shown once; change it or create your own admin)
    Project:   Demo Service ($project_id)

MSG
else
  echo "Using existing data in $data (admin@opzenix.local; password was shown at first start)."
fi
exec "$bin" serve --data-dir "$data" --listen "$listen"
