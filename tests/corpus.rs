//! Safety net over the real imported posts in `../shared/corpus` (read in place,
//! never copied; the test passes with a note when the folder is absent):
//! every post is linted without panicking, every SAFE fix on its own leaves the
//! visible text of the article unchanged, fixing to a fixed point (safe only, and
//! with unsafe fixes) is idempotent.
//!
//! `COPYDESK_CORPUS_DUMP=MK002` prints every finding of that rule (or `all`) for
//! reviewing false positives by hand; the per-rule counts are always printed
//! (`cargo test --test corpus -- --nocapture`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use copydesk::Linter;
use copydesk::config::Config;
use copydesk::diagnostic::{Applicability, Diagnostic};
use copydesk::fix::{apply_fixes, fix_to_fixed_point};
use copydesk::line_index::{Encoding, LineIndex};
use copydesk::site::{PostKey, SiteIndex};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// `<repo>/../shared/corpus`, or `/work/shared/corpus` when the repository is a
/// worktree elsewhere.
fn corpus_dir() -> PathBuf {
    let beside = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus"));
    if beside.is_dir() {
        beside.to_path_buf()
    } else {
        PathBuf::from("/work/shared/corpus")
    }
}

fn posts() -> Option<Vec<PathBuf>> {
    let mut posts: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .ok()?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "md")
                && path.file_name().is_some_and(|name| name != "README.md")
        })
        .collect();
    posts.sort();
    Some(posts)
}

/// The front matter, skipped by hand so this check does not depend on the parser
/// under test: a `---` (YAML) or `+++` (TOML) block at the top, after blank lines.
fn body(text: &str) -> &str {
    let trimmed = text.trim_start_matches(['\n', '\r', ' ', '\t', '\u{feff}']);
    for fence in ["---", "+++"] {
        if let Some(rest) = trimmed.strip_prefix(fence) {
            return match rest.find(&format!("\n{fence}")) {
                Some(at) => &rest[at + 4..],
                None => text,
            };
        }
    }
    text
}

/// What a reader sees: Markdown text (not link targets, not image alt text) and
/// the text of HTML with tags, comments, scripts and styles removed, whitespace
/// collapsed.
fn visible_text(text: &str) -> String {
    let mut raw = String::new();
    let mut image_depth = 0;
    for event in Parser::new(body(text)) {
        match event {
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth -= 1,
            Event::Text(t) | Event::Code(t) if image_depth == 0 => raw.push_str(&t),
            Event::Html(t) | Event::InlineHtml(t) => raw.push_str(&t),
            Event::SoftBreak | Event::HardBreak => raw.push(' '),
            // Blocks are separated on the page; inline ends (emphasis, links) are not.
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::TableCell,
            ) => raw.push(' '),
            _ => {}
        }
    }
    strip_html(&raw)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Removes comments, `<script>`/`<style>`/`<noscript>` with their content, and tags.
