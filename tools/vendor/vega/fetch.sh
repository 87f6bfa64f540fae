#!/usr/bin/env bash
# Re-fetch the Vega charting libraries the campaign report inlines (graphinflu/templates/vendor/vega/).
#
# Pinned npm versions; each tarball is checked against tarballs.sha256 before anything is copied,
# and the copied files against files.sha256 (tests/test_report.py checks those too). Only the
# minified UMD builds and the licences are kept. vega-embed's build already bundles
# vega-interpreter (the CSP-safe expression evaluator the report uses with `ast: true`) and
# vega-tooltip, so three scripts are all the page needs.
#
# To upgrade: change the versions below, run with --update to rewrite both checksum files, then
# review the diff and run the report tests (tests/test_report*.py).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/../../../graphinflu/templates/vendor/vega"
PACKAGES=(vega@6.4.0 vega-lite@6.5.0 vega-embed@7.3.0)
update=0; [ "${1:-}" = "--update" ] && update=1

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cd "$work"
for p in "${PACKAGES[@]}"; do npm pack --silent "$p" >/dev/null; done
if [ $update = 1 ]; then sha256sum ./*.tgz > "$here/tarballs.sha256"; fi
sha256sum --check --quiet "$here/tarballs.sha256"

mkdir -p "$dest"
for p in "${PACKAGES[@]}"; do
  name="${p%@*}"; version="${p#*@}"
  mkdir -p "x/$name" && tar xzf "$name-$version.tgz" -C "x/$name"
  cp "x/$name/package/build/$name.min.js" "$dest/$name.min.js"
  cp "x/$name/package/LICENSE" "$dest/LICENSE-$name.txt"
done
printf '%s\n' "${PACKAGES[@]}" > "$dest/VERSIONS.txt"
cd "$dest"
if [ $update = 1 ]; then sha256sum ./*.js ./*.txt > "$here/files.sha256"; fi
sha256sum --check --quiet "$here/files.sha256"
echo "vendored into $dest: ${PACKAGES[*]}"
