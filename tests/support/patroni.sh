#!/bin/bash
# A throwaway highly available PostgreSQL for tests: a one-member etcd and three
# PostgreSQL 15 members managed by Patroni, all on 127.0.0.1 with free ports.
#
#   tests/support/patroni.sh start DIR    starts etcd + 3 Patroni members; waits until a
#                                         leader is elected, both replicas stream and one of
#                                         them is the synchronous standby; prints the URL
#   tests/support/patroni.sh stop DIR     stops Patroni (and so PostgreSQL) and etcd
#   tests/support/patroni.sh primary DIR  prints the leader: "NAME PGPORT POSTMASTER_PID"
#                                         (from each member's REST API, GET /primary)
#   tests/support/patroni.sh url DIR      prints the libpq multi-host URL:
#     postgresql://opzenix@127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3/opzenix?target_session_attrs=read-write&connect_timeout=2
#
# primary_start_timeout 0: when the leader's PostgreSQL crashes, its Patroni
# fails over at once (releases the leader key; a replica takes it within a
# loop) instead of restarting it in place; loop_wait 2 bounds how long the
# crash goes unnoticed. ttl (30) and retry_timeout (10) are only what a dead
# Patroni's leader key takes to expire: kept at the defaults' scale, since
# shorter ones (ttl 10, loop_wait 1) made a loaded test machine (2 cores,
# load 7) lose the leader key during start-up and fail over on its own.
# synchronous_mode is on: a COMMIT returns only once the synchronous standby
# has the commit record, and Patroni promotes only that standby — so every
# commit a client saw acknowledged survives the loss of the primary.
#
# As root, Patroni and PostgreSQL run as the `postgres` user in a directory of
# their own under /tmp (named in DIR/root), like tests/support/postgres.sh.
# Exit status: 0 on success; 3 when Patroni, etcd or PostgreSQL is not installed.
set -eu

BIN=${OPZ_PG_BIN:-/usr/lib/postgresql/15/bin}
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|primary|url DIR" >&2; exit 2; }
MEMBERS="m1 m2 m3"

# Runs a command (exec, so that $! is its pid) as the cluster's owner.
exec_as_owner() {
  if [ "$(id -u)" = 0 ]; then exec setsid setpriv --reuid postgres --regid postgres --init-groups "$@"; else exec setsid "$@"; fi
}

cluster_root() {
  if [ -f "$dir/root" ] && [ -d "$(cat "$dir/root")" ]; then root=$(cat "$dir/root"); return; fi
  if [ "$(id -u)" != 0 ]; then root=$dir/cluster; mkdir -p "$root"; else
    root=$(mktemp -d /tmp/opz-patroni.XXXXXX)
    chmod 755 "$root"
    chown postgres "$root"
  fi
  echo "$root" >"$dir/root"
}

# The first free port from $1 up, claimed (a lock directory) so that parallel
# test runs do not pick the same one; remembered in DIR/ports for stop.
claim_port() {
  local p=$1
  while [ "$p" -lt 56000 ]; do
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null && mkdir "/tmp/.opz-ha-port-$p" 2>/dev/null; then
      echo "$p" >>"$dir/ports"
      echo "$p"
      return
    fi
    p=$((p + 1))
  done
  echo "patroni.sh: no free port" >&2
  exit 1
}

psql_at() { "$BIN/psql" -h 127.0.0.1 -p "$1" -U opzenix -d postgres -qAtX -c "$2" 2>/dev/null; }

# "NAME PGPORT" of the member whose REST API answers 200 on GET /primary and
# whose PostgreSQL is not in recovery (Patroni's answer alone can be stale).
leader() {
  local m
  for m in $MEMBERS; do
    [ -f "$dir/$m.rest" ] || continue
    if curl -fs -o /dev/null -m 1 "http://127.0.0.1:$(cat "$dir/$m.rest")/primary" &&
      [ "$(psql_at "$(cat "$dir/$m.pg")" "SELECT pg_is_in_recovery()")" = f ]; then
      echo "$m $(cat "$dir/$m.pg")"
      return 0
    fi
  done
  return 1
}

write_member_config() {
  local m=$1 pg=$2 rest=$3 etcd=$4 scope=$5
  mkdir -p "$root/$m"
  cat >"$root/$m.yml" <<YAML
scope: $scope
namespace: /opzenix-test/
name: $m
log:
  level: WARNING
restapi:
  listen: 127.0.0.1:$rest
  connect_address: 127.0.0.1:$rest
etcd3:
  hosts: 127.0.0.1:$etcd
bootstrap:
  dcs:
    ttl: 30
    loop_wait: 2
    retry_timeout: 10
    primary_start_timeout: 0
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      parameters:
        max_connections: 300
        shared_buffers: 32MB
        wal_level: replica
        hot_standby: 'on'
        wal_log_hints: 'on'
        max_wal_senders: 10
        max_replication_slots: 10
        fsync: 'off'
  initdb:
  - encoding: UTF8
  - locale: C.UTF-8
  - auth: trust
  pg_hba:
  - local all all trust
  - host replication replicator 127.0.0.1/32 trust
  - host all all 127.0.0.1/32 trust
postgresql:
  listen: 127.0.0.1:$pg
  connect_address: 127.0.0.1:$pg
  data_dir: $root/$m/data
  bin_dir: $BIN
  pgpass: $root/$m/pgpass
  authentication:
    superuser: {username: opzenix, password: opzenix}
    replication: {username: replicator, password: replicator}
    rewind: {username: opzenix, password: opzenix}
  parameters:
    unix_socket_directories: $root/$m
YAML
  [ "$(id -u)" = 0 ] && chown -R postgres "$root/$m" "$root/$m.yml"
  return 0
}

