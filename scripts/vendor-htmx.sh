#!/usr/bin/env bash
# Refresh the vendored htmx from the npm registry.
#   scripts/vendor-htmx.sh [VERSION]   (default: the newest 2.x)
# Copies the minified script into static/vendor/htmx/<version>/ with its package.json and
# licence, without the source-map comment (the maps are not shipped), and writes the
# version to static/vendor/htmx/VERSION, where the templates read it
# (pcn_portal/context_processors.py).
set -euo pipefail
cd "$(dirname "$0")/.."

spec="htmx.org@${1:-2}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "$spec" >/dev/null && tar xzf htmx.org-*.tgz)
version=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$work/package/package.json")
dest="static/vendor/htmx/$version"

rm -rf static/vendor/htmx
mkdir -p "$dest"
sed -e 's#//\# sourceMappingURL=.*$##' "$work/package/dist/htmx.min.js" > "$dest/htmx.min.js"
cp "$work/package/package.json" "$dest/package.json"
cp "$work/package/LICENSE" "$dest/LICENSE" 2>/dev/null || true
printf '%s\n' "$version" > static/vendor/htmx/VERSION
echo "Vendored htmx $version into $dest"
