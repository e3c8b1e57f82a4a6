#!/usr/bin/env python3
"""Held-out recall of `fix --unsafe` on the imported corpus (../shared/corpus).

The corpus is split by feed (the file name without its `-NNN.md` number: the
RSS source a post was imported from). A feed is held out when the first byte
of the MD5 of its name is below HELD_OUT_BELOW (a quarter of the feeds, the
same ones on every machine); tune rules and lists only on the other feeds.

Junk is defined here by signatures per class, independently of copydesk's own
lists (a signature counts every occurrence, outside fenced code). The script
runs `copydesk fix --unsafe` on a scratch copy and reports, per class and for
the held-out and tuned feeds, how many signatures were in the posts and how
many remain. It then checks that no article text was lost: every line of
visible text of a post (tags, comments, scripts and styles stripped, entities
decoded) must still be in the fixed post's visible text, unless the line is
itself junk (a boilerplate signature).

Usage: python3 bench/recall.py [--all] [--show-lost] [--held-out=FEED,FEED]
  --all         list leftovers of the tuned feeds too
  --show-lost   print every article line that was lost
  --held-out=   hold out these feeds instead of the MD5 quarter
Uses $COPYDESK_BIN, else the newer of $CARGO_TARGET_DIR/{release,debug}/copydesk.
Exit status 1 when held-out recall is below 98% or article text was lost.
"""

import collections
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile

HELD_OUT_BELOW = 64  # of 256: a quarter of the feeds
GOAL = 0.98

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Junk signatures per class. Each regex matches one occurrence of junk.
QUOTE_HOSTS = (
    r"finance\.sina\.com\.cn/realstock|quote\.eastmoney\.com|stockpage\.10jqka|"
    r"xueqiu\.com/S/|gu\.qq\.com|finance\.yahoo\.com/quote|/quote/|"
    r"(?:sh|sz|bj)\d{6}|hk\d{5}"
)
SIGNATURES = {
    "cms-comment": re.compile(r"<!--(?!\s*more\s*-->)(?!-->).*?-->", re.S),
    "ad-block": re.compile(
        r"""(?:class|id)\s*=\s*["'][^"']*(?:appendQr|sinaads|adsbygoogle|\bad[_-]|"""
        r"""advert|sponsor|qrcode|qr_code|app-download|feedflare|sharedaddy)""",
        re.I,
    ),
    # Embeds of content hosts (gists, tweets) are the post's, not junk.
    "embedded-code": re.compile(
        r"""<(?:script|style|noscript)\b(?![^>]*src=["'][^"']*(?:gist\.github\.com|platform\.twitter\.com))""",
        re.I,
    ),
    "tracking-attribute": re.compile(
        r"""\s(?:data-sudaclick|data-spm[\w-]*|data-track[\w-]*|on(?:click|load|mouse\w+))\s*=""",
        re.I,
    ),
    "tracking-param": re.compile(
        r"[?&](?:amp;)?(?:utm_\w+|fbclid|gclid|spm|sudaref|share_token|mc_cid|mc_eid)=", re.I
    ),
    "tracker": re.compile(
        r"""<img\b[^>]*(?:(?:width|height)=["']?1["'\s/>][^>]*(?:width|height)=["']?1\b|"""
        r"""src=["'][^"']*(?:google-analytics|doubleclick|feeds\.feedburner\.com/~[r4f]|"""
        r"""feedproxy\.google\.com/~|pixel\.wp\.com|stats\.wordpress\.com|medium\.com/_/stat|"""
        r"""substack\.com/api/v1/|hm\.baidu\.com|beacon\.sina))""",
        re.I,
    ),
    "keyword-autolink": re.compile(
        r"""<a\b[^>]*href=["'][^"']*(?:""" + QUOTE_HOSTS + r""")[^"']*["'][^>]*>[^<]{1,24}</a>"""
        r"""|<span\b[^>]*id=["'](?:quote|stock)_""",
        re.I,
    ),
    "redirect-link": re.compile(
        r"GoToLink\?url=|link\.zhihu\.com/\?target=|c\.duomai\.com/track\.php|"
        r"www\.google\.com/url\?|link\.juejin\.cn/\?target=",
        re.I,
    ),
    "boilerplate": re.compile(
        r"责任编辑[：:]|责编[：:]|尽在新浪财经APP|举报/反馈|^.{0,30}(?:扫描|长按识别)二维码.{0,30}$|"
        r"appeared first on|^\s*Share this:",
        re.I | re.M,
    ),
    "lazy-image": re.compile(r"""<img\b[^>]*\sdata-src=""", re.I),
    "cms-attribute": re.compile(r"""\s(?:cms-style|data-img-size-val)\s*=""", re.I),
}

# Tracking parameters are junk inside a URL a reader sees too.
TRACKING_QUERY = re.compile(
    r"[?&](?:amp;)?(?:utm_\w+|fbclid|gclid|spm|sudaref|share_token|mc_cid|mc_eid)=[^&\s<>\"')]*", re.I
)
FENCE = re.compile(r"^(?P<fence>```+|~~~+).*?^(?P=fence)\s*$", re.S | re.M)
RAW_ELEMENTS = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", re.S | re.I)
COMMENT = re.compile(r"<!--.*?-->", re.S)
TAG = re.compile(r"</?[A-Za-z][^<>]*>")
MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def feed_of(name):
    return re.sub(r"-\d+\.md$", "", name)


CHOSEN = next((arg.split("=", 1)[1].split(",") for arg in sys.argv if arg.startswith("--held-out=")), None)


def is_held_out(feed):
    if CHOSEN is not None:
        return feed in CHOSEN
    return hashlib.md5(feed.encode()).digest()[0] < HELD_OUT_BELOW


