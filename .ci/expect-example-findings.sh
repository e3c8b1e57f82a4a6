#!/usr/bin/env bash
# Usage: expect-example-findings.sh SITE COMMAND...
# Runs `COMMAND check SITE` as a user would and checks the outcome, not just the
# status: examples/hexo-site has errors on purpose, so the status must be 1, the
# human report must end with its "Found N problems" summary, and the JSON report must
# cover the site's posts with both front-matter (FM) and leftover-markup (MK) findings.
set -euo pipefail
site="$1"
shift

set +e
human="$("$@" check "$site" 2>&1)"
status=$?
set -e
if [ "$status" -ne 1 ]; then
  printf '%s\n' "$human" | tail -20 >&2
  echo "expected exit status 1 from '$* check $site' (the example has errors), got $status" >&2
  exit 1
fi
grep -Eq '^Found [0-9]+ problems \([1-9][0-9]* errors?' <<<"$human" ||
  { printf '%s\n' "$human" | tail -20 >&2; echo "no 'Found N problems' summary with errors" >&2; exit 1; }

json="$("$@" check --format json "$site" || true)"
python3 - "$json" <<'PY'
import json, sys
report = json.loads(sys.argv[1])
codes = {d["code"][:2] for d in report["diagnostics"]}
assert report["files_checked"] > 0, report["files_checked"]
assert {"FM", "MK"} <= codes, codes
assert report["summary"]["error"] > 0, report["summary"]
print(f"  {report['files_checked']} files checked, {len(report['diagnostics'])} findings, families {sorted(codes)}")
PY
