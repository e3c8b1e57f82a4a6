#!/usr/bin/env bash
# Findings per rule over the real sites (../shared/sites) and the imported
# corpus (../shared/corpus), and a deterministic sample of findings per rule,
# with the flagged text and its line, written for review.
# Usage: bench/precision.sh [SAMPLES_FILE] [PER_RULE]
#   (default: target/precision-samples.md, 20 findings per rule)
# EXTRA_SITES="/tmp/unseen/a /tmp/unseen/b" adds site roots checked the same
# way (their columns are named +<folder>); SHARED=0 leaves out the shared
# sites and the corpus, so the unseen sites get their own table and samples.
# Uses $COPYDESK_BIN, else the newer of target/{release,debug}/copydesk.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
shared="$repo/../shared"
[ -d "$shared/sites" ] || shared=/work/shared
target="${CARGO_TARGET_DIR:-$repo/target}"
bin="${COPYDESK_BIN:-$( (ls -t "$target"/release/copydesk "$target"/debug/copydesk 2>/dev/null || true) | head -1)}"
samples="${1:-$repo/target/precision-samples.md}"
per_rule="${2:-20}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

check_site() { # root, column name
  (cd "$1" && "$bin" check --format json >"$work/$2.json" 2>/dev/null || true)
  echo "$1/" >"$work/$2.root"
}
if [ "${SHARED:-1}" != 0 ]; then
  for site in "$shared"/sites/*/; do
    check_site "${site%/}" "$(basename "$site")"
  done
  # The corpus folder is not a site: only its posts (not its README) are checked.
  (cd "$shared/corpus" && find . -maxdepth 1 -name '*.md' ! -name README.md -print0 \
    | xargs -0 "$bin" check --format json >"$work/corpus.json" 2>/dev/null || true)
  echo "$shared/corpus/" >"$work/corpus.root"
fi
for site in ${EXTRA_SITES:-}; do
  check_site "${site%/}" "+$(basename "$site")"
done

python3 - "$work" "$samples" "$per_rule" <<'PY'
import json, os, sys, collections
work, samples_path, per_rule = sys.argv[1], sys.argv[2], int(sys.argv[3])
findings = collections.defaultdict(list)
counts = collections.defaultdict(collections.Counter)
for name in sorted(f[:-5] for f in os.listdir(work) if f.endswith(".json")):
    root = open(os.path.join(work, name + ".root")).read().strip()
    try:
        report = json.load(open(os.path.join(work, name + ".json")))
    except ValueError:
        continue
    for d in report.get("diagnostics", []):
        counts[d["code"]][name] += 1
        findings[d["code"]].append((name, root, d))
sources = sorted({s for c in counts.values() for s in c})
print("| rule | total | " + " | ".join(sources) + " |")
print("|---|---:|" + "---:|" * len(sources))
for code in sorted(counts):
    row = [str(counts[code].get(s, 0)) for s in sources]
    print(f"| {code} | {sum(counts[code].values())} | " + " | ".join(row) + " |")
os.makedirs(os.path.dirname(samples_path) or ".", exist_ok=True)
with open(samples_path, "w") as out:
    out.write("# Sampled findings per rule (judge each: true / false positive)\n")
    for code in sorted(findings):
        items = findings[code]
        # Evenly spread over the sources (findings are grouped by source).
        count = min(per_rule, len(items))
        picked = [items[i * len(items) // count] for i in range(count)]
        out.write(f"\n## {code} ({len(items)} findings, {len(picked)} sampled)\n")
        for name, root, d in picked:
            path = os.path.join(root, d["path"])
            try:
                text = open(path, encoding="utf-8", errors="replace").read().encode()
                start, end = d["byte_range"]
                flagged = text[start:end].decode(errors="replace")
                line_start = text.rfind(b"\n", 0, start) + 1
                line_end = text.find(b"\n", end)
                line = text[line_start:line_end if line_end >= 0 else len(text)].decode(errors="replace")
            except OSError:
                flagged, line = "", ""
            fix = d.get("fix") or {}
            out.write(f"\n- `{name}/{d['path']}:{d['start']['line']}` {d['message']}"
                      f" (fix: {fix.get('applicability', 'none')})\n")
            out.write(f"  - flagged: `{flagged[:200]!r}`\n  - line: `{line[:300]!r}`\n")
print(f"\nsamples: {samples_path}", file=sys.stderr)
PY
