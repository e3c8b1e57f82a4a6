// Renders posts as Hexo 8 does: hexo-fs reads the file as Hexo's box does (CRLF
// becomes LF and a BOM is dropped before anything else sees the text),
// hexo-front-matter reads the front matter, hexo-renderer-marked renders the body
// (tag plugins are left as text).
// stdin: a JSON array of {"id", "path"}; stdout: one JSON object per post,
// {"id", "front_matter", "html"} or {"id", "error"}.
'use strict';
const fs = require('fs');
const hexoDir = process.env.COPYDESK_HEXO_DIR;
const load = (name) => require(require.resolve(name, { paths: [hexoDir] }));
const Hexo = load('hexo');
const { parse } = load('hexo-front-matter');
const hexoFs = load('hexo-fs');

async function main() {
  const hexo = new Hexo(hexoDir, { silent: true });
  // Plugins (the Markdown renderer) load only in an initialised site.
  hexo.env.init = true;
  await hexo.init();
  const posts = JSON.parse(fs.readFileSync(0, 'utf8'));
  for (const post of posts) {
    let result;
    try {
      const data = parse(hexoFs.readFileSync(post.path));
      const body = data._content;
      delete data._content;
      const html = await hexo.render.render({ text: body, engine: 'markdown' });
      result = { id: post.id, front_matter: data, html };
    } catch (error) {
      result = { id: post.id, error: String(error) };
    }
    process.stdout.write(JSON.stringify(result) + '\n');
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
