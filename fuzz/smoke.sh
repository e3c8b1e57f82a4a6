#!/usr/bin/env bash
# A brief run of every fuzz target (FUZZ_SECONDS each, default 5) from a fresh seed
# corpus; fails on the first crash. Needs the nightly toolchain and cargo-fuzz.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${FUZZ_SECONDS:-5}"
bash "$here/seed.sh"
cd "$here/.."
for target in analyse fix frontmatter positions frames; do
  cargo +nightly fuzz run "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=4096 -print_final_stats=1
done
