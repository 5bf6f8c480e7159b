#!/usr/bin/env bash
# Idle agent memory, http and https (issue 14): one `opzenix serve` (SQLite)
# on loopback, Debian's nginx terminating TLS in front of it with a
# self-signed certificate made here; AGENTS idle agents of each binary given
# over http, side by side in this one run, and two https agents of the new
# binary: one given the certificate (--ca-file), polling; one with the
# system CA store, which refuses the certificate, so it only shows what
# loading the system store costs. 5 s after the start: VmRSS, private
# pages and PSS (/proc/PID/status, smaps_rollup), medians, and whether each
# agent mapped a TLS library (/proc/PID/maps).
#   bench/agent_idle_memory.sh BUILD_DIR OLD_AGENT [AGENTS=20]
# OLD_AGENT: the binary to compare with (e.g. a copy of the libcurl one).
# Prints one "key value" line per figure.
set -euo pipefail
build=$(realpath "${1:-build}")
old=$(realpath "$2")
agents=${3:-20}
bin=$build/opzenix
new=$build/opzenix-agent
work=$(mktemp -d /tmp/agent-memory.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" serve --data-dir "$work/data" --listen 127.0.0.1:0 --ready-file "$work/ready" \
  --log-level warn 2>"$work/server.log" &
pids+=($!)
for _ in $(seq 1 1000); do [[ -s "$work/ready" ]] && break; sleep 0.01; done
addr=$(cat "$work/ready")
printf 'bench-password\n' | "$bin" user create --data-dir "$work/data" --email bench@example.com --role admin >/dev/null
token=$(curl -sf -X POST "http://$addr/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"bench-password"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
reg=$(curl -sf -X POST "http://$addr/api/v1/agents/registration-tokens" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' | sed -E 's/.*"token":"([^"]+)".*/\1/')

# nginx: TLS on a free port, proxying to the server.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
tls_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/nginx.conf" <<NGINX
daemon off; master_process off; pid $work/nginx.pid; error_log $work/nginx.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $work/nb; proxy_temp_path $work/np; fastcgi_temp_path $work/nf;
  uwsgi_temp_path $work/nu; scgi_temp_path $work/ns;
  server {
    listen 127.0.0.1:$tls_port ssl;
    ssl_certificate $work/cert.pem; ssl_certificate_key $work/key.pem;
    location / { proxy_pass http://$addr; proxy_http_version 1.1; proxy_set_header Connection "";
                 proxy_read_timeout 120s; }
  }
}
NGINX
/usr/sbin/nginx -p "$work" -e "$work/nginx.log" -c "$work/nginx.conf" &
pids+=($!)
sleep 0.5

register() {  # name -> the agent's token
  curl -sf -X POST "http://$addr/api/v1/agents/register" -H 'Content-Type: application/json' \
    -d "{\"registration_token\":\"$reg\",\"name\":\"$1\",\"labels\":[\"idle\"]}" |
    sed -E 's/.*"token":"([^"]+)".*/\1/'
}
declare -A group
start() {  # group name binary url [args...]
  local g=$1 name=$2 binary=$3 url=$4
  shift 4
  OPZENIX_AGENT_TOKEN=$(register "$name") "$binary" --server "$url" --labels idle \
    --work-dir "$work/agents/$name" "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  group[$g]="${group[$g]:-} $!"
}
for i in $(seq 1 "$agents"); do
  start old "old-$i" "$old" "http://$addr"
  start new "new-$i" "$new" "http://$addr"
done
start https "https-1" "$new" "https://localhost:$tls_port" --ca-file "$work/cert.pem"
start https_system_store "system-1" "$new" "https://localhost:$tls_port"
sleep 5

report() {  # group
  local live=() p
  for p in ${group[$1]}; do [[ -r /proc/$p/status ]] && live+=("$p"); done
  echo "$1_agents_alive ${#live[@]}"
  for p in "${live[@]}"; do awk '/VmRSS/ {print $2}' "/proc/$p/status"; done | sort -n >"$work/rss"
  for p in "${live[@]}"; do
    awk '/^Private_Dirty/ {d=$2} /^Private_Clean/ {c=$2} /^Pss:/ {s=$2} END {print d + c, s}' "/proc/$p/smaps_rollup"
  done >"$work/private"
  median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  echo "$1_rss_kb_median $(median <"$work/rss")"
  echo "$1_rss_kb_max $(tail -1 "$work/rss")"
  echo "$1_private_kb_median $(cut -d' ' -f1 "$work/private" | median)"
  echo "$1_pss_kb_median $(cut -d' ' -f2 "$work/private" | median)"
  local tls=0
  for p in "${live[@]}"; do grep -qE 'libssl|libgnutls|libmbedtls' "/proc/$p/maps" && tls=$((tls + 1)); done
  echo "$1_agents_with_a_tls_library_mapped $tls"
}
report old
report new
report https
report https_system_store
# The server lists the agents online (registration counts too), and the agents' logs count
# their warnings and errors: none for those given a usable server; the system-store one's refusals.
online=$(curl -sf "http://$addr/api/v1/agents" -H "Authorization: Bearer $token" | python3 -c '
import json, sys
a = json.load(sys.stdin)
a = next((v for v in a.values() if isinstance(v, list)), []) if isinstance(a, dict) else a
print(sum(1 for x in a if x.get("status") == "online"))')
echo "agents_online $online of $((2 * agents + 2))"
for g in old new https system; do
  echo "${g}_agent_log_lines_warning_or_error $(cat "$work"/$g-*.log | grep -ciE "warn|error" || true)"
done
