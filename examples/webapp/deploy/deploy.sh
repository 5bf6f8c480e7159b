#!/bin/sh
# The deploy command: starts this deployment's release in slot $OPZENIX_SLOT
# (blue when unset) on the slot's port, replacing what ran there. It does
# not touch the router: the switch (blue-green) or the weights (canary) do.
#
# The instance must outlive this step (the runner ends the step's process
# group when the step ends), so it runs in its own session (setsid), with a
# clean environment and its output in $WEBAPP_HOME/run/<slot>.log.
set -eu
. "$(dirname "$0")/common.sh"

slot=${OPZENIX_SLOT:-blue}
port=$(slot_port "$slot")
release=$(release_dir)
[ -f "$release/app.py" ] || die "no release at $release: the build node makes it"
version=$(cat "$release/VERSION")

mkdir -p "$RUN_DIR"
stop_slot "$slot"
env -i PATH="$PATH" PORT="$port" VERSION="$version" PIDFILE="$RUN_DIR/$slot.pid" \
  setsid python3 "$release/app.py" </dev/null >>"$RUN_DIR/$slot.log" 2>&1 &
echo "$release" >"$RUN_DIR/$slot.release"
wait_for_http "$port" 10 || die "webapp $version did not start on port $port (see $RUN_DIR/$slot.log)"
echo "webapp $version runs in slot $slot on 127.0.0.1:$port"
