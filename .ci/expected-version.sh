#!/usr/bin/env bash
# Prints what `copydesk --version` of a release build of this checkout says:
# `copydesk <Cargo.toml version> (<short commit>)`, without the commit outside git.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd -P)"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/Cargo.toml" | head -1)"
top="$(git -C "$repo" rev-parse --show-toplevel 2>/dev/null || true)"
if [ -n "$top" ] && [ "$(cd "$top" && pwd -P)" = "$repo" ]; then
  echo "copydesk $version ($(git -C "$repo" rev-parse --short HEAD))"
else
  echo "copydesk $version"
fi
