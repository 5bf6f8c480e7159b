#!/usr/bin/env bash
# Measures what a new user waits for: a fresh clone's `make run` until the
# served login page (GET /login answers the web UI's HTML), on this machine.
#   scripts/measure-make-run.sh [--cold]
# --cold compiles without ccache (CCACHE_DISABLE=1); otherwise the machine's
# ccache is used as `make run` would use it. Clones HEAD into a temporary
# directory (so uncommitted changes are not measured), runs `make run` there
# on a free loopback port, prints the seconds to the login page and the
# slowest build steps from .ninja_log, then stops the server and removes the
# clone. npm's download cache (~/.npm) is used as it is.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
mode="ccache as configured"
if [[ "${1:-}" == "--cold" ]]; then
  export CCACHE_DISABLE=1
  mode="cold: no ccache"
fi

work=$(mktemp -d /tmp/opz-fresh-clone.XXXXXX)
git clone -q "$repo" "$work/opzenix"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() {
  [[ -n "${run_pid:-}" ]] && kill -TERM -- "-$run_pid" 2>/dev/null || true
  [[ -n "${run_pid:-}" ]] && wait "$run_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

start=$(date +%s.%N)
# Its own process group, so the whole `make run` (make, the demo script, the
# server) is stopped at the end.
setsid make -C "$work/opzenix" run LISTEN="127.0.0.1:$port" DATA_DIR="$work/var" >"$work/make-run.log" 2>&1 &
run_pid=$!
until curl -sf "http://127.0.0.1:$port/login" 2>/dev/null | grep -q '<div id="root">'; do
  if ! kill -0 "$run_pid" 2>/dev/null; then
    tail -30 "$work/make-run.log" >&2
    echo "measure-make-run: make run ended before serving the login page" >&2
    exit 1
  fi
  sleep 0.5
done
end=$(date +%s.%N)
echo "make run on a fresh clone: $(python3 -c "print(round($end - $start, 1))") s to the served login page ($mode)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
grep -E '^(real|user|sys)|built in|added [0-9]+ packages' "$work/make-run.log" || true
log="$work/opzenix/build/.ninja_log"
if [[ -f "$log" ]]; then
  echo "build steps: $(grep -vc '^#' "$log"); the slowest (seconds, output):"
  awk -F'\t' '!/^#/ { printf "%7.1f  %s\n", ($2 - $1) / 1000, $4 }' "$log" | sort -rn | head -15
  awk -F'\t' '!/^#/ { s += ($2 - $1) / 1000 } END { printf "sum of step times: %.0f s\n", s }' "$log"
  echo "by module (seconds, steps):"
  awk -F'\t' '!/^#/ { m = $4; sub(/\.dir\/.*/, "", m); sub(/^CMakeFiles\//, "", m); t[m] += ($2 - $1) / 1000; n[m]++ }
    END { for (m in t) printf "%7.1f  %3d  %s\n", t[m], n[m], m }' "$log" | sort -rn | head -12
fi
