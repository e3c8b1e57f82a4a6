#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the repository's own example posts and the
# generator-differential cases of tests/generators/cases (generated at
# run time, never committed): the posts as they are for the text targets, with a
# leading selector byte for the targets that read one, and framed as JSON-RPC
# didOpen/didChange messages (some deliberately misframed) for the frame reader.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
examples="$here/../examples"
corpus="$here/corpus"
mkdir -p "$corpus"/{analyse,fix,frontmatter,positions,frames}
n=0
while IFS= read -r -d '' post; do
  n=$((n + 1))
  cp "$post" "$corpus/frontmatter/$n"
  cp "$post" "$corpus/positions/$n"
  for selector in 0 1 2 3; do
    { printf "\\x0$selector"; cat "$post"; } > "$corpus/analyse/$n-$selector"
  done
  { printf '\x00'; cat "$post"; } > "$corpus/fix/$n-safe"
  { printf '\x01'; cat "$post"; } > "$corpus/fix/$n-unsafe"
  python3 - "$post" "$corpus/frames/$n" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
def frame(message, length=None):
    body = json.dumps(message, ensure_ascii=False).encode()
    return b"Content-Length: %d\r\n\r\n" % (len(body) if length is None else length) + body
open_ = {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": "file:///p.md", "languageId": "markdown", "version": 1, "text": text}}}
pull = {"jsonrpc": "2.0", "id": 1, "method": "textDocument/diagnostic",
        "params": {"textDocument": {"uri": "file:///p.md"}}}
change = json.dumps(open_, ensure_ascii=False)
stream = b"\x40" + frame(open_) + frame(pull) + frame(open_, len(change)) + frame(pull, 5) + frame([pull])
open(sys.argv[2], "wb").write(stream)
PY
done < <(find "$examples" "$here/../tests/generators/cases" -name '*.md' -print0 | sort -z)
echo "seeded $n posts into $corpus"
