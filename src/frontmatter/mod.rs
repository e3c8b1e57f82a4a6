//! Front matter: finds the block (YAML `---`, TOML `+++`, Hexo JSON `;;;`) and parses
//! it into a tree with exact byte spans for every key, value and list item.

pub mod dates;
pub mod schema;

use std::borrow::Cow;
use std::ops::Range;

use crate::config::Generator;

mod json;
mod locate;
pub use locate::unread_by;
pub mod taxonomy;
mod toml;
pub mod typed;
mod yaml;
mod yaml_subset;

/// The syntax of a front-matter block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
    Json,
}

/// How a scalar was written, so edits can keep the author's quoting style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// A value with the byte range it occupies in the file (quotes included).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub range: Range<usize>,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `text` is the decoded value; `raw_range` is the range inside the quotes.
    Scalar {
        text: String,
        style: ScalarStyle,
        raw_range: Range<usize>,
    },
    Sequence(Vec<Node>),
    Mapping(Vec<Entry>),
    /// A key with nothing after it.
    Empty,
}

/// One `key: value` pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_range: Range<usize>,
    pub value: Node,
}

/// Where the parser gave up, with its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: Range<usize>,
    pub message: String,
}

/// A front-matter block found at the top of a post.
#[derive(Clone, Debug, PartialEq)]
pub struct FrontMatter {
    pub format: Format,
    /// What precedes the opening fence (BOM, blank or whitespace-only lines).
    pub leading: Range<usize>,
    /// The opening fence line, without its line break. Empty (at the start of
    /// `content`) for Hexo's fenceless form, see [`FrontMatter::implicit`].
    pub open_fence: Range<usize>,
    /// The closing fence line, without its line break; `None` when the block is
    /// never closed.
    pub close_fence: Option<Range<usize>>,
    /// Between the fences: from after the opening fence's line break to the start
    /// of the closing fence line (to the end of the text when unterminated).
    pub content: Range<usize>,
    /// Top-level entries in file order (duplicates kept).
    pub entries: Vec<Entry>,
    /// The first syntax error; `entries` keeps what was complete before it.
    pub error: Option<SyntaxError>,
    /// The generator this block was read for ([`parse_for`]).
    generator: Generator,
    taxonomy: TaxonomyCache,
}

/// [`FrontMatter::taxonomy_values`], read on the first question: the index and the
/// rules both ask. Derived from the rest, so it never makes two blocks differ.
#[derive(Clone, Debug, Default)]
struct TaxonomyCache(std::sync::OnceLock<Vec<taxonomy::TaxonomyValue>>);

impl PartialEq for TaxonomyCache {
    fn eq(&self, _: &TaxonomyCache) -> bool {
        true
    }
}

impl FrontMatter {
    /// Hexo's fenceless form: no opening fence (`open_fence` is empty), the lines
    /// before the first line starting with `---` (or `;;;`) are front matter and
    /// `close_fence` is that line. Only found by [`parse_for`] with
    /// [`Generator::Hexo`], and only when Hexo really takes those lines as data:
    /// YAML that parses to a mapping or list or fails to parse, or valid JSON
    /// (Hexo keeps a plain string as body).
    pub fn implicit(&self) -> bool {
        self.open_fence.is_empty()
    }

    /// The first entry named `key`.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.key == key)
    }

    /// Every taxonomy value as `generator` reads it ([`taxonomy::taxonomy_values`]),
    /// read once when `generator` is the one the block was parsed for: the site
    /// index and the taxonomy rules then share one reading.
    pub fn taxonomy_values(&self, generator: Generator) -> Cow<'_, [taxonomy::TaxonomyValue]> {
        if generator != self.generator {
            return Cow::Owned(taxonomy::read_taxonomy(self, generator));
        }
        Cow::Borrowed(
            self.taxonomy
                .0
                .get_or_init(|| taxonomy::read_taxonomy(self, generator)),
        )
    }
}

/// Finds and parses the fenced front matter of `text` (`---`, `+++` or `;;;` as the
/// first non-blank line); `None` when the post has none. Generator-neutral: Hexo's
/// fenceless form and its reading of tabs need [`parse_for`].
pub fn parse(text: &str) -> Option<FrontMatter> {
    parse_for(text, Generator::Plain)
}

