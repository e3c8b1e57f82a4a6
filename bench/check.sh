#!/usr/bin/env bash
# Benchmark of `copydesk check` on a 10,000-post site (SPEC §6): against `cat` of the
# same files to /dev/null, and against markdownlint-cli2. Not part of the tests.
#
# The site is generated at benchmark time from the posts in ../shared/corpus (third-party
# articles: never copied into the repository), with varied file names, titles, authors
# and tags. Uses hyperfine when installed (apt-get install hyperfine), else `time`.
#
#   bench/check.sh                 # POSTS=10000 by default
#   POSTS=2000 bench/check.sh      # a smaller site
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${CORPUS:-$ROOT/../shared/corpus}
POSTS=${POSTS:-10000}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/copydesk-bench}
SITE=$WORK/site
NPM_CACHE=$WORK/npm

if [ ! -d "$CORPUS" ]; then
    echo "corpus not found at $CORPUS (set CORPUS=...)" >&2
    exit 1
fi

echo "== building copydesk (release)"
cargo build --release --locked --manifest-path "$ROOT/Cargo.toml" >&2
BIN=$ROOT/target/release/copydesk

echo "== generating $POSTS posts in $SITE"
rm -rf "$SITE"
mkdir -p "$SITE/source/_posts"
printf 'title: Bench\n' > "$SITE/_config.yml"
python3 - "$CORPUS" "$SITE/source/_posts" "$POSTS" <<'PY'
import os, re, sys
corpus, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
templates = []
for name in sorted(os.listdir(corpus)):
    if name.endswith(".md") and name != "README.md":
        with open(os.path.join(corpus, name), "rb") as f:
            templates.append((name[:-3], f.read()))
authors = [f"作者{i}".encode() for i in range(40)]
for i in range(count):
    stem, data = templates[i % len(templates)]
    # Vary titles, authors and tags so the site index is not 162 copies of itself.
    data = re.sub(rb"(?m)^(title:[^\r\n]*?)(['\"]?)(\r?)$",
                  lambda m: m.group(1) + f" {i}".encode() + m.group(2) + m.group(3), data, count=1)
    data = re.sub(rb"(?m)^author: *[^\r\n]*", b"author: " + authors[i % len(authors)], data, count=1)
    data = re.sub(rb"(?m)^tags: *\[([^\]\r\n]*)\]",
                  lambda m: b"tags: [" + m.group(1) + f", tag{i % 300}".encode() + b"]", data, count=1)
    sub = os.path.join(out, f"{i % 100:02d}")
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, f"{stem}-{i:05d}.md"), "wb") as f:
        f.write(data)
PY
FILES=$(find "$SITE/source/_posts" -name '*.md' | wc -l)
SIZE=$(du -sh "$SITE/source/_posts" | cut -f1)
echo "   $FILES files, $SIZE"

echo "== installing markdownlint-cli2 into $NPM_CACHE"
if [ ! -x "$NPM_CACHE/node_modules/.bin/markdownlint-cli2" ]; then
    mkdir -p "$NPM_CACHE"
    npm install --silent --no-audit --no-fund --prefix "$NPM_CACHE" markdownlint-cli2 >&2
fi
MDL=$NPM_CACHE/node_modules/.bin/markdownlint-cli2

cd "$SITE"
CAT="find source/_posts -name '*.md' -print0 | xargs -0 cat > /dev/null"
COPYDESK="$BIN check > /dev/null"
COPYDESK_JSON="$BIN check --format json > /dev/null"
MARKDOWNLINT="$MDL 'source/_posts/**/*.md' > /dev/null 2>&1"

echo "== copydesk check: $($BIN check --statistics | tail -2 | head -1)"
if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --ignore-failure --warmup 1 --runs "${RUNS:-5}" --export-markdown "$WORK/fast.md" \
        -n cat "$CAT" -n "copydesk check" "$COPYDESK" -n "copydesk check --format json" "$COPYDESK_JSON"
    hyperfine --ignore-failure --warmup 0 --runs "${MDL_RUNS:-2}" --export-markdown "$WORK/markdownlint.md" \
        -n markdownlint-cli2 "$MARKDOWNLINT"
    cat "$WORK/fast.md" "$WORK/markdownlint.md"
else
    for command in "$CAT" "$COPYDESK" "$COPYDESK_JSON" "$MARKDOWNLINT"; do
        echo "-- $command"
        bash -c "$command" || true  # warm the cache
        /usr/bin/time -f "%e s" bash -c "$command" || true
    done
fi
