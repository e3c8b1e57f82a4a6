//! Categories, tags and authors as each generator reads them, with the span of
//! every value so completion, hover, rename and the taxonomy rules can point at it.
//!
//! - Hexo: `categories`/`category` is a string (one top-level category), a list
//!   (ONE hierarchical path: `[金融, 新浪财经]` is 金融 > 新浪财经) or a list holding
//!   lists (several paths; a plain item beside them is a one-level path). Tags
//!   from `tags`/`tag`, authors from `author` (string or list) and `authors`.
//! - Hugo and plain Markdown: every list item is its own top-level category.
//! - Jekyll: as Hugo, a `categories`/`tags` string is a whitespace-separated
//!   list (` news ` is `news`; a list item `a b` stays whole) and lists inside
//!   the list are flattened.
//! - Hugo lower-cases keys: `Tags` is `tags`.
//!
//! Which key counts: Hexo reads `category`/`tag` only when `categories`/`tags`
//! is absent or null; Hugo has no singular aliases; Jekyll adds `category` to
//! `categories` and reads `tag` instead of `tags` when both exist. `null` items
//! are dropped; spaces inside a value are kept (` news ` is another category
//! than `news`).
//!
//! Hexo's `category_map`/`tag_map` only change URL slugs, not names, so they are
//! not applied; neither is `default_category` (the index shows what posts say).

use std::ops::Range;

use super::{FrontMatter, Node, Value};
use crate::config::{Config, Generator};
use crate::site::{PostSummary, TaxonomyKind};

/// One category, tag or author value of a post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxonomyValue {
    pub kind: TaxonomyKind,
    pub value: String,
    /// Categories: the path from the root down to and including this value.
    /// Tags and authors: just the value.
    pub path: Vec<String>,
    /// The scalar node, quotes included (for Jekyll's space-separated strings: the word).
    pub range: Range<usize>,
    /// Inside the quotes.
    pub raw_range: Range<usize>,
}

const CATEGORY_KEYS: &[&str] = &["categories", "category"];
const TAG_KEYS: &[&str] = &["tags", "tag"];
const AUTHOR_KEYS: &[&str] = &["author", "authors"];

/// Every taxonomy value of the post, in file order.
pub fn taxonomy_values(fm: &FrontMatter, config: &Config) -> Vec<TaxonomyValue> {
    let generator = config.generator;
    let mut out = Vec::new();
    for entry in &fm.entries {
        // Hugo lower-cases every key it reads: `Tags` is its `tags`.
        let folded = (generator == Generator::Hugo).then(|| entry.key.to_lowercase());
        let key = folded.as_deref().unwrap_or(&entry.key);
        if !read_by(generator, fm, key) {
            continue;
        }
        // Jekyll splits a `categories`/`tags` string on whitespace, never a list
        // item nor a singular `category`/`tag`.
        let split = generator == Generator::Jekyll && matches!(key, "categories" | "tags");
        if CATEGORY_KEYS.contains(&key) {
            match generator {
                Generator::Hexo => hexo_categories(&entry.value, &mut out),
                _ => flat(
                    &entry.value,
                    TaxonomyKind::Category,
                    generator,
                    split,
                    &mut out,
                ),
            }
        } else if TAG_KEYS.contains(&key) {
            flat(&entry.value, TaxonomyKind::Tag, generator, split, &mut out);
        } else if AUTHOR_KEYS.contains(&key) {
            // Author names contain spaces: never split them.
            flat(
                &entry.value,
                TaxonomyKind::Author,
                Generator::Plain,
                false,
                &mut out,
            );
        }
    }
    out
}

/// Whether `generator` takes its taxonomy from `key` in this post.
fn read_by(generator: Generator, fm: &FrontMatter, key: &str) -> bool {
    let present = |key: &str| fm.get(key).is_some_and(|entry| !is_null(&entry.value));
    match (generator, key) {
        (Generator::Hexo, "category") => !present("categories"),
        (Generator::Hexo, "tag") => !present("tags"),
        (Generator::Hugo, "category" | "tag") => false,
        (Generator::Jekyll, "tags") => !present("tag"),
        _ => true,
    }
}

/// An empty value or a YAML null (`null`, `~`).
fn is_null(node: &Node) -> bool {
    match &node.value {
        Value::Empty => true,
        Value::Scalar { text, style, .. } => {
            *style == super::ScalarStyle::Plain
                && matches!(text.trim(), "" | "~" | "null" | "Null" | "NULL")
        }
        Value::Sequence(_) | Value::Mapping(_) => false,
    }
}

