#!/usr/bin/env bash
# Runs the copydesk Neovim plugin test in a real headless Neovim (0.11+), both
# ways of starting the server: vim.lsp.enable('copydesk') and require('copydesk').setup().
# Usage: run.sh [SERVER_BINARY] [SITE_DIR]   (defaults: copydesk on PATH, examples/hexo-site)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-$(command -v copydesk || true)}"
site="${2:-$here/../../../examples/hexo-site}"
[ -x "$bin" ] || { echo "nvim test: server binary not found (pass it as \$1)" >&2; exit 2; }
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
nvim="${NVIM:-nvim}"
# The help file must build its tags without errors (duplicate or broken tags).
helptags_errors="$("$nvim" --headless --clean -c "helptags $here/../doc" -c 'qa!' 2>&1)"
[ -z "$helptags_errors" ] || { echo "nvim test: :helptags failed: $helptags_errors" >&2; exit 1; }
status=0
for mode in enable setup; do
  scratch="$(mktemp -d)"
  cp -r "$site/." "$scratch/"
  scratch="$(cd "$scratch" && pwd -P)"
  COPYDESK_BIN="$bin" COPYDESK_SITE="$scratch" COPYDESK_MODE="$mode" \
    timeout 180 "$nvim" --headless --clean -c "luafile $here/e2e.lua" || status=$?
  rm -rf "$scratch"
  [ "$status" -eq 0 ] || break
done
exit "$status"
