#!/bin/sh
# Blue-green switch: all traffic to slot $OPZENIX_SLOT (also the switch
# back on a rollback, with OPZENIX_SLOT = the previous slot).
set -eu
. "$(dirname "$0")/common.sh"

slot=${OPZENIX_SLOT:?the slot to switch to}
apply_upstream "server 127.0.0.1:$(slot_port "$slot");"
echo "router: all traffic to $slot"
