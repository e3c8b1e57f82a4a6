// Loads the posts of a Hexo site through Hexo's own API (the hexo-front-matter
// it bundles, its post processor) and prints, as JSON, what Hexo read from each
// post: usage `node hexo-dump.js <hexo-dir> <site-dir>`.
'use strict';
const path = require('path');
const fs = require('fs');

const [hexoDir, siteDir] = process.argv.slice(2);
const Hexo = require(path.join(hexoDir, 'node_modules', 'hexo'));
const frontMatter = require(path.join(hexoDir, 'node_modules', 'hexo-front-matter'));

async function main() {
  const hexo = new Hexo(siteDir, { silent: true, safe: true });
  await hexo.init();
  // Safe mode loads no plugins: register the Markdown renderer Hexo sites use,
  // so `.md` files are posts rather than assets.
  global.hexo = hexo;
  require(path.join(hexoDir, 'node_modules', 'hexo-renderer-marked'));
  // Reading is what is judged: skip generation, which renders every post (and
  // stops at the first unknown tag plugin).
  hexo._generate = () => Promise.resolve();
  await hexo.load();
  const posts = {};
  hexo.model('Post').find({}).forEach((post) => {
    const file = post.full_source;
    // What Hexo's post processor parsed (`raw` is the file as Hexo read it).
    const data = frontMatter.parse(post.raw);
    const keys = Object.keys(data).filter((key) => key !== '_content');
    const stats = fs.statSync(file);
    // Hexo falls back to the file's creation time when the date is unreadable.
    const fromFile = post.date.valueOf() === stats.birthtime.valueOf() && 'date' in data;
    // Scalars as text, to tell which of two equal keys js-yaml kept.
    const values = {};
    for (const key of keys) {
      const value = data[key];
      if (value instanceof Date) values[key] = value.toISOString();
      else if (['string', 'number', 'boolean'].includes(typeof value)) values[key] = String(value);
    }
    posts[path.basename(post.source)] = {
      keys,
      values,
      date: fromFile ? 'file-time' : post.date.toISOString(),
      title: typeof post.title === 'string' ? post.title : String(post.title),
      categories: post.categories.map((category) => {
        const names = [];
        for (let at = category; at; at = at.parent && hexo.model('Category').findById(at.parent)) {
          names.unshift(at.name);
        }
        return names.join('/');
      }).sort(),
      tags: post.tags.map((tag) => tag.name).sort(),
    };
  });
  process.stdout.write(JSON.stringify(posts));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error));
  process.exit(1);
});
