#!/usr/bin/env bash
# Checks what `cargo package` would publish: only the crate's own files (sources,
# the pattern data they compile in, manifest, lock, README, CHANGELOG, licences),
# never editors/, npm/, screenshots, examples, benchmarks or tests' data; and every
# file the sources compile in (include_str!/include_bytes!) is there.
set -euo pipefail
cd "$(dirname "$0")/.."

list="$(cargo package --list --locked --allow-dirty 2>/dev/null)"
allowed='^(\.cargo_vcs_info\.json|Cargo\.toml|Cargo\.toml\.orig|Cargo\.lock|README\.md|CHANGELOG\.md|LICENSE-MIT|LICENSE-APACHE|build\.rs|copydesk\.schema\.json|src/.+\.rs|data/.+\.(toml|txt))$'
status=0

unexpected="$(grep -Ev "$allowed" <<<"$list" || true)"
if [ -n "$unexpected" ]; then
  echo "package-check: files that do not belong in the crate:" >&2
  sed 's/^/  /' <<<"$unexpected" >&2
  status=1
fi

required=(Cargo.toml Cargo.lock README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE build.rs src/main.rs src/lib.rs)
# Files compiled into the binary, as paths relative to the repository root.
while IFS= read -r included; do
  required+=("$included")
done < <(grep -rhoE 'include_(str|bytes)!\("[^"]+"\)' src |
  sed -E 's/^include_(str|bytes)!\("(.*)"\)$/\2/' |
  while IFS= read -r relative; do
    # include paths are relative to the including file; resolve from every src dir that has one
    grep -rlF "\"$relative\"" src | while IFS= read -r source; do
      realpath -m --relative-to=. "$(dirname "$source")/$relative"
    done
  done | sort -u)
for file in "${required[@]}"; do
  if ! grep -qxF "$file" <<<"$list"; then
    echo "package-check: missing from the crate: $file" >&2
    status=1
  fi
done

count="$(wc -l <<<"$list")"
if [ "$status" -eq 0 ]; then
  echo "package-check: $count files, all belong; ${#required[@]} required files present"
fi
exit "$status"
