#!/bin/sh
# Stops the router and the instances in both slots of this WEBAPP_HOME.
set -eu
. "$(dirname "$0")/common.sh"

if [ -f "$ROUTER_DIR/nginx.pid" ]; then
  nginx_cmd -s quit 2>/dev/null || true
  i=0
  while [ -f "$ROUTER_DIR/nginx.pid" ] && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
  done
fi
if [ "${1:-}" = "--all" ]; then
  stop_slot blue
  stop_slot green
fi