fn strip_html(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    while at < html.len() {
        let rest = &html[at..];
        if rest.starts_with("<!--") {
            at += rest.find("-->").map_or(rest.len(), |end| end + 3);
            continue;
        }
        let raw_element = ["script", "style", "noscript"]
            .into_iter()
            .find(|name| lower[at..].starts_with(&format!("<{name}")));
        if let Some(name) = raw_element {
            let close = format!("</{name}>");
            at += lower[at..]
                .find(&close)
                .map_or(rest.len(), |end| end + close.len());
            continue;
        }
        let is_tag = rest.starts_with('<')
            && rest[1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        if is_tag {
            // Inline tags join their neighbours' text, as in a browser.
            at += rest.find('>').map_or(rest.len(), |end| end + 1);
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        at += c.len_utf8();
    }
    out
}

fn location(text: &str, diagnostic: &Diagnostic) -> String {
    let index = LineIndex::new(text);
    let p = index.position(text, diagnostic.range.start, Encoding::Utf32);
    format!("{}:{}", p.line + 1, p.col + 1)
}

fn snippet(text: &str, diagnostic: &Diagnostic) -> String {
    let source = text.get(diagnostic.range.clone()).unwrap_or("");
    let one_line: String = source.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.chars().take(110).collect()
}

#[test]
fn corpus_lints_and_fixes_safely() {
    let Some(posts) = posts() else {
        eprintln!(
            "note: {} is absent; skipping the corpus test",
            corpus_dir().display()
        );
        return;
    };
    let dump = std::env::var("COPYDESK_CORPUS_DUMP").ok();
    let linter = Linter::new(Config::default());
    let site = SiteIndex::default();
    let lint = |text: &str, name: &str| linter.check(text, Some(&PostKey::new(name)), &site);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for path in &posts {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_owned();
        let Ok(text) = std::fs::read_to_string(path) else {
            continue; // not UTF-8: the CLI reports it, nothing to lint
        };
        let diagnostics = lint(&text, &name);
        let visible = visible_text(&text);
        for diagnostic in &diagnostics {
            if !diagnostic.code.starts_with("MK") {
                continue;
            }
            *counts.entry(diagnostic.code).or_default() += 1;
            if dump
                .as_deref()
                .is_some_and(|code| code == "all" || code == diagnostic.code)
            {
                println!(
                    "{name}:{} {} {} | {}",
                    location(&text, diagnostic),
                    diagnostic.code,
                    diagnostic.message,
                    snippet(&text, diagnostic)
                );
            }
            let Some(fix) = &diagnostic.fix else { continue };
            if fix.applicability != Applicability::Safe {
                continue;
            }
            let (fixed, _) = apply_fixes(&text, [fix]);
            if visible_text(&fixed) != visible {
                failures.push(format!(
                    "{name}:{} {} safe fix changes the visible text",
                    location(&text, diagnostic),
                    diagnostic.code
                ));
            }
        }

        let safe = fix_to_fixed_point(&text, false, |t| lint(t, &name));
        if visible_text(&safe.text) != visible {
            failures.push(format!(
                "{name}: safe fixes together change the visible text"
            ));
        }
        for include_unsafe in [false, true] {
            let first = fix_to_fixed_point(&text, include_unsafe, |t| lint(t, &name));
            let second = fix_to_fixed_point(&first.text, include_unsafe, |t| lint(t, &name));
            if second.text != first.text || !second.applied.is_empty() {
                failures.push(format!(
                    "{name}: fixing again (unsafe: {include_unsafe}) still changes {:?}",
                    second.applied
                ));
            }
        }
    }
    println!(
        "corpus: {} posts; MK findings per rule: {counts:?}",
        posts.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn visible_text_ignores_markup_only() {
    let a = "---\ntitle: x\n---\n<p cms-style=\"x\">海<!-- c --></p><style>.a{}</style>\n\n[t](https://a.cn/?utm_source=1)";
    let b = "<p>海</p>\n\n[t](https://a.cn/)";
    assert_eq!(visible_text(a), visible_text(b));
    assert_ne!(visible_text("<p>海</p>"), visible_text("<p>山</p>"));
    assert!(corpus_dir().is_absolute());
}

/// Timing, not a pass/fail test: `cargo test --release --test corpus -- --ignored --nocapture`.
/// Lints every corpus post and a ~1 MB post made of the seed article repeated.
#[test]
#[ignore]
fn timing() {
    let Some(posts) = posts() else {
        eprintln!("note: {} is absent; skipping", corpus_dir().display());
        return;
    };
    let linter = Linter::new(Config::default());
    let site = SiteIndex::default();
    let texts: Vec<String> = posts
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let start = std::time::Instant::now();
    let mut findings = 0;
    for text in &texts {
        findings += linter.check(text, None, &site).len();
    }
    let corpus = start.elapsed();
    println!(
        "corpus: {} posts, {} KB, {findings} findings in {corpus:?} ({:.1} MB/s)",
        texts.len(),
        bytes / 1024,
        bytes as f64 / corpus.as_secs_f64() / 1e6
    );
    let seed = std::fs::read_to_string(corpus_dir().join("../examples/seed-article.md"))
        .unwrap_or_default();
    let mut big = seed.clone();
    while big.len() < 1_000_000 && !seed.is_empty() {
        big.push_str(body(&seed));
    }
    let start = std::time::Instant::now();
    let findings = linter.check(&big, None, &site).len();
    println!(
        "{} KB post: {findings} findings in {:?}",
        big.len() / 1024,
        start.elapsed()
    );
    let start = std::time::Instant::now();
    let markup = copydesk::markup::parse(&big, 0);
    println!(
        "  of which markup::parse: {:?} ({} elements)",
        start.elapsed(),
        markup.html.elements.len()
    );
    let ten_kb: String = big.chars().take(10_000).collect();
    let start = std::time::Instant::now();
    for _ in 0..100 {
        linter.check(&ten_kb, None, &site);
    }
    println!("10 KB post: {:?} per check", start.elapsed() / 100);
}
