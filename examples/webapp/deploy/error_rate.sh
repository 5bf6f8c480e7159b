#!/bin/sh
# Canary analysis: sends 20 requests straight to the canary in slot
# $OPZENIX_SLOT (not through the router, which retries failures on the
# stable version) and prints the fraction that failed, e.g. 0.30.
# One curl, one kept-alive connection: a sample takes milliseconds.
set -eu
. "$(dirname "$0")/common.sh"

url="http://127.0.0.1:$(slot_port "${OPZENIX_SLOT:?the canary slot}")/?sample=[1-20]"
curl -s --max-time 5 -o /dev/null -w '%{http_code}\n' "$url" |
  awk '$1 != 200 { failed++ } END { printf "%.2f\n", (failed + (20 - NR)) / 20 }'
