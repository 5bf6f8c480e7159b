#!/bin/sh
# The build node: checks the app and copies it into the release of this
# commit, $WEBAPP_HOME/releases/$OPZENIX_COMMIT_SHA. Deploys and rollbacks
# start releases, so a rollback needs neither a checkout nor a rebuild.
set -eu
. "$(dirname "$0")/common.sh"

python3 -m py_compile app.py
release=$(release_dir)
mkdir -p "$WEBAPP_HOME/releases"
rm -rf "$release.tmp"
mkdir "$release.tmp"
cp app.py VERSION "$release.tmp/"
[ -f behaviour ] && cp behaviour "$release.tmp/"
rm -rf "$release"
mv "$release.tmp" "$release"
echo "built webapp $(cat VERSION) into $release"