/// What the site index keeps of a post (an empty summary without front matter).
pub fn summarize(fm: Option<&FrontMatter>, config: &Config) -> PostSummary {
    let Some(fm) = fm else {
        return PostSummary::default();
    };
    let mut summary = PostSummary {
        title: fm.get("title").and_then(|entry| scalar_text(&entry.value)),
        ..PostSummary::default()
    };
    for entry in &fm.entries {
        if !summary.keys.contains(&entry.key) {
            summary.keys.push(entry.key.clone());
        }
    }
    let values = taxonomy_values(fm, config);
    for (index, value) in values.iter().enumerate() {
        match value.kind {
            TaxonomyKind::Tag => summary.tags.push(value.value.clone()),
            TaxonomyKind::Author => summary.authors.push(value.value.clone()),
            TaxonomyKind::Category => {
                // Only the deepest value of each path is a path of its own.
                let extended_next = values.get(index + 1).is_some_and(|next| {
                    next.kind == TaxonomyKind::Category
                        && next.path.len() == value.path.len() + 1
                        && next.path.starts_with(&value.path)
                });
                if !extended_next {
                    summary.categories.push(value.path.clone());
                }
            }
        }
    }
    summary
}

fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Scalar { text, .. } => Some(text.trim().to_owned()).filter(|t| !t.is_empty()),
        _ => None,
    }
}

fn value_of(kind: TaxonomyKind, node: &Node, path: Vec<String>) -> Option<TaxonomyValue> {
    let Value::Scalar {
        text, raw_range, ..
    } = &node.value
    else {
        return None;
    };
    // Generators keep the spaces around a name: ` news ` is its own category.
    if text.trim().is_empty() || is_null(node) {
        return None;
    }
    let value = text.clone();
    let path = if kind == TaxonomyKind::Category {
        let mut path = path;
        path.push(value.clone());
        path
    } else {
        vec![value.clone()]
    };
    Some(TaxonomyValue {
        kind,
        value,
        path,
        range: node.range.clone(),
        raw_range: raw_range.clone(),
    })
}

/// Hexo: a string, one hierarchical list, or a list of lists (several paths).
fn hexo_categories(node: &Node, out: &mut Vec<TaxonomyValue>) {
    match &node.value {
        Value::Sequence(items) if items.iter().any(|i| matches!(i.value, Value::Sequence(_))) => {
            for item in items {
                match &item.value {
                    Value::Sequence(path) => hierarchy(path, out),
                    _ => hierarchy(std::slice::from_ref(item), out),
                }
            }
        }
        Value::Sequence(items) => hierarchy(items, out),
        _ => out.extend(value_of(TaxonomyKind::Category, node, Vec::new())),
    }
}

fn hierarchy(items: &[Node], out: &mut Vec<TaxonomyValue>) {
    let mut path = Vec::new();
    for item in items {
        if let Some(value) = value_of(TaxonomyKind::Category, item, path.clone()) {
            path = value.path.clone();
            out.push(value);
        }
    }
}

/// A flat list or a single value (`split`: Jekyll's whitespace-separated
/// string). Jekyll also flattens lists inside the list.
fn flat(
    node: &Node,
    kind: TaxonomyKind,
    generator: Generator,
    split: bool,
    out: &mut Vec<TaxonomyValue>,
) {
    match &node.value {
        Value::Sequence(items) => {
            for item in items {
                match &item.value {
                    Value::Sequence(_) if generator == Generator::Jekyll => {
                        flat(item, kind, generator, false, out);
                    }
                    _ => flat_scalar(item, kind, false, out),
                }
            }
        }
        _ => flat_scalar(node, kind, split, out),
    }
}

fn flat_scalar(node: &Node, kind: TaxonomyKind, split: bool, out: &mut Vec<TaxonomyValue>) {
    let Value::Scalar {
        text, raw_range, ..
    } = &node.value
    else {
        return;
    };
    if !split || is_null(node) {
        out.extend(value_of(kind, node, Vec::new()));
        return;
    }
    // Jekyll's whitespace-separated string: one value per word, each with its own
    // span when the source holds the words verbatim (no escapes or line folding).
    for (offset, word) in word_offsets(text) {
        let exact = raw_range.end - raw_range.start == text.len();
        let range = if exact {
            raw_range.start + offset..raw_range.start + offset + word.len()
        } else {
            node.range.clone()
        };
        let raw = if exact {
            range.clone()
        } else {
            raw_range.clone()
        };
        out.push(TaxonomyValue {
            kind,
            value: word.to_owned(),
            path: vec![word.to_owned()],
            range,
            raw_range: raw,
        });
    }
}

