#!/bin/sh
# Blue-green cleanup: stops the instance in slot $OPZENIX_SLOT (the
# previous slot, cleanup_delay after the switch) unless the router still
# sends traffic there.
set -eu
. "$(dirname "$0")/common.sh"

slot=${OPZENIX_SLOT:?the slot to clean up}
port=$(slot_port "$slot")
if grep -q "127.0.0.1:$port" "$ROUTER_DIR/upstream.conf" 2>/dev/null; then
  die "slot $slot still gets traffic; not stopping it"
fi
stop_slot "$slot"
echo "stopped slot $slot"
