#!/usr/bin/env bash
# Packs the npm packages into OUT_DIR: npm/copydesk (the launcher) and
# npm/cli-linux-x64 (the binary), from staging copies outside the repository with
# the release binary (stripped) and the licences copied in.
# Usage: npm-pack.sh OUT_DIR [BINARY]   (default: $CARGO_TARGET_DIR/release/copydesk, built if missing)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:?usage: npm-pack.sh OUT_DIR [BINARY]}" && cd "$1" && pwd)"
binary="${2:-${CARGO_TARGET_DIR:-$repo/target}/release/copydesk}"
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] ||
  { echo "npm-pack: only the linux-x64 package is built here" >&2; exit 1; }
if [ ! -x "$binary" ]; then
  (cd "$repo" && cargo build --release --locked --quiet)
fi

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
for package in copydesk cli-linux-x64; do
  cp -r "$repo/npm/$package" "$stage/$package"
  cp "$repo/LICENSE-MIT" "$repo/LICENSE-APACHE" "$stage/$package/"
done
mkdir -p "$stage/cli-linux-x64/bin"
# The release profile keeps line tables for backtraces; the published binary does without.
if command -v strip >/dev/null 2>&1; then
  strip -o "$stage/cli-linux-x64/bin/copydesk" "$binary"
else
  cp "$binary" "$stage/cli-linux-x64/bin/copydesk"
fi
for package in copydesk cli-linux-x64; do
  (cd "$stage/$package" && npm pack --silent --pack-destination "$out" >/dev/null)
done
ls "$out"/copydesk-*.tgz
