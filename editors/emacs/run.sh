#!/usr/bin/env bash
# Runs the eglot recipe's test in a real headless Emacs (Debian: emacs-nox,
# elpa-eglot, elpa-markdown-mode) on a scratch copy of the example site, made a git
# repository as sites are, so that eglot's project root is the site.
# Usage: run.sh [SERVER_BINARY] [SITE_DIR]   (defaults: copydesk on PATH, examples/hexo-site)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-$(command -v copydesk || true)}"
site="${2:-$here/../../examples/hexo-site}"
[ -x "$bin" ] || { echo "emacs test: server binary not found (pass it as \$1)" >&2; exit 2; }
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp -r "$site/." "$scratch/"
git -C "$scratch" init -q
COPYDESK_BIN="$bin" COPYDESK_SITE="$(cd "$scratch" && pwd -P)" HOME="$scratch/home" \
  timeout 120 emacs --batch -l "$here/test.el"
