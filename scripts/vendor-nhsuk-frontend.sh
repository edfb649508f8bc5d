#!/usr/bin/env bash
# Refresh the vendored NHS.UK frontend from the npm registry.
#   scripts/vendor-nhsuk-frontend.sh [VERSION]   (default: the newest 10.x)
# Copies the compiled CSS, the ES module and the image assets into
# static/vendor/nhsuk-frontend/<version>/, rewrites the CSS's absolute /assets/ paths to
# relative ones so collectstatic's manifest storage can resolve them, and drops source-map
# comments (the maps are not shipped).
set -euo pipefail
cd "$(dirname "$0")/.."

spec="nhsuk-frontend@${1:-10}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "$spec" >/dev/null && tar xzf nhsuk-frontend-*.tgz)
version=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$work/package/package.json")
src="$work/package/dist/nhsuk"
dest="static/vendor/nhsuk-frontend/$version"

rm -rf static/vendor/nhsuk-frontend
mkdir -p "$dest/assets"
cp -r "$src/assets/images" "$dest/assets/"
cp "$src/assets/manifest.json" "$dest/assets/"
sed -e 's#url(/assets/#url(assets/#g' -e '/sourceMappingURL/d' \
    "$src/nhsuk-frontend.min.css" > "$dest/nhsuk-frontend.min.css"
sed -e 's#//\# sourceMappingURL=.*$##' "$src/nhsuk-frontend.min.js" > "$dest/nhsuk-frontend.min.js"
cp "$work/package/package.json" "$dest/package.json"
printf '%s\n' "$version" > static/vendor/nhsuk-frontend/VERSION
echo "Vendored nhsuk-frontend $version into $dest"
