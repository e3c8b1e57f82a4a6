#!/usr/bin/env bash
# Packs the npm packages (.ci/npm-pack.sh: npm/copydesk, the launcher; npm/cli-linux-x64,
# the binary), checks what the tarballs hold, installs both into a temporary project, and
# runs `npx copydesk --version` and `npx copydesk check` on a copy of examples/hexo-site there.
# Usage: npm-check.sh [BINARY]   (default: $CARGO_TARGET_DIR/release/copydesk, built if missing)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bash "$repo/.ci/npm-pack.sh" "$work/tarballs" "$@"
launcher_tgz="$(ls "$work"/tarballs/copydesk-[0-9]*.tgz)"
binary_tgz="$(ls "$work"/tarballs/copydesk-cli-linux-x64-*.tgz)"
# Each tarball holds its package.json, README, licences and its one executable.
for tarball in "$launcher_tgz" "$binary_tgz"; do
  contents="$(tar -tzf "$tarball" | sort | tr '\n' ' ')"
  executable="package/bin/copydesk.js"
  [ "$tarball" = "$binary_tgz" ] && executable="package/bin/copydesk"
  expected="package/LICENSE-APACHE package/LICENSE-MIT package/README.md $executable package/package.json "
  [ "$contents" = "$expected" ] ||
    { echo "unexpected contents of $(basename "$tarball"): $contents (expected $expected)" >&2; exit 1; }
done
echo "tarballs: $(du -k "$launcher_tgz" | cut -f1) KB launcher, $(du -k "$binary_tgz" | cut -f1) KB binary"

# A Node site that adds copydesk as a dev dependency. The platform package is installed
# from its tarball too (it is not on the registry yet), so no registry is needed.
project="$work/project"
cp -r "$repo/examples/hexo-site" "$project"
(
  cd "$project"
  echo '{"name":"copydesk-npm-check","private":true}' >package.json
  echo 'node_modules/' >.gitignore # as in any Node project; copydesk honours it
  npm install --save-dev --offline --no-audit --no-fund --loglevel=error "$binary_tgz" "$launcher_tgz"
  version="$(npx --no-install copydesk --version)"
  echo "npx copydesk --version: $version"
  expected_version="$(bash "$repo/.ci/expected-version.sh")"
  [ "$version" = "$expected_version" ] || { echo "--version says $version, expected $expected_version" >&2; exit 1; }
  bash "$repo/.ci/expect-example-findings.sh" . npx --no-install copydesk
)
echo "npm-check: ok"
