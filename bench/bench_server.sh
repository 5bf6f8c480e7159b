# Sourced by the benchmark scripts: starts `opzenix serve` on a free loopback
# port with a fresh data directory and an admin, and signs in.
#   bench_server BIN WORK [extra serve arguments...]
# Sets: srv (the server's pid), addr (HOST:PORT), token (the admin's bearer
# token). The server's log is $WORK/server.log; the caller's EXIT trap kills it.
bench_server() {
  local bin=$1 work=$2
  shift 2
  local data="$work/server"
  printf 'bench-password\n' | "$bin" user create --data-dir "$data" --email bench@example.com --role admin >/dev/null
  "$bin" serve --data-dir "$data" --listen 127.0.0.1:0 --ready-file "$work/ready" --log-level warn "$@" 2>"$work/server.log" &
  srv=$!
  for _ in $(seq 1 500); do [[ -s "$work/ready" ]] && break; sleep 0.01; done
  addr=$(cat "$work/ready")
  token=$(curl -sf -X POST "http://$addr/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench-password"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
}
