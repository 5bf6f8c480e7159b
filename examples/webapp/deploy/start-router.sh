#!/bin/sh
# Starts nginx as the router on 127.0.0.1:$WEBAPP_PORT_BASE (stopping one
# this WEBAPP_HOME started before). Until the first deployment switches
# traffic, the upstream points at the blue slot, which answers 502 while
# nothing runs there.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

mkdir -p "$ROUTER_DIR/tmp" "$RUN_DIR"
"$here/stop-router.sh"
user=""
[ "$(id -u)" = 0 ] && user="user root;"  # workers must read $WEBAPP_HOME (often 0700)
sed -e "s|@ROUTER_DIR@|$ROUTER_DIR|g" -e "s|@PORT@|$WEBAPP_PORT_BASE|g" -e "s|@USER@|$user|" \
  "$here/nginx.conf" >"$ROUTER_DIR/nginx.conf"
[ -f "$ROUTER_DIR/upstream.conf" ] ||
  echo "server 127.0.0.1:$(slot_port blue);" >"$ROUTER_DIR/upstream.conf"
echo 0 >"$ROUTER_DIR/generation"
printf 'location = /router-generation { return 200 "0\\n"; }\n' >"$ROUTER_DIR/generation.conf"
nginx_cmd
echo "router on http://127.0.0.1:$WEBAPP_PORT_BASE/ ($ROUTER_DIR)"
