#!/bin/sh
# The health check: GET /health of the instance in slot $OPZENIX_SLOT.
set -eu
. "$(dirname "$0")/common.sh"

curl -fsS --max-time 2 "http://127.0.0.1:$(slot_port "${OPZENIX_SLOT:-blue}")/health"
