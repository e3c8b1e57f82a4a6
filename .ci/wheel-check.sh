#!/usr/bin/env bash
# Builds the binary wheel (pyproject.toml, maturin `bindings = "bin"`), installs it
# into a fresh venv and runs the installed `copydesk` there: `--version`, then
# `check` on a copy of examples/hexo-site outside the repository.
# maturin comes from PyPI into a cached venv ($COPYDESK_DIST_CACHE, default
# ~/.cache/copydesk-dist); the build reuses $CARGO_TARGET_DIR (default target/), so
# after `cargo build --release` only the final link step is left.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cache="${COPYDESK_DIST_CACHE:-$HOME/.cache/copydesk-dist}"
mkdir -p "$cache"

maturin_venv="$cache/maturin-venv"
if [ ! -x "$maturin_venv/bin/maturin" ]; then
  python3 -m venv "$maturin_venv"
  "$maturin_venv/bin/pip" install -q --disable-pip-version-check 'maturin>=1.7,<2'
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$repo" && "$maturin_venv/bin/maturin" build --release --locked --quiet --out "$work/wheels") >&2
wheel="$(ls "$work"/wheels/copydesk-*.whl)"
echo "wheel: $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KB)"

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check --no-index "$wheel"
installed="$work/venv/bin/copydesk"
[ -x "$installed" ] || { echo "the wheel installed no copydesk command" >&2; exit 1; }

version="$("$installed" --version)"
echo "installed: $version"
expected_version="$(bash "$repo/.ci/expected-version.sh")"
[ "$version" = "$expected_version" ] || { echo "--version says $version, expected $expected_version" >&2; exit 1; }

cp -r "$repo/examples/hexo-site" "$work/site"
(cd "$work" && bash "$repo/.ci/expect-example-findings.sh" site "$installed")
echo "wheel-check: ok"