def body(text):
    """The post without its front matter (the first fenced block)."""
    stripped = text.lstrip("\ufeff\r\n ")
    if stripped.startswith("---"):
        end = stripped.find("\n---", 3)
        if end >= 0:
            return stripped[end + 4 :]
    return text


def count_signatures(text):
    # Indented blocks are counted: in imported posts they are page markup left
    # indented by a template (the junk `fix --unsafe` removes), rarely a demo.
    text = FENCE.sub("", body(text))
    return {name: len(regex.findall(text)) for name, regex in SIGNATURES.items()}


def visible_lines(text):
    """Lines of text a reader sees (roughly: markup stripped, whitespace collapsed)."""
    text = body(text)
    text = RAW_ELEMENTS.sub(" ", text)
    text = COMMENT.sub(" ", text)
    text = MD_IMAGE.sub(" ", text)
    text = MD_LINK.sub(r"\1", text)
    text = TAG.sub(" ", text)
    text = html.unescape(text)
    text = TRACKING_QUERY.sub("", text)
    lines = []
    for line in text.splitlines():
        line = " ".join(line.split()).replace("?&", "?").replace("/?", "/")
        if any(c.isalnum() for c in line):
            lines.append(line)
    return lines


def normalized(text):
    return "".join("".join(visible_lines(text)).split())


def find_binary():
    if os.environ.get("COPYDESK_BIN"):
        return os.environ["COPYDESK_BIN"]
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))
    found = [
        os.path.join(target, kind, "copydesk")
        for kind in ("release", "debug")
        if os.path.exists(os.path.join(target, kind, "copydesk"))
    ]
    if not found:
        sys.exit("no copydesk binary: build it or set COPYDESK_BIN")
    return max(found, key=os.path.getmtime)


def find_corpus():
    for candidate in (os.path.join(REPO, "..", "shared", "corpus"), "/work/shared/corpus"):
        if os.path.isdir(candidate):
            return os.path.abspath(candidate)
    sys.exit("no ../shared/corpus: nothing to measure")


def main():
    show_all = "--all" in sys.argv
    show_lost = "--show-lost" in sys.argv
    corpus = find_corpus()
    binary = find_binary()
    posts = sorted(f for f in os.listdir(corpus) if f.endswith(".md") and f != "README.md")
    with tempfile.TemporaryDirectory() as scratch:
        for post in posts:
            shutil.copyfile(os.path.join(corpus, post), os.path.join(scratch, post))
            os.chmod(os.path.join(scratch, post), 0o644)
        run = subprocess.run(
            [binary, "fix", "--unsafe", "."],
            cwd=scratch,
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode not in (0, 1):
            sys.exit(f"copydesk fix failed ({run.returncode}):\n{run.stderr}")
        summary = run.stdout.strip().splitlines()
        before = {p: open(os.path.join(corpus, p), encoding="utf-8", errors="replace").read() for p in posts}
        after = {p: open(os.path.join(scratch, p), encoding="utf-8", errors="replace").read() for p in posts}

    feeds = sorted({feed_of(p) for p in posts})
    held_out = [f for f in feeds if is_held_out(f)]
    print(f"corpus: {corpus}")
    print(f"binary: {binary}")
    print(f"fix --unsafe: {summary[0] if summary else '(no output)'}")
    print(f"feeds: {len(feeds)}, held out ({len(held_out)}): {', '.join(held_out)}")
    print()

    totals = {part: collections.Counter() for part in ("held-out", "tuned")}
    remaining = {part: collections.Counter() for part in ("held-out", "tuned")}
    leftovers = collections.defaultdict(list)
    lost = []
    for post in posts:
        part = "held-out" if is_held_out(feed_of(post)) else "tuned"
        old, new = count_signatures(before[post]), count_signatures(after[post])
        for name in SIGNATURES:
            totals[part][name] += old[name]
            remaining[part][name] += min(new[name], old[name])
            if new[name] and (part == "held-out" or show_all):
                leftovers[name].append(f"{post} ({new[name]})")
        kept = normalized(after[post])
        for line in visible_lines(before[post]):
            if SIGNATURES["boilerplate"].search(line):
                continue
            if "".join(line.split()) not in kept:
                lost.append((part, post, line))

    print("| class | held-out junk | held-out left | held-out recall | tuned junk | tuned left | tuned recall |")
    print("|---|---:|---:|---:|---:|---:|---:|")

    def recall(total, left):
        return (total - left) / total if total else 1.0

    for name in SIGNATURES:
        h, hl = totals["held-out"][name], remaining["held-out"][name]
        t, tl = totals["tuned"][name], remaining["tuned"][name]
        print(f"| {name} | {h} | {hl} | {recall(h, hl):.1%} | {t} | {tl} | {recall(t, tl):.1%} |")
    h, hl = sum(totals["held-out"].values()), sum(remaining["held-out"].values())
    t, tl = sum(totals["tuned"].values()), sum(remaining["tuned"].values())
    print(f"| **all** | {h} | {hl} | {recall(h, hl):.1%} | {t} | {tl} | {recall(t, tl):.1%} |")
    print()
    for name, posts_left in sorted(leftovers.items()):
        print(f"left ({name}): {', '.join(posts_left)}")
    lost_held = [item for item in lost if item[0] == "held-out"]
    print(f"article lines lost: held-out {len(lost_held)}, tuned {len(lost) - len(lost_held)}")
    if show_lost:
        for part, post, line in lost:
            print(f"  [{part}] {post}: {line[:160]}")
    ok = recall(h, hl) >= GOAL and not lost_held
    print(f"held-out recall {recall(h, hl):.1%} (goal {GOAL:.0%}), lost lines {len(lost_held)}: {'ok' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