/// Like [`parse`], with the generator's own reading of the file. For Hexo: a post
/// without an opening fence whose first lines are followed by a `---` (or `;;;`)
/// line has front matter (see [`FrontMatter::implicit`]), and tabs that indent a
/// YAML line count as spaces (Hexo rewrites them before parsing).
pub fn parse_for(text: &str, generator: Generator) -> Option<FrontMatter> {
    let hexo = generator == Generator::Hexo;
    if let Some(block) = locate::fenced(text) {
        let parsed = match block.format {
            Format::Yaml => yaml::parse(text, block.content.clone(), hexo),
            Format::Toml => toml::parse(text, block.content.clone()),
            Format::Json => json::parse(text, block.content.clone()),
        };
        return Some(block.into_front_matter(parsed, generator));
    }
    if !hexo {
        return None;
    }
    let block = locate::hexo_fenceless(text)?;
    let parsed = match block.format {
        Format::Json => json::parse(text, block.content.clone()),
        _ => yaml::parse(text, block.content.clone(), true),
    };
    // Hexo keeps the lines as body when they are a plain string or nothing at all,
    // or invalid JSON; invalid YAML throws, so the post is lost either way.
    let is_data = match block.format {
        Format::Json => parsed.error.is_none(),
        _ => {
            parsed.error.is_some()
                || matches!(
                    parsed.root.as_ref().map(|node| &node.value),
                    Some(Value::Mapping(_) | Value::Sequence(_))
                )
        }
    };
    is_data.then(|| block.into_front_matter(parsed, generator))
}

/// The closed fenced block a post starts with, through its closing line break: all
/// that its index summary reads, so an edit after it leaves the summary as it was.
/// `None` without one (Hexo's fence-less form and an unclosed fence read further).
pub fn closed_block_text(text: &str) -> Option<&str> {
    let close = locate::fenced(text)?.close_fence?;
    text.get(..locate::after_line_break(text, close.end))
}

/// Where the Markdown body starts: after the closing fence's line break; after the
/// opening fence when the block is never closed (generators then read the whole
/// file as body).
pub fn body_start(text: &str, front_matter: Option<&FrontMatter>) -> usize {
    let Some(fm) = front_matter else {
        return 0;
    };
    let Some(close) = &fm.close_fence else {
        return fm.open_fence.end;
    };
    locate::after_line_break(text, close.end)
}

/// The range inside the quotes of a quoted scalar at `range`: `quote` (one or three
/// ASCII quote characters) is stripped from the start, and from the end only if it
/// is there (a parser recovering from an error can hand out an unclosed string).
pub(crate) fn inside_quotes(text: &str, range: Range<usize>, quote: &str) -> Range<usize> {
    let Some(raw) = text.get(range.clone()) else {
        return range;
    };
    let Some(inner) = raw.strip_prefix(quote) else {
        return range;
    };
    let start = range.end - inner.len();
    let end = match inner.strip_suffix(quote) {
        Some(inside) => start + inside.len(),
        None => range.end,
    };
    start..end
}

/// What a format parser hands back: the root node (a mapping for well-formed front
/// matter) and the first syntax error. On an error, `root` keeps what was complete
/// before it.
#[derive(Debug, PartialEq)]
pub(crate) struct Parsed {
    pub root: Option<Node>,
    pub error: Option<SyntaxError>,
}

