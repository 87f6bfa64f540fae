#!/usr/bin/env bash
# Re-fetch the WebGL map renderer from npm and vendor its minified builds (with their licences) into
# graphinflu/templates/vendor/, checking every file against tools/vendor/SHA256SUMS.
#
#   tools/vendor/update.sh            fetch the pinned versions and verify them (fails on any mismatch)
#   tools/vendor/update.sh --bump     after changing the versions below: fetch, then rewrite SHA256SUMS
#
# npm checks each tarball against the registry's sha512 integrity; SHA256SUMS pins the files we ship.
# Only the browser builds are kept: sigma's UMD bundle (global `Sigma`, with its `rendering` programs)
# and graphology's UMD bundle (global `graphology`); nothing is installed into node_modules.
set -euo pipefail
SIGMA=3.0.2
GRAPHOLOGY=0.26.0

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dest="$root/graphinflu/templates/vendor"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "sigma@$SIGMA" "graphology@$GRAPHOLOGY" >/dev/null)
mkdir -p "$tmp/sigma" "$tmp/graphology"
tar -xzf "$tmp/sigma-$SIGMA.tgz" -C "$tmp/sigma"
tar -xzf "$tmp/graphology-$GRAPHOLOGY.tgz" -C "$tmp/graphology"

mkdir -p "$tmp/out"
cp "$tmp/sigma/package/dist/sigma.min.js" "$tmp/out/sigma.min.js"
cp "$tmp/sigma/package/LICENSE.txt" "$tmp/out/sigma.LICENSE.txt"
cp "$tmp/graphology/package/dist/graphology.umd.min.js" "$tmp/out/graphology.umd.min.js"
cp "$tmp/graphology/package/LICENSE.txt" "$tmp/out/graphology.LICENSE.txt"
printf 'sigma %s\ngraphology %s\n' "$SIGMA" "$GRAPHOLOGY" > "$tmp/out/VERSIONS"

if [ "${1:-}" = "--bump" ]; then
  (cd "$tmp/out" && sha256sum sigma.min.js sigma.LICENSE.txt graphology.umd.min.js graphology.LICENSE.txt VERSIONS) > "$here/SHA256SUMS"
fi
(cd "$tmp/out" && sha256sum --quiet -c "$here/SHA256SUMS")
mkdir -p "$dest"
cp "$tmp/out/"* "$dest/"
echo "vendored sigma $SIGMA and graphology $GRAPHOLOGY into ${dest#$root/}"
