#!/usr/bin/env python3
"""Generates a Hexo site for the benchmarks, at benchmark time (never committed).

  gen_site.py corpus CORPUS_DIR OUT_DIR COUNT   posts made from the real imported posts
  gen_site.py synthetic OUT_DIR COUNT           short synthetic posts (for 100,000-post indexing)

Corpus posts get varied file names, titles, authors and tags, so the site index is
not COUNT copies of 162 posts. Files go 100 to a folder under source/_posts.
"""
import os, re, sys


def write_site(out, posts):
    os.makedirs(os.path.join(out, "source", "_posts"), exist_ok=True)
    with open(os.path.join(out, "_config.yml"), "w") as f:
        f.write("title: Bench\n")
    for i, (stem, data) in enumerate(posts):
        sub = os.path.join(out, "source", "_posts", f"{i % 100:02d}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"{stem}-{i:06d}.md"), "wb") as f:
            f.write(data)


def from_corpus(corpus, count):
    templates = []
    for name in sorted(os.listdir(corpus)):
        if name.endswith(".md") and name != "README.md":
            with open(os.path.join(corpus, name), "rb") as f:
                templates.append((name[:-3], f.read()))
    authors = [f"作者{i}".encode() for i in range(40)]
    for i in range(count):
        stem, data = templates[i % len(templates)]
        data = re.sub(rb"(?m)^(title:[^\r\n]*?)(['\"]?)(\r?)$",
                      lambda m: m.group(1) + f" {i}".encode() + m.group(2) + m.group(3), data, count=1)
        data = re.sub(rb"(?m)^author: *[^\r\n]*", b"author: " + authors[i % len(authors)], data, count=1)
        data = re.sub(rb"(?m)^tags: *\[([^\]\r\n]*)\]",
                      lambda m: b"tags: [" + m.group(1) + f", tag{i % 300}".encode() + b"]", data, count=1)
        yield stem, data


CATEGORIES = ["金融", "科技", "体育", "文化", "汽车", "房产"]
SUBCATEGORIES = ["新浪财经", "36kr", "数码", "评论", "国际", "本地"]


def synthetic(count):
    for i in range(count):
        category = CATEGORIES[i % len(CATEGORIES)]
        sub = SUBCATEGORIES[(i // 7) % len(SUBCATEGORIES)]
        text = (f"---\ntitle: 第{i}篇文章\ndate: 2022-06-14 15:00:49\ncategories:\n  - {category}\n"
                f"  - {sub}\ntags: [标签{i % 500}, 标签{i % 37}]\nauthor: 作者{i % 50}\n---\n\n"
                f"正文第{i}段，关于{category}的报道。\n")
        yield "post", text.encode()


def main():
    mode = sys.argv[1]
    if mode == "corpus":
        corpus, out, count = sys.argv[2], sys.argv[3], int(sys.argv[4])
        write_site(out, from_corpus(corpus, count))
    elif mode == "synthetic":
        out, count = sys.argv[2], int(sys.argv[3])
        write_site(out, synthetic(count))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