/// The words of `text` as Ruby's `String#split` finds them (ASCII whitespace).
fn word_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| c.is_ascii_whitespace() || c == '\u{b}')
        .scan(0usize, |at, word| {
            let start = *at;
            *at += word.len() + 1;
            Some((start, word))
        })
        .filter(|(_, word)| !word.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontmatter::parse;

    fn config(generator: Generator) -> Config {
        Config {
            generator,
            ..Config::default()
        }
    }

    fn values(text: &str, generator: Generator) -> Vec<(TaxonomyKind, Vec<String>, String)> {
        let fm = parse(text).expect("front matter");
        taxonomy_values(&fm, &config(generator))
            .into_iter()
            .map(|v| {
                assert_eq!(&text[v.raw_range.clone()], v.value, "raw range of {v:?}");
                (v.kind, v.path, text[v.range].to_owned())
            })
            .collect()
    }

    fn paths(text: &str, generator: Generator) -> Vec<Vec<String>> {
        let fm = parse(text).expect("front matter");
        summarize(Some(&fm), &config(generator)).categories
    }

    fn p(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn which_keys_each_generator_reads() {
        let text =
            "---\ncategory: single\ncategories: [plural]\ntag: one\ntags: [many, null]\n---\n";
        let fm = parse(text).expect("front matter");
        let read = |generator| -> Vec<String> {
            taxonomy_values(&fm, &config(generator))
                .into_iter()
                .map(|value| value.value)
                .collect()
        };
        assert_eq!(read(Generator::Hexo), ["plural", "many"]);
        assert_eq!(read(Generator::Hugo), ["plural", "many"]);
        assert_eq!(read(Generator::Jekyll), ["single", "plural", "one"]);
        let spaced = parse("---\ncategories: ' news '\n---\n").expect("front matter");
        let values = taxonomy_values(&spaced, &config(Generator::Hexo));
        assert_eq!(values[0].value, " news ");
        let null_plural = parse("---\ncategories:\ncategory: only\n---\n").expect("fm");
        let values = taxonomy_values(&null_plural, &config(Generator::Hexo));
        assert_eq!(values[0].value, "only");
    }

    #[test]
    fn hexo_string_list_and_list_of_lists() {
        assert_eq!(
            paths("---\ncategories: 金融\n---\n", Generator::Hexo),
            [p(&["金融"])]
        );
        assert_eq!(
            paths("---\ncategories: [金融, 新浪财经]\n---\n", Generator::Hexo),
            [p(&["金融", "新浪财经"])]
        );
        assert_eq!(
            paths(
                "---\ncategories:\n- [A, B]\n- C\n- [D]\n---\n",
                Generator::Hexo
            ),
            [p(&["A", "B"]), p(&["C"]), p(&["D"])]
        );
        assert_eq!(
            paths(
                "---\ncategory:\n  - 金融\n  - '新浪财经'\n---\n",
                Generator::Hexo
            ),
            [p(&["金融", "新浪财经"])]
        );
        let values = values(
            "---\ncategories: [金融, \"新浪财经\"]\n---\n",
            Generator::Hexo,
        );
        assert_eq!(values[1].1, p(&["金融", "新浪财经"]));
        assert_eq!(values[1].2, "\"新浪财经\"");
    }

    #[test]
    fn hugo_and_jekyll_are_flat() {
        assert_eq!(
            paths("---\ncategories: [A, B]\n---\n", Generator::Hugo),
            [p(&["A"]), p(&["B"])]
        );
        assert_eq!(
            paths("+++\ncategories = [\"A\", \"B\"]\n+++\n", Generator::Hugo),
            [p(&["A"]), p(&["B"])]
        );
        let values = values(
            "---\ncategories: news  tech\ntags: \"a b\"\n---\n",
            Generator::Jekyll,
        );
        let words: Vec<&str> = values.iter().map(|v| v.2.as_str()).collect();
        assert_eq!(words, ["news", "tech", "a", "b"]);
    }

    #[test]
    fn jekyll_splits_only_plural_strings_and_flattens_nested_lists() {
        let words = |text: &str| -> Vec<String> {
            let fm = parse(text).expect("front matter");
            taxonomy_values(&fm, &config(Generator::Jekyll))
                .into_iter()
                .map(|value| value.value)
                .collect()
        };
        assert_eq!(words("---\ncategories: ' news '\n---\n"), ["news"]);
        assert_eq!(words("---\ntags: ['a b', c]\n---\n"), ["a b", "c"]);
        assert_eq!(words("---\ncategory: one two\n---\n"), ["one two"]);
        assert_eq!(words("---\ntags: [[x, y], z]\n---\n"), ["x", "y", "z"]);
        assert_eq!(words("---\ntags: \"a\\tb\"\n---\n"), ["a", "b"]);
    }

    #[test]
    fn hugo_reads_taxonomy_keys_case_folded() {
        let fm = parse("---\nTags: [a]\nCategories: [b]\n---\n").expect("front matter");
        let read: Vec<String> = taxonomy_values(&fm, &config(Generator::Hugo))
            .into_iter()
            .map(|value| value.value)
            .collect();
        assert_eq!(read, ["a", "b"]);
        assert!(taxonomy_values(&fm, &config(Generator::Hexo)).is_empty());
    }

    #[test]
    fn tags_authors_title_and_keys() {
        let text = "---\ntitle: 标题\ntag: x\ntags: [y, z]\nauthor: 新浪财经\nauthors:\n  - Jane Doe\n---\n";
        let fm = parse(text).expect("front matter");
        let summary = summarize(Some(&fm), &config(Generator::Hexo));
        assert_eq!(summary.title.as_deref(), Some("标题"));
        // Hexo ignores `tag` beside `tags` (checked with Hexo 8).
        assert_eq!(summary.tags, ["y", "z"]);
        assert_eq!(summary.authors, ["新浪财经", "Jane Doe"]);
        assert_eq!(summary.keys, ["title", "tag", "tags", "author", "authors"]);
        assert_eq!(
            summarize(None, &config(Generator::Hexo)),
            PostSummary::default()
        );
    }
}
