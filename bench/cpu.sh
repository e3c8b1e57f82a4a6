#!/usr/bin/env bash
# CPU time of `copydesk check` per binary, for comparing changes on a shared
# machine: user+sys seconds move little with the load, wall-clock time does not.
#
#   bash bench/cpu.sh SITE RUNS BIN [BIN...]
#
# SITE is a generated site (`python3 bench/gen_site.py corpus ../shared/corpus
# /tmp/site10k 10000`). Prints, per binary and command line, the median and the
# lowest user+sys seconds of RUNS interleaved runs and the peak RSS.
set -euo pipefail
if [ $# -lt 3 ]; then
    echo "usage: bash bench/cpu.sh SITE RUNS BIN [BIN...]" >&2
    exit 2
fi
SITE=$1
RUNS=$2
shift 2
TIMES=$(mktemp -d)
trap 'rm -rf "$TIMES"' EXIT
COMMANDS=("check" "check --select FM" "check --statistics" "check --format json")
for run in $(seq "$RUNS"); do
    for c in "${!COMMANDS[@]}"; do
        for b in $(seq $#); do
            bin=${!b}
            # Findings make `check` exit 1; only the times matter here.
            # shellcheck disable=SC2086
            (cd "$SITE" && /usr/bin/time -f '%U %S %M' -a -o "$TIMES/$b-$c" "$bin" ${COMMANDS[$c]} >/dev/null 2>&1) || true
        done
    done
done
for c in "${!COMMANDS[@]}"; do
    for b in $(seq $#); do
        python3 - "$TIMES/$b-$c" "${!b}" "${COMMANDS[$c]}" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line[:1].isdigit()]
cpu = [float(user) + float(system) for user, system, _ in rows]
rss = max(int(kb) for _, _, kb in rows) // 1024
print(f"{sys.argv[2]:<40} {sys.argv[3]:<22} cpu median {statistics.median(cpu):.2f} s"
      f" (lowest {min(cpu):.2f} s), peak RSS {rss} MB")
PY
    done
done
