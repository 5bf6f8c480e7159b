#!/bin/sh
# The pre-deploy migration hook. The example has no database: it records
# when each attempt starts and ends in
# $WEBAPP_HOME/migrations/<deployment>.attempts and, to show the hook's retry
# with backoff, fails the first $WEBAPP_MIGRATE_FAILURES attempts of every
# deployment (default 0).
set -eu
. "$(dirname "$0")/common.sh"

mkdir -p "$WEBAPP_HOME/migrations"
log=$WEBAPP_HOME/migrations/${OPZENIX_DEPLOYMENT_ID:-local}.attempts
echo "start $(date +%s.%N)" >>"$log"
attempt=$(grep -c '^start' "$log")
if [ "$attempt" -le "${WEBAPP_MIGRATE_FAILURES:-0}" ]; then
  echo "end $(date +%s.%N) failed" >>"$log"
  die "migration attempt $attempt failed (simulated: WEBAPP_MIGRATE_FAILURES=$WEBAPP_MIGRATE_FAILURES)"
fi
echo "end $(date +%s.%N) applied" >>"$log"
echo "migration applied on attempt $attempt"