case "$cmd" in
start)
  for tool in patroni etcd; do
    command -v $tool >/dev/null || { echo "patroni.sh: $tool is not installed (apt-get install patroni etcd-server)" >&2; exit 3; }
  done
  [ -x "$BIN/initdb" ] || { echo "patroni.sh: no PostgreSQL at $BIN" >&2; exit 3; }
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ -f "$dir/pids" ] && "$0" stop "$dir"
  # A previous run's cluster (kept by stop for inspection) goes now.
  if [ -f "$dir/root" ]; then
    old=$(cat "$dir/root")
    case "$old" in /tmp/opz-patroni.*|"$dir"/cluster) rm -rf "$old" ;; esac
  fi
  rm -f "$dir/root" "$dir/ports" "$dir/pids"
  cluster_root
  etcd_client=$(claim_port 55400)
  etcd_peer=$(claim_port $((etcd_client + 1)))
  (cd "$root" && exec setsid etcd --name opz --data-dir "$root/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_client" --advertise-client-urls "http://127.0.0.1:$etcd_client" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "opz=http://127.0.0.1:$etcd_peer" --log-level error >"$root/etcd.log" 2>&1) &
  echo "etcd $!" >>"$dir/pids"
  for i in $(seq 100); do curl -fs -m 1 "http://127.0.0.1:$etcd_client/health" >/dev/null && break; sleep 0.1; done
  scope="opz-$(basename "$root")"
  for m in $MEMBERS; do
    pg=$(claim_port $((etcd_peer + 1)))
    rest=$(claim_port $((pg + 1)))
    echo "$pg" >"$dir/$m.pg"
    echo "$rest" >"$dir/$m.rest"
    write_member_config "$m" "$pg" "$rest" "$etcd_client" "$scope"
    (cd "$root" && exec_as_owner patroni "$root/$m.yml" >"$root/$m.log" 2>&1) &
    echo "$m $!" >>"$dir/pids"
    # The first member bootstraps alone, so that it surely becomes the leader
    # and the others clone it.
    if [ "$m" = m1 ]; then
      for i in $(seq 300); do leader >/dev/null && break; sleep 0.1; done
      leader >/dev/null || { echo "patroni.sh: no leader elected (see $root/m1.log)" >&2; tail -20 "$root/m1.log" >&2; exit 1; }
    fi
  done
  # Ready: a leader with two streaming replicas, one of them synchronous.
  # A deadline, not a count of tries: on a loaded machine each try (Patroni's
  # REST API, psql) can itself take seconds.
  ready=""
  deadline=$((SECONDS + ${OPZ_PATRONI_READY_WAIT:-180}))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if l=$(leader); then
      port=${l#* }
      if [ "$(psql_at "$port" "SELECT count(*) FILTER (WHERE state = 'streaming') || ' ' || count(*) FILTER (WHERE sync_state = 'sync') FROM pg_stat_replication")" = "2 1" ]; then
        ready=$port
        break
      fi
    fi
    sleep 0.1
  done
  [ -n "$ready" ] || { echo "patroni.sh: no leader with two streaming replicas (one synchronous) within ${OPZ_PATRONI_READY_WAIT:-180} s (logs in $root)" >&2; exit 1; }
  psql_at "$ready" "SELECT 1 FROM pg_database WHERE datname = 'opzenix'" | grep -q 1 ||
    "$BIN/createdb" -h 127.0.0.1 -p "$ready" -U opzenix opzenix
  hosts=""
  for m in $MEMBERS; do hosts="$hosts${hosts:+,}127.0.0.1:$(cat "$dir/$m.pg")"; done
  url="postgresql://opzenix@$hosts/opzenix?target_session_attrs=read-write&connect_timeout=2"
  echo "$url" >"$dir/url"
  echo "$url"
  ;;
stop)
  dir=$(cd "$dir" && pwd)
  [ -f "$dir/root" ] && root=$(cat "$dir/root") || root=""
  if [ -f "$dir/pids" ]; then
    # Patroni members first (each stops its PostgreSQL), then etcd.
    while read -r name pid; do [ "$name" != etcd ] && kill -TERM "$pid" 2>/dev/null || true; done <"$dir/pids"
    for i in $(seq 150); do
      alive=0
      while read -r name pid; do [ "$name" != etcd ] && kill -0 "$pid" 2>/dev/null && alive=1; done <"$dir/pids"
      [ $alive = 0 ] && break
      sleep 0.1
    done
    while read -r name pid; do kill -KILL "$pid" 2>/dev/null || true; done <"$dir/pids"
    # A postmaster its Patroni could not stop (killed above) is stopped here.
    for m in $MEMBERS; do
      pidfile="$root/$m/data/postmaster.pid"
      [ -n "$root" ] && [ -f "$pidfile" ] && kill -INT "$(head -1 "$pidfile")" 2>/dev/null || true
    done
    rm -f "$dir/pids"
  fi
  if [ -f "$dir/ports" ]; then
    while read -r p; do rm -rf "/tmp/.opz-ha-port-$p"; done <"$dir/ports"
    rm -f "$dir/ports"
  fi
  ;;
primary)
  l=$(leader) || { echo "patroni.sh: no leader" >&2; exit 1; }
  root=$(cat "$dir/root")
  name=${l%% *}
  echo "$l $(head -1 "$root/$name/data/postmaster.pid")"
  ;;
url)
  cat "$dir/url"
  ;;
*)
  echo "usage: $0 start|stop|primary|url DIR" >&2
  exit 2
  ;;
esac
