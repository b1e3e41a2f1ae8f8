#!/bin/sh
# Fetch the pinned front-end files with npm and copy them under static/vendor (committed; no CDN at run time).
set -eu
HTMX=2.0.11
ECHARTS=6.1.0
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "htmx.org@$HTMX" >/dev/null
tar xzf "htmx.org-$HTMX.tgz"
dest="$here/src/civicplan/web/static/vendor/htmx"
mkdir -p "$dest"
cp package/dist/htmx.min.js package/LICENSE "$dest/"
echo "vendored htmx $HTMX into $dest"
npm pack --silent "echarts@$ECHARTS" >/dev/null
rm -rf package && tar xzf "echarts-$ECHARTS.tgz"
dest="$here/src/civicplan/web/static/vendor/echarts"
mkdir -p "$dest"
cp package/dist/echarts.min.js package/LICENSE package/NOTICE "$dest/"
echo "vendored echarts $ECHARTS into $dest"
