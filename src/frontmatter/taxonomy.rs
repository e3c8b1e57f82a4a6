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
//! Unquoted numbers, booleans and dates are filed under the text each
//! generator prints for them (`2.0` is Hexo's and Hugo's `2`, Jekyll's `2.0`;
//! see [`super::typed`]); `as_written` says when that differs from the source.
//! A list inside a list: Hexo files the post under its JavaScript text (`b,c`),
//! Jekyll's categories under its Ruby text (`["b", "c"]`) and the flattened
//! leaves, Jekyll's tags under the leaves; Hugo drops the whole key. Jekyll
//! reads no tags from a `tags` number and cannot read a post whose
//! `categories` is one (FM007 reports both).
//!
//! Hexo's `category_map`/`tag_map` only change URL slugs, not names, so they are
//! not applied; neither is `default_category` (the index shows what posts say).

use std::ops::Range;

use super::typed::{Reading, is_timestamp, typed};
use super::{Format, FrontMatter, Node, ScalarStyle, Value};
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
    /// Whether the generator files the post under the text as written; not for
    /// a number it prints another way (`2.0` as `2`), a list inside a list, or a
    /// date printed in the build machine's zone (then `value` is the written text).
    pub as_written: bool,
}

const CATEGORY_KEYS: &[&str] = &["categories", "category"];
const TAG_KEYS: &[&str] = &["tags", "tag"];
const AUTHOR_KEYS: &[&str] = &["author", "authors"];

/// Every taxonomy value of the post, in file order.
pub fn taxonomy_values(fm: &FrontMatter, config: &Config) -> Vec<TaxonomyValue> {
    read_taxonomy(fm, config.generator)
}