impl Parsed {
    fn into_entries(self) -> (Vec<Entry>, Option<SyntaxError>) {
        let entries = match self.root {
            Some(Node {
                value: Value::Mapping(entries),
                ..
            }) => entries,
            _ => Vec::new(),
        };
        (entries, self.error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn taxonomy_values_are_read_once_for_the_generator_parsed_for() {
        let text = "---\ntags: a b\n---\n";
        let fm = parse_for(text, Generator::Hexo).expect("front matter");
        let names = |values: &[taxonomy::TaxonomyValue]| -> Vec<String> {
            values.iter().map(|value| value.value.clone()).collect()
        };
        let first = fm.taxonomy_values(Generator::Hexo);
        assert!(matches!(first, Cow::Borrowed(_)));
        assert_eq!(names(&first), ["a b"]);
        assert!(std::ptr::eq(&*first, &*fm.taxonomy_values(Generator::Hexo)));
        // Jekyll splits the string: read afresh, never from the Hexo reading.
        let jekyll = fm.taxonomy_values(Generator::Jekyll);
        assert!(matches!(jekyll, Cow::Owned(_)));
        assert_eq!(names(&jekyll), ["a", "b"]);
        assert_eq!(fm, parse_for(text, Generator::Hexo).expect("front matter"));
    }

    /// Pieces that make the parsers take their interesting paths.
    const PIECES: &[&str] = &[
        "---",
        "+++",
        ";;;",
        "...",
        "\n",
        "\r\n",
        "\u{FEFF}",
        " ",
        "\t",
        "title",
        "tags",
        "标题",
        "🚀",
        ": ",
        ":",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "'",
        "\"",
        "\\",
        "|",
        ">-",
        "#",
        "&a ",
        "*a",
        "!!str ",
        "= ",
        "?",
        "2022-06-14",
        "é",
    ];

    fn on_boundaries(text: &str, range: &Range<usize>) -> bool {
        range.start <= range.end
            && range.end <= text.len()
            && text.is_char_boundary(range.start)
            && text.is_char_boundary(range.end)
    }

    fn check_node(text: &str, node: &Node) {
        assert!(on_boundaries(text, &node.range), "{node:?}");
        match &node.value {
            Value::Scalar { raw_range, .. } => {
                assert!(on_boundaries(text, raw_range), "{text:?} {node:?}")
            }
            Value::Sequence(items) => items.iter().for_each(|item| check_node(text, item)),
            Value::Mapping(entries) => entries.iter().for_each(|entry| {
                assert!(on_boundaries(text, &entry.key_range));
                check_node(text, &entry.value);
            }),
            Value::Empty => {}
        }
    }

    proptest! {
        /// What the server's index shortcut relies on: whatever follows a closed
        /// block, the post's summary is the block's own.
        #[test]
        fn the_summary_reads_nothing_after_a_closed_block(
            fence in proptest::sample::select(&["---", "+++", ";;;"][..]),
            head in proptest::collection::vec(proptest::sample::select(PIECES), 0..30),
            body in proptest::collection::vec(proptest::sample::select(PIECES), 0..30),
        ) {
            let text = format!("{fence}\n{}\n{fence}\n", head.concat());
            let block = closed_block_text(&text);
            prop_assert!(block.is_some() || fence == ";;;", "{text:?}");
            let Some(block) = block else { return Ok(()) };
            let longer = format!("{block}{}", body.concat());
            prop_assert_eq!(closed_block_text(&longer), Some(block));
            for generator in [Generator::Hexo, Generator::Hugo, Generator::Jekyll] {
                let config = crate::config::Config { generator, ..crate::config::Config::default() };
                prop_assert_eq!(
                    crate::workspace::summarize(block, &config),
                    crate::workspace::summarize(&longer, &config)
                );
            }
        }

        #[test]
        fn any_text_parses_with_ranges_on_char_boundaries(
            start in proptest::sample::select(&["", "---\n", "+++\n", ";;;\n", "\n---\r\n"][..]),
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..40)
        ) {
            let text = format!("{start}{}", pieces.concat());
            for generator in [Generator::Hexo, Generator::Jekyll] {
                let Some(fm) = parse_for(&text, generator) else { continue };
                for range in [&fm.leading, &fm.open_fence, &fm.content] {
                    prop_assert!(on_boundaries(&text, range));
                }
                if let Some(close) = &fm.close_fence {
                    prop_assert!(on_boundaries(&text, close));
                }
                if let Some(error) = &fm.error {
                    prop_assert!(on_boundaries(&text, &error.range));
                }
                let body = body_start(&text, Some(&fm));
                prop_assert!(body <= text.len() && text.is_char_boundary(body));
                fm.entries.iter().for_each(|entry| {
                    check_node(&text, &entry.value);
                });
            }
        }
    }
}
