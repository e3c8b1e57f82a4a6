#!/usr/bin/env bash
# Distribution checks, after the test suite: what `cargo package` would publish, the
# binary wheel in a fresh venv, and the npm packages through npx. Builds the release
# binary once (editors/ci.sh reuses it) and prints each check's time.
set -euo pipefail
cd "$(dirname "$0")/.."
timings=()
timed() {
  local name="$1" started
  shift
  started=$(date +%s)
  echo "==> $name" >&2
  "$@"
  timings+=("$name: $(($(date +%s) - started)) s")
}
timed "release build" cargo build --release --locked --quiet
timed "crate contents" bash .ci/package-check.sh
timed "wheel" bash .ci/wheel-check.sh
timed "npm packages" bash .ci/npm-check.sh
printf '  %s\n' "${timings[@]}" >&2
