#!/usr/bin/env bash
# Renders the posts under SITE/content as Hugo does, with the real hugo binary:
# goldmark (raw HTML kept), every front-matter format Hugo reads.
# Each page prints one JSON line {"id", "front_matter", "html"}; shortcodes the
# posts use become stubs that print their name, arguments and inner content, so
# a site's own templates are not needed and nothing is fetched.
# Usage: hugo.sh SITE   (with COPYDESK_HUGO set)
set -euo pipefail
site="$1"
cat >"$site/hugo.toml" <<'TOML'
baseURL = "http://example.invalid/"
disableAliases = true
disableKinds = ["home", "section", "taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = true
[markup.highlight]
codeFences = false
TOML
mkdir -p "$site/layouts/_default" "$site/layouts/shortcodes"
echo '{{ dict "id" .File.ContentBaseName "front_matter" .Params "html" (string .Content) | jsonify }}' \
  >"$site/layouts/_default/single.html"
{ grep -rhoE '\{\{[<%] */?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*' "$site/content" || true; } |
  sed -E 's/^\{\{[<%] *\/?//' | sort -u | while read -r name; do
    mkdir -p "$(dirname "$site/layouts/shortcodes/$name.html")"
    echo "[shortcode $name{{ range .Params }} {{ . }}{{ end }}]{{ with .Inner }}{{ . }}[/shortcode]{{ end }}" \
      >"$site/layouts/shortcodes/$name.html"
  done
# A page Hugo cannot build stops the whole build: report it as an error of
# that page, set it aside and build again.
while ! errors="$("$COPYDESK_HUGO" --source "$site" --destination "$site/public" \
  --buildDrafts --buildFuture --buildExpired 2>&1)"; do
  failed="$(grep -oE 'content/[^":]+\.md' <<<"$errors" | head -1 || true)"
  if [ -z "$failed" ] || [ ! -f "$site/$failed" ]; then
    echo "$errors" >&2
    exit 1
  fi
  rm "$site/$failed"
  id="$(basename "$failed" .md)"
  printf '{"id":"%s","error":"hugo could not build it"}\n' "$id"
done
find "$site/public" -name "*.html" -exec sh -c 'cat "$1"; echo' _ {} \;