/// [`taxonomy_values`] as `generator` reads them ([`FrontMatter::taxonomy_values`]
/// keeps them).
pub(super) fn read_taxonomy(fm: &FrontMatter, generator: Generator) -> Vec<TaxonomyValue> {
    let reader = Reader {
        generator,
        format: fm.format,
    };
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
                Generator::Hexo => reader.hexo_categories(&entry.value, &mut out),
                _ => reader.flat(&entry.value, TaxonomyKind::Category, split, &mut out),
            }
        } else if TAG_KEYS.contains(&key) {
            reader.flat(&entry.value, TaxonomyKind::Tag, split, &mut out);
        } else if AUTHOR_KEYS.contains(&key) {
            // Author names contain spaces: never split them.
            reader.flat(&entry.value, TaxonomyKind::Author, false, &mut out);
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
    let values = fm.taxonomy_values(config.generator);
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

/// How one generator reads one post's front matter.
#[derive(Clone, Copy)]
struct Reader {
    generator: Generator,
    format: Format,
}

/// What the generator makes of one list item or value.
enum Read {
    Null,
    /// A name, and whether it is the text as written.
    Name(String, bool),
    /// A text the model does not reproduce.
    Other,
}

impl Reader {
    /// The scalar `node` as the generator reads it; `None` for a list or mapping.
    fn scalar(self, node: &Node) -> Option<Read> {
        let Value::Scalar { text, style, .. } = &node.value else {
            return match node.value {
                Value::Empty => Some(Read::Null),
                _ => None,
            };
        };
        if *style != ScalarStyle::Plain {
            return Some(Read::Name(text.clone(), true));
        }
        // Every reader drops a null; plain Markdown has no typing beyond that.
        if self.generator == Generator::Plain && is_null(node) {
            return Some(Read::Null);
        }
        Some(match typed(self.generator, self.format, text) {
            None => Read::Name(text.clone(), true),
            Some(Reading::Null) => Read::Null,
            Some(Reading::Name(name)) => {
                let same = name == *text;
                Read::Name(name, same)
            }
            Some(Reading::Other) => Read::Other,
        })
    }

    /// Any item as the generator files it: a scalar, or a list inside the
    /// list (Hexo: its JavaScript text; Jekyll categories: its Ruby text).
    fn item(self, node: &Node) -> Read {
        if let Some(read) = self.scalar(node) {
            return read;
        }
        let text = match self.generator {
            Generator::Hexo => self.javascript_text(node),
            Generator::Jekyll => self.ruby_inspect(node),
            Generator::Hugo | Generator::Plain => None,
        };
        text.map_or(Read::Other, |text| Read::Name(text, false))
    }

    /// JavaScript's `String(value)`: list items joined with `,`, null as nothing.
    fn javascript_text(self, node: &Node) -> Option<String> {
        match &node.value {
            Value::Sequence(items) => {
                let parts: Option<Vec<String>> = items
                    .iter()
                    .map(|item| self.javascript_text(item))
                    .collect();
                Some(parts?.join(","))
            }
            Value::Mapping(_) => Some("[object Object]".into()),
            _ => match self.scalar(node)? {
                Read::Null => Some(String::new()),
                Read::Name(name, _) => Some(name),
                Read::Other => None,
            },
        }
    }

    /// Ruby's `inspect` of a list: `["a", ["b", "c"]]`, numbers bare, `nil`.
    fn ruby_inspect(self, node: &Node) -> Option<String> {
        match &node.value {
            Value::Sequence(items) => {
                let parts: Option<Vec<String>> =
                    items.iter().map(|item| self.ruby_inspect(item)).collect();
                Some(format!("[{}]", parts?.join(", ")))
            }
            Value::Scalar { text, style, .. } => {
                if *style != ScalarStyle::Plain {
                    return Some(ruby_string(text));
                }
                match typed(self.generator, self.format, text) {
                    None => Some(ruby_string(text)),
                    Some(Reading::Null) => Some("nil".into()),
                    // A `Date` inspects as `#<Date: …>`.
                    Some(Reading::Name(_)) if is_timestamp(text, true) => None,
                    Some(Reading::Name(name)) => Some(name),
                    Some(Reading::Other) => None,
                }
            }
            Value::Empty => Some("nil".into()),
            Value::Mapping(_) => None,
        }
    }

    fn value_of(self, kind: TaxonomyKind, node: &Node, path: Vec<String>) -> Option<TaxonomyValue> {
        let (value, as_written) = match self.item(node) {
            Read::Null => return None,
            Read::Name(name, as_written) => (name, as_written),
            Read::Other => (source_text(node)?, false),
        };
        // Generators keep the spaces around a name: ` news ` is its own category.
        if value.trim().is_empty() {
            return None;
        }
        let raw_range = match &node.value {
            Value::Scalar { raw_range, .. } => raw_range.clone(),
            _ => node.range.clone(),
        };
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
            raw_range,
            as_written,
        })
    }

    /// Hexo: a string, one hierarchical list, or a list of lists (several paths).
    fn hexo_categories(self, node: &Node, out: &mut Vec<TaxonomyValue>) {
        match &node.value {
            Value::Sequence(items)
                if items.iter().any(|i| matches!(i.value, Value::Sequence(_))) =>
            {
                for item in items {
                    match &item.value {
                        Value::Sequence(path) => self.hierarchy(path, out),
                        _ => self.hierarchy(std::slice::from_ref(item), out),
                    }
                }
            }
            Value::Sequence(items) => self.hierarchy(items, out),
            _ => out.extend(self.value_of(TaxonomyKind::Category, node, Vec::new())),
        }
    }

    fn hierarchy(self, items: &[Node], out: &mut Vec<TaxonomyValue>) {
        let mut path = Vec::new();
        for item in items {
            if let Some(value) = self.value_of(TaxonomyKind::Category, item, path.clone()) {
                path = value.path.clone();
                out.push(value);
            }
        }
    }

    /// A flat list or a single value (`split`: Jekyll's plural key, a string of
    /// whitespace-separated names).
    fn flat(self, node: &Node, kind: TaxonomyKind, split: bool, out: &mut Vec<TaxonomyValue>) {
        let Value::Sequence(items) = &node.value else {
            return self.flat_scalar(node, kind, split, out);
        };
        let nested = |item: &Node| matches!(item.value, Value::Sequence(_) | Value::Mapping(_));
        match self.generator {
            // Hugo cannot make names of a list holding a list: it files none.
            Generator::Hugo if items.iter().any(nested) => {}
            Generator::Jekyll => {
                for item in items {
                    if let Value::Sequence(_) = item.value {
                        // Categories are also filed under the inner list's text.
                        if kind == TaxonomyKind::Category {
                            out.extend(self.value_of(kind, item, Vec::new()));
                        }
                        self.jekyll_leaves(item, kind, out);
                    } else {
                        self.flat_scalar(item, kind, false, out);
                    }
                }
            }
            _ => {
                for item in items {
                    out.extend(self.value_of(kind, item, Vec::new()));
                }
            }
        }
    }

    /// Jekyll flattens a list inside the list into its leaves.
    fn jekyll_leaves(self, node: &Node, kind: TaxonomyKind, out: &mut Vec<TaxonomyValue>) {
        match &node.value {
            Value::Sequence(items) => {
                for item in items {
                    self.jekyll_leaves(item, kind, out);
                }
            }
            _ => out.extend(self.value_of(kind, node, Vec::new())),
        }
    }

    fn flat_scalar(
        self,
        node: &Node,
        kind: TaxonomyKind,
        split: bool,
        out: &mut Vec<TaxonomyValue>,
    ) {
        let Value::Scalar {
            text, raw_range, ..
        } = &node.value
        else {
            return;
        };
        if !split {
            out.extend(self.value_of(kind, node, Vec::new()));
            return;
        }
        // Jekyll's plural key: a number, boolean or date is no list of names.
        if typed(self.generator, self.format, text).is_some() && is_plain(node) {
            return;
        }
        // One value per word, each with its own span when the source holds the
        // words verbatim (no escapes or line folding).
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
                as_written: true,
            });
        }
    }
}

