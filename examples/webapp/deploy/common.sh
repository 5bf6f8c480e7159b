# Shared by the deploy scripts (sourced, not run). Everything lives under
# WEBAPP_HOME; the router listens on WEBAPP_PORT_BASE, the blue slot on
# base+1 and the green slot on base+2, all on 127.0.0.1.
#   $WEBAPP_HOME/releases/<commit>/   what the build node made (app + VERSION)
#   $WEBAPP_HOME/run/<slot>.pid|.log|.release   the instance running in a slot
#   $WEBAPP_HOME/router/              nginx: config, upstream.conf, pid, logs

WEBAPP_HOME=${WEBAPP_HOME:-/tmp/opzenix-webapp}
WEBAPP_PORT_BASE=${WEBAPP_PORT_BASE:-8180}
ROUTER_DIR=$WEBAPP_HOME/router
RUN_DIR=$WEBAPP_HOME/run
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

die() {
  echo "$*" >&2
  exit 1
}

slot_port() {
  case "$1" in
    blue) echo $((WEBAPP_PORT_BASE + 1)) ;;
    green) echo $((WEBAPP_PORT_BASE + 2)) ;;
    *) die "unknown slot '$1' (blue or green)" ;;
  esac
}

# The release a deployment ships: the build of its commit.
release_dir() {
  echo "$WEBAPP_HOME/releases/${OPZENIX_COMMIT_SHA:-local}"
}

# Stops the instance running in slot $1, if any.
stop_slot() {
  pidfile=$RUN_DIR/$1.pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill "$pid" 2>/dev/null; then
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
      sleep 0.1
      i=$((i + 1))
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile" "$RUN_DIR/$1.release"
}

# Waits until something answers HTTP on 127.0.0.1:$1 (any status), at most $2 seconds.
wait_for_http() {
  i=0
  while [ $i -lt $(($2 * 10)) ]; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/health" || true)
    [ "$code" != "000" ] && return 0
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}

nginx_cmd() {
  "$NGINX" -p "$ROUTER_DIR/" -c "$ROUTER_DIR/nginx.conf" -e "$ROUTER_DIR/error.log" "$@"
}

# Writes the upstream servers ($1: the `server ...;` lines), reloads nginx and
# waits until the change is live: the new workers answer (each reload gets a
# new generation, served at /router-generation) and the old ones, which keep
# serving the old upstream for a moment (the master lets them run ~100 ms
# after starting the new ones, then they finish what is in flight), exited.
apply_upstream() {
  generation=$(($(cat "$ROUTER_DIR/generation" 2>/dev/null || echo 0) + 1))
  printf '%s\n' "$1" >"$ROUTER_DIR/upstream.conf.new"
  printf 'location = /router-generation { return 200 "%s\\n"; }\n' "$generation" \
    >"$ROUTER_DIR/generation.conf.new"
  cp "$ROUTER_DIR/upstream.conf" "$ROUTER_DIR/upstream.conf.prev"
  mv "$ROUTER_DIR/upstream.conf.new" "$ROUTER_DIR/upstream.conf"
  mv "$ROUTER_DIR/generation.conf.new" "$ROUTER_DIR/generation.conf"
  if ! nginx_cmd -t -q; then
    mv "$ROUTER_DIR/upstream.conf.prev" "$ROUTER_DIR/upstream.conf"
    die "nginx rejected the new upstream: $1"
  fi
  echo "$generation" >"$ROUTER_DIR/generation"
  old_workers=$(pgrep -P "$(cat "$ROUTER_DIR/nginx.pid")" || true)
  nginx_cmd -s reload
  i=0
  while [ $i -lt 200 ]; do
    seen=$(curl -s "http://127.0.0.1:$WEBAPP_PORT_BASE/router-generation" || true)
    old_alive=""
    for pid in $old_workers; do
      kill -0 "$pid" 2>/dev/null && old_alive="$pid"
    done
    [ "$seen" = "$generation" ] && [ -z "$old_alive" ] && return 0
    sleep 0.05
    i=$((i + 1))
  done
  die "nginx did not switch to generation $generation within 10 s"
}
