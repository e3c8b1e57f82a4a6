#!/usr/bin/env bash
# The benchmark of SPEC §6, peers included, in one command from a fresh clone:
#
#   bench/compare.sh            # writes BENCHMARKS.md and prints the same table
#
# 1. builds copydesk (release);
# 2. generates a 10,000-post Hexo site from ../shared/corpus (at run time: the posts are
#    third-party and never committed) and a 100,000-post synthetic one;
# 3. installs rumdl (PyPI) and markdownlint-cli2 (npm) into a scratch folder;
# 4. times `cat` of the files, `copydesk check` (human, --statistics, json), `rumdl check
#    --no-cache` and markdownlint-cli2, interleaved, RUNS runs each (MDL_RUNS for
#    markdownlint-cli2, which takes a minute a run), each after an untimed read of
#    the files (the page cache as every command finds it), and takes medians;
# 5. drives `copydesk lsp` and `rumdl server` through the same JSON-RPC client
#    (bench/lsp_compare.py): didChange -> diagnostics on the seed post and a 1 MB post,
#    push and pull; completion, indexing time and peak RSS at 10,000 and 100,000 posts;
# 6. writes BENCHMARKS.md from the measurements (never edit it by hand).
#
# Environment: POSTS (10000), RUNS (5), MDL_RUNS (3), EDITS (200), BENCH_DIR (scratch,
# default /tmp/copydesk-bench), CORPUS, SEED (the seed article), OUT (BENCHMARKS.md).
# Run it on an otherwise idle machine: the ratios are what counts, but a loaded machine
# makes every figure noisy.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
CORPUS=${CORPUS:-$ROOT/../shared/corpus}
SEED=${SEED:-$ROOT/../shared/examples/seed-article.md}
POSTS=${POSTS:-10000}
RUNS=${RUNS:-5}
MDL_RUNS=${MDL_RUNS:-3}
EDITS=${EDITS:-200}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/copydesk-bench}
OUT=${OUT:-$ROOT/BENCHMARKS.md}
TOOLS=$WORK/tools
mkdir -p "$WORK" "$TOOLS"

for input in "$CORPUS" "$SEED"; do
    [ -e "$input" ] || { echo "not found: $input (set CORPUS= / SEED=)" >&2; exit 1; }
done

echo "== building copydesk (release)" >&2
cargo build --release --locked --quiet --manifest-path "$ROOT/Cargo.toml"
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/copydesk

echo "== installing the peers into $TOOLS" >&2
if [ ! -x "$TOOLS/venv/bin/rumdl" ]; then
    python3 -m venv "$TOOLS/venv"
    "$TOOLS/venv/bin/pip" install -q --disable-pip-version-check rumdl
fi
if [ ! -x "$TOOLS/npm/node_modules/.bin/markdownlint-cli2" ]; then
    npm install --silent --no-audit --no-fund --prefix "$TOOLS/npm" markdownlint-cli2 >&2
fi
RUMDL=$TOOLS/venv/bin/rumdl
MDL=$TOOLS/npm/node_modules/.bin/markdownlint-cli2

echo "== generating the sites in $WORK" >&2
SITE=$WORK/site-$POSTS
if [ ! -f "$SITE/.complete" ]; then
    rm -rf "$SITE"
    python3 "$BENCH/gen_site.py" corpus "$CORPUS" "$SITE" "$POSTS"
    touch "$SITE/.complete"
fi
BIG_POSTS=${BIG_POSTS:-100000}
BIG=$WORK/synthetic-$BIG_POSTS
if [ ! -f "$BIG/.complete" ]; then
    rm -rf "$BIG"
    python3 "$BENCH/gen_site.py" synthetic "$BIG" "$BIG_POSTS"
    touch "$BIG/.complete"
fi
EDIT_SITE=$WORK/edit-site
rm -rf "$EDIT_SITE"
mkdir -p "$EDIT_SITE/source/_posts"
printf 'title: Bench\n' >"$EDIT_SITE/_config.yml"
cp "$SEED" "$EDIT_SITE/source/_posts/seed-article.md"
python3 - "$SEED" "$EDIT_SITE/source/_posts/one-megabyte.md" <<'PY'
import sys
# A 1 MB post: the seed article's body repeated, one front matter.
text = open(sys.argv[1], encoding="utf-8").read()
head, sep, body = text.partition("\n---\n")
out = [head, sep]
while sum(len(part.encode()) for part in out) < 1_000_000:
    out.append(body)
open(sys.argv[2], "w", encoding="utf-8").write("".join(out))
PY
FILES=$(find "$SITE/source/_posts" -name '*.md' | wc -l)
BYTES=$(du -sb "$SITE/source/_posts" | cut -f1)

echo "== check: $FILES posts, $((BYTES / 1000000)) MB" >&2
READ_ALL="find source/_posts -name '*.md' -print0 | xargs -0 cat >/dev/null"
WARM=$READ_ALL python3 "$BENCH/timing.py" "$RUNS" "$SITE" \
    "cat=$READ_ALL" \
    "copydesk check=$BIN check >/dev/null" \
    "copydesk check --statistics=$BIN check --statistics >/dev/null" \
    "copydesk check --output-format json=$BIN check --format json >/dev/null" \
    "rumdl check --no-cache=$RUMDL check --no-cache source/_posts >/dev/null 2>&1" \
    "markdownlint-cli2@$MDL_RUNS=$MDL 'source/_posts/**/*.md' >/dev/null 2>&1" \
    >"$WORK/check.json"

echo "== language servers" >&2
python3 - "$BIN" "$RUMDL" "$EDIT_SITE" "$SITE" "$BIG" "$EDITS" "$BIG_POSTS" >"$WORK/lsp-config.json" <<'PY'
import json, sys, glob
bin_, rumdl, edit_site, site, big, edits, big_posts = sys.argv[1:]
big_posts = int(big_posts)
def first_post(root):
    # the first post with a tags line: completion is asked for a new tag there
    for path in sorted(glob.glob(f"{root}/source/_posts/*/*.md")):
        if any(l.startswith("tags:") for l in open(path, encoding="utf-8", errors="replace")):
            return path
    raise SystemExit(f"no post with tags in {root}")
print(json.dumps({
    "servers": {"copydesk": [bin_, "lsp", "--stdio"], "rumdl": [rumdl, "server"]},
    "edit_root": edit_site,
    "posts": {"seed post (12 KB)": f"{edit_site}/source/_posts/seed-article.md",
              "1 MB post": f"{edit_site}/source/_posts/one-megabyte.md"},
    "edits": int(edits), "completions": 200,
    "index_sites": {f"{len(glob.glob(site + '/source/_posts/*/*.md')):,} corpus posts": {"root": site, "post": first_post(site)},
                    f"{big_posts:,} synthetic posts": {"root": big, "post": first_post(big)}},
}))
PY
python3 "$BENCH/lsp_compare.py" "$(cat "$WORK/lsp-config.json")" >"$WORK/lsp.json"

python3 "$BENCH/report.py" "$WORK/check.json" "$WORK/lsp.json" "$FILES" "$BYTES" "$ROOT" \
    "RUNS=$RUNS MDL_RUNS=$MDL_RUNS EDITS=$EDITS POSTS=$POSTS bench/compare.sh" >"$OUT"
cat "$OUT"
