#!/usr/bin/env bash
# Copy the browser libraries pinned in package.json into static/vendor/ (served by the
# static pipeline: collectstatic, hashed names, WhiteNoise; never a CDN). Run after
# changing a version in package.json, then commit static/vendor/. Needs npm; the app and
# its tests do not (the copied files are in the repository).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(python3 -c 'import json; print(json.load(open("package.json"))["dependencies"]["chart.js"])')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# npm pack fetches the registry's tarball and checks its integrity hash.
npm pack --silent --pack-destination "$work" "chart.js@${version}" >/dev/null
tar -xzf "$work"/chart.js-"${version}".tgz -C "$work"
mkdir -p static/vendor/chart.js
# The source map is not shipped: drop the comment naming it, or the hashed-name build
# (ManifestStaticFilesStorage) would look for the missing file.
grep -v '^//# sourceMappingURL=' "$work"/package/dist/chart.umd.min.js > static/vendor/chart.js/chart.umd.min.js
cp "$work"/package/LICENSE.md static/vendor/chart.js/LICENSE.md
echo "chart.js ${version} -> static/vendor/chart.js/"
