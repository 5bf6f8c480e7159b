#!/bin/bash
# Opzenix on a Patroni-managed PostgreSQL cluster, the primary killed while
# executions run (issue 14, "The database itself highly available").
#
#   tests/ha/patroni_failover_test.sh OPZENIX_BINARY [WORK_DIR]
#
# Starts etcd + three PostgreSQL 15 members under Patroni (tests/support/
# patroni.sh, synchronous mode), `opzenix serve --database <multi-host URL>`,
# 50 executions of a 5-node pipeline, then kill -9 of the primary's postgres
# (postmaster and its backends) mid-run. patroni_failover.py drives the server
# and checks: the server writes again within 15 s (the measured reconnect time
# is printed), every execution succeeds, and every state change the server
# had acknowledged before the kill (node events received on the event stream,
# executions it answered 201 for) is in the database after the failover.
#
# Exit status: 0 passed; 1 failed; 77 skipped (Patroni, etcd, PostgreSQL 15 or
# python3 not installed: `scripts/install-deps.sh --test`).
set -eu

bin=${1:?usage: $0 OPZENIX_BINARY [WORK_DIR]}
here=$(cd "$(dirname "$0")" && pwd)
for tool in patroni etcd python3 curl; do
  command -v $tool >/dev/null || { echo "SKIPPED: $tool is not installed (scripts/install-deps.sh --test)"; exit 77; }
done
[ -x /usr/lib/postgresql/15/bin/initdb ] || { echo "SKIPPED: PostgreSQL 15 is not installed"; exit 77; }

work=${2:-$(mktemp -d /tmp/opz-ha-test.XXXXXX)}
mkdir -p "$work"
cluster=$work/cluster
cleanup() { "$here/../support/patroni.sh" stop "$cluster" >/dev/null 2>&1 || true; }
trap cleanup EXIT

start=$(date +%s)
url=$("$here/../support/patroni.sh" start "$cluster")
echo "cluster up in $(($(date +%s) - start)) s: $url"
python3 "$here/patroni_failover.py" --bin "$bin" --url "$url" --cluster "$cluster" \
  --patroni "$here/../support/patroni.sh" --work "$work"
