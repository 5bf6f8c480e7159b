#!/bin/sh
# Canary weights: $OPZENIX_CANARY_WEIGHT percent of the traffic to the
# canary in slot $OPZENIX_SLOT, the rest to the stable version in
# $OPZENIX_PREVIOUS_SLOT. nginx has no weight 0, so a server at 0 is left
# out (weight 0: stable only; 100, or no stable version yet: canary only).
# max_fails=0: nginx would otherwise take the canary out of the rotation for
# 10 s after its first error; here the analysis decides, not nginx.
set -eu
. "$(dirname "$0")/common.sh"

canary=${OPZENIX_SLOT:?the canary slot}
stable=${OPZENIX_PREVIOUS_SLOT:-}
weight=${OPZENIX_CANARY_WEIGHT:?the canary weight}
[ "$weight" -ge 0 ] && [ "$weight" -le 100 ] || die "weight $weight is not 0..100"

if [ -z "$stable" ]; then
  servers="server 127.0.0.1:$(slot_port "$canary") max_fails=0;"
elif [ "$weight" -eq 0 ]; then
  servers="server 127.0.0.1:$(slot_port "$stable") max_fails=0;"
elif [ "$weight" -eq 100 ]; then
  servers="server 127.0.0.1:$(slot_port "$canary") max_fails=0;"
else
  servers="server 127.0.0.1:$(slot_port "$stable") weight=$((100 - weight)) max_fails=0;
server 127.0.0.1:$(slot_port "$canary") weight=$weight max_fails=0;"
fi
apply_upstream "$servers"
echo "router: canary $canary at $weight%${stable:+, stable $stable at $((100 - weight))%}"
