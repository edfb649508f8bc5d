#!/usr/bin/env bash
# Refresh the vendored Chart.js from the npm registry.
#   scripts/vendor-chartjs.sh [VERSION]   (default: the newest 4.x)
# Copies the minified UMD build and its licence into static/vendor/chartjs/<version>/ and
# drops the source-map comment (the map is not shipped).
set -euo pipefail
cd "$(dirname "$0")/.."

spec="chart.js@${1:-4}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "$spec" >/dev/null && tar xzf chart.js-*.tgz)
version=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$work/package/package.json")
dest="static/vendor/chartjs/$version"

rm -rf static/vendor/chartjs
mkdir -p "$dest"
sed -e 's#//\# sourceMappingURL=.*$##' "$work/package/dist/chart.umd.min.js" > "$dest/chart.umd.min.js"
cp "$work/package/LICENSE.md" "$dest/LICENSE.md"
printf '%s\n' "$version" > static/vendor/chartjs/VERSION
echo "Vendored chart.js $version into $dest"
