#!/usr/bin/env bash
# HTTP benchmark: opzenix vs nginx on loopback, measured side by side in one run.
#   bench/http_bench.sh BUILD_DIR [ROUNDS] [DURATION]
# Reports requests/s and p99 for: nginx serving a static file the size of the
# /healthz answer (the anchor), opzenix GET /healthz, and an authenticated
# GET /api/v1/projects; plus opzenix idle RSS and time-to-ready on an existing
# database. 64 keep-alive connections, 2 wrk threads, rounds alternate A B C.
set -euo pipefail
build=${1:-build}
rounds=${2:-3}
dur=${3:-10s}
bin=$(realpath "$build/opzenix")
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

# --- opzenix with a user, a token and 20 projects
data="$work/data"
printf 'bench-password\n' | "$bin" user create --data-dir "$data" --email bench@example.com --role admin >/dev/null
t0=$(date +%s%N)
"$bin" serve --data-dir "$data" --listen 127.0.0.1:0 --ready-file "$work/ready" --log-level warn 2>"$work/opz.log" &
opz=$!
for _ in $(seq 1 500); do [[ -s "$work/ready" ]] && break; sleep 0.01; done
t1=$(date +%s%N)
addr=$(cat "$work/ready")
token=$(curl -sf -X POST "http://$addr/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"bench-password"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
for i in $(seq 1 20); do
  curl -sf -X POST "http://$addr/api/v1/projects" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "{\"name\":\"bench-$i\"}" >/dev/null
done
# Ready time on an EXISTING database: restart and time until the ready file appears.
kill -TERM $opz; wait $opz || true
rm -f "$work/ready"
t0=$(date +%s%N)
"$bin" serve --data-dir "$data" --listen "$addr" --ready-file "$work/ready" --log-level warn 2>>"$work/opz.log" &
opz=$!
for _ in $(seq 1 2000); do [[ -s "$work/ready" ]] && break; sleep 0.001; done
t1=$(date +%s%N)
ready_ms=$(( (t1 - t0) / 1000000 ))
sleep 0.5
idle_rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$opz/status)

# --- nginx serving a file of the same size as /healthz's body
health_body=$(curl -sf "http://$addr/healthz")
mkdir -p "$work/www" "$work/nginx"
printf '%s' "$health_body" > "$work/www/healthz"
cat > "$work/nginx/nginx.conf" <<NGX
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:18088;
    location / { root $work/www; default_type application/json; }
  }
}
NGX
nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
ngx=$!
sleep 0.5

run_wrk() {  # url [header]
  local out
  if [[ $# -gt 1 ]]; then
    out=$(wrk -t2 -c64 -d"$dur" --latency -H "$2" "$1")
  else
    out=$(wrk -t2 -c64 -d"$dur" --latency "$1")
  fi
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  echo "$rps $p99"
}

echo "round nginx_rps nginx_p99 healthz_rps healthz_p99 projects_rps projects_p99"
for r in $(seq 1 "$rounds"); do
  a=$(run_wrk "http://127.0.0.1:18088/healthz")
  b=$(run_wrk "http://$addr/healthz")
  c=$(run_wrk "http://$addr/api/v1/projects" "Authorization: Bearer $token")
  echo "$r $a $b $c"
done
peak_rss_kb=$(awk '/VmHWM/ {print $2}' /proc/$opz/status)
echo "ready_ms_existing_db $ready_ms"
echo "idle_rss_kb $idle_rss_kb"
echo "peak_rss_kb_after_load $peak_rss_kb"
kill -TERM $opz; wait $opz || true
kill -QUIT $ngx 2>/dev/null; wait $ngx 2>/dev/null || true