fn is_plain(node: &Node) -> bool {
    matches!(
        node.value,
        Value::Scalar {
            style: ScalarStyle::Plain,
            ..
        }
    )
}

/// The decoded text of a scalar, for a value whose reading is not reproduced.
fn source_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::Scalar { text, .. } => Some(text.clone()),
        _ => None,
    }
}

/// Ruby's `String#inspect` for the characters front matter holds.
fn ruby_string(text: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{1b}' => out.push_str("\\e"),
            '#' if matches!(chars.peek(), Some('{' | '$' | '@')) => out.push_str("\\#"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
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
                if v.as_written {
                    assert_eq!(&text[v.raw_range.clone()], v.value, "raw range of {v:?}");
                }
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

    fn names(text: &str, generator: Generator) -> Vec<(String, bool)> {
        let fm = parse(text).expect("front matter");
        taxonomy_values(&fm, &config(generator))
            .into_iter()
            .map(|value| (value.path.join("/"), value.as_written))
            .collect()
    }

    fn n(name: &str, as_written: bool) -> (String, bool) {
        (name.to_owned(), as_written)
    }

    /// tests/generators/cases/tax-nested*.md as Hexo 8, Hugo and Jekyll 4.3 file them.
    #[test]
    fn a_list_inside_a_list_per_generator() {
        let text = "---\ncategories:\n  - [a, [b, c]]\n  - d\ntags: [[x, y], z]\n---\n";
        assert_eq!(
            names(text, Generator::Hexo),
            [
                n("a", true),
                n("a/b,c", false),
                n("d", true),
                n("x,y", false),
                n("z", true)
            ]
        );
        assert!(names(text, Generator::Hugo).is_empty());
        assert_eq!(
            names(text, Generator::Jekyll),
            [
                n("[\"a\", [\"b\", \"c\"]]", false),
                n("a", true),
                n("b", true),
                n("c", true),
                n("d", true),
                n("x", true),
                n("y", true),
                n("z", true)
            ]
        );
        let hugo_plain = "---\ncategories: [a]\ntags: [[x], z]\n---\n";
        assert_eq!(names(hugo_plain, Generator::Hugo), [n("a", true)]);
        let quoted = "---\ncategories: [[p, [\"q\\\"\", 2.0, ~]]]\n---\n";
        assert_eq!(
            names(quoted, Generator::Jekyll)[0],
            n("[\"p\", [\"q\\\"\", 2.0, nil]]", false)
        );
        assert_eq!(names(quoted, Generator::Hexo)[1], n("p/q\",2,", false));
    }

    #[test]
    fn numbers_booleans_and_dates_are_filed_as_each_generator_prints_them() {
        let text = "---\ncategories: [2.0, 'x']\ntags: [0x10, 1e3, yes, null, 2020-01-02]\n---\n";
        assert_eq!(
            names(text, Generator::Hexo),
            [
                n("2", false),
                n("2/x", true),
                n("16", false),
                n("1000", false),
                n("yes", true),
                n("2020-01-02", false)
            ]
        );
        assert_eq!(
            names(text, Generator::Hugo),
            [
                n("2", false),
                n("x", true),
                n("16", false),
                n("1e3", true),
                n("yes", true),
                n("2020-01-02", true)
            ]
        );
        assert_eq!(
            names(text, Generator::Jekyll),
            [
                n("2.0", true),
                n("x", true),
                n("16", false),
                n("1e3", true),
                n("true", false),
                n("2020-01-02", true)
            ]
        );
        // Jekyll reads no names from a plural key holding a number.
        assert!(names("---\ntags: 5\ncategories: 2.0\n---\n", Generator::Jekyll).is_empty());
        assert_eq!(
            names("---\ntag: 5\n---\n", Generator::Jekyll),
            [n("5", true)]
        );
        assert_eq!(
            names("+++\ntags = [2.0]\n+++\n", Generator::Hugo),
            [n("2", false)]
        );
        assert_eq!(
            names("---\ntags: [2.0, ~]\n---\n", Generator::Plain),
            [n("2.0", true)]
        );
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
