#!/usr/bin/env bash
# Packs the npm packages (npm/copydesk, the launcher; npm/cli-linux-x64, the binary)
# from staging copies outside the repository with the release binary and the licences
# copied in, installs both tarballs into a temporary project, and runs
# `npx copydesk --version` and `npx copydesk check` on a copy of examples/hexo-site there.
# Usage: npm-check.sh [BINARY]   (default: $CARGO_TARGET_DIR/release/copydesk, built if missing)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
binary="${1:-${CARGO_TARGET_DIR:-$repo/target}/release/copydesk}"
if [ ! -x "$binary" ]; then
  (cd "$repo" && cargo build --release --locked --quiet)
fi
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] ||
  { echo "npm-check: only the linux-x64 package is built here" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/stage" "$work/tarballs"
for package in copydesk cli-linux-x64; do
  cp -r "$repo/npm/$package" "$work/stage/$package"
  cp "$repo/LICENSE-MIT" "$repo/LICENSE-APACHE" "$work/stage/$package/"
done
mkdir -p "$work/stage/cli-linux-x64/bin"
# The release profile keeps line tables for backtraces; the published binary does without.
if command -v strip >/dev/null 2>&1; then
  strip -o "$work/stage/cli-linux-x64/bin/copydesk" "$binary"
else
  cp "$binary" "$work/stage/cli-linux-x64/bin/copydesk"
fi

for package in copydesk cli-linux-x64; do
  (cd "$work/stage/$package" && npm pack --silent --pack-destination "$work/tarballs" >/dev/null)
done
ls "$work/tarballs"
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
  grep -Eq '^copydesk [0-9]+\.[0-9]+\.[0-9]+' <<<"$version" || { echo "unexpected version: $version" >&2; exit 1; }
  bash "$repo/.ci/expect-example-findings.sh" . npx --no-install copydesk
)
echo "npm-check: ok"
