#!/bin/bash
# A throwaway PostgreSQL server for tests: Debian's PostgreSQL 15 in a temp
# directory, listening on 127.0.0.1 only (and a socket inside DIR).
#
#   tests/support/postgres.sh start DIR   initdb + start; prints the URL
#                                         (postgresql://opzenix@127.0.0.1:PORT/opzenix)
#                                         and writes it to DIR/url
#   tests/support/postgres.sh stop DIR    stops the server (DIR is left for inspection)
#   tests/support/postgres.sh url DIR     prints the URL of a started server
#
# The port is the first free one from 54320 up. initdb refuses to run as root,
# so as root the server runs as the `postgres` user, in a directory of its own
# under /tmp (named in DIR/pgroot), since DIR may be in a 0700 temp dir.
# Exit status: 0 on success; 3 when PostgreSQL is not installed (callers skip).
set -eu

BIN=${OPZ_PG_BIN:-/usr/lib/postgresql/15/bin}
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|url DIR" >&2; exit 2; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then (cd "$pgroot" && runuser -u postgres -- "$@"); else "$@"; fi
}

# Where the cluster lives: DIR itself, or, as root, a directory of the
# postgres user's under /tmp (DIR may sit in a 0700 temp dir it cannot enter),
# remembered in DIR/pgroot so that stop and the next start find it.
cluster_root() {
  if [ "$(id -u)" != 0 ]; then pgroot=$dir; return; fi
  if [ -f "$dir/pgroot" ] && [ -d "$(cat "$dir/pgroot")" ]; then pgroot=$(cat "$dir/pgroot"); return; fi
  pgroot=$(mktemp -d /tmp/opz-pg.XXXXXX)
  chmod 755 "$pgroot"
  chown postgres "$pgroot"
  echo "$pgroot" >"$dir/pgroot"
}

case "$cmd" in
start)
  [ -x "$BIN/initdb" ] || { echo "postgres.sh: no PostgreSQL at $BIN (apt-get install postgresql)" >&2; exit 3; }
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  cluster_root
  if [ ! -f "$pgroot/data/PG_VERSION" ]; then
    as_owner "$BIN/initdb" -D "$pgroot/data" -U opzenix --auth=trust -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  # A server left running by an interrupted run is stopped first.
  if [ -f "$pgroot/data/postmaster.pid" ]; then "$0" stop "$dir" || true; fi
  port=54320
  while [ $port -lt 54420 ]; do
    # A port is free when nothing listens on it and no other test server claimed it.
    if ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && mkdir "/tmp/.opz-pg-port-$port" 2>/dev/null; then
      break
    fi
    port=$((port + 1))
  done
  echo "$dir" >"/tmp/.opz-pg-port-$port/owner"
  as_owner "$BIN/pg_ctl" -D "$pgroot/data" -l "$pgroot/server.log" -w -t 30 \
    -o "-k $pgroot -c listen_addresses=127.0.0.1 -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=64MB" \
    start >/dev/null || { cat "$pgroot/server.log" >&2; rmdir "/tmp/.opz-pg-port-$port" 2>/dev/null || true; exit 1; }
  "$BIN/psql" -h 127.0.0.1 -p $port -U opzenix -d postgres -qAt \
    -c "SELECT 1 FROM pg_database WHERE datname = 'opzenix'" | grep -q 1 ||
    "$BIN/createdb" -h 127.0.0.1 -p $port -U opzenix opzenix
  url="postgresql://opzenix@127.0.0.1:$port/opzenix"
  echo "$url" >"$dir/url"
  echo "$port" >"$dir/port"
  echo "$url"
  ;;
stop)
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" = 0 ] && [ ! -f "$dir/pgroot" ]; then pgroot=$dir; else cluster_root; fi
  if [ -f "$pgroot/data/postmaster.pid" ]; then
    pid=$(head -1 "$pgroot/data/postmaster.pid")
    kill -INT "$pid" 2>/dev/null || true
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  fi
  if [ -f "$dir/port" ]; then
    p=$(cat "$dir/port")
    rm -rf "/tmp/.opz-pg-port-$p"
  fi
  ;;
url)
  cat "$dir/url"
  ;;
*)
  echo "usage: $0 start|stop|url DIR" >&2
  exit 2
  ;;
esac
