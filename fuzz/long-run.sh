#!/usr/bin/env bash
# The long fuzzing campaign: every target in turn for FUZZ_SECONDS (default 660),
# niced, from the corpus seed.sh made (and grown by earlier runs), with the binaries
# `cargo +nightly fuzz build` left in fuzz/target (so editing the crate meanwhile does
# not rebuild under the run). A crash stops only its own target; the campaign goes on.
# Each run's log goes to fuzz/logs/<target>.log and its final line (executions,
# coverage, corpus) to fuzz/logs/summary.txt. TARGETS="fix frames" narrows it.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${FUZZ_SECONDS:-660}"
bin="$here/target/x86_64-unknown-linux-gnu/release"
mkdir -p "$here/logs"
for target in ${TARGETS:-analyse fix frontmatter positions frames}; do
  mkdir -p "$here/corpus/$target" "$here/artifacts/$target"
  log="$here/logs/$target.log"
  started="$(date -u +%H:%M:%S)"
  nice -n 5 "$bin/$target" "$here/corpus/$target" \
    -artifact_prefix="$here/artifacts/$target/" -max_total_time="$seconds" \
    -rss_limit_mb=4096 -timeout=30 -print_final_stats=1 >"$log" 2>&1
  status=$?
  {
    printf '%s %s-%s exit %s: ' "$target" "$started" "$(date -u +%H:%M:%S)" "$status"
    grep -E '^#[0-9]+' "$log" | tail -1
    grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$log" | tr '\n' ' '
    echo
  } >>"$here/logs/summary.txt"
done
