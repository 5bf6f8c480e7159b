#!/bin/sh
# usage: npm_pinned.sh DIR PACKAGE VERSION
# Installs DIR's pinned npm dependencies (`npm ci` from its package-lock.json)
# unless PACKAGE is already installed there at VERSION. Idempotent; exits
# non-zero when PACKAGE is still not at VERSION afterwards (no node/npm, no
# registry), so callers can skip the tests that need it, saying so.
set -eu
cd "$1"
# installed PACKAGE VERSION
installed() {
  node -e '
    const v = (p) => JSON.parse(require("fs").readFileSync(p, "utf8")).version;
    process.exit(v(`node_modules/${process.argv[1]}/package.json`) === process.argv[2] ? 0 : 1);' "$1" "$2" 2>/dev/null
}
if ! installed "$2" "$3"; then
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
installed "$2" "$3"
