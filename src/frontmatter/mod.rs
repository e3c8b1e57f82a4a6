//! Front matter: finds the block (YAML `---`, TOML `+++`, Hexo JSON `;;;`) and parses
//! it into a tree with exact byte spans for every key, value and list item.

pub mod dates;
pub mod schema;

use std::ops::Range;

use crate::config::Generator;

mod json;
mod locate;
pub mod taxonomy;
mod toml;
mod yaml;

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
    /// `content`) when `implicit`.
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
    /// Hexo's fenceless form: no opening fence, the lines before the first line
    /// starting with `---` (or `;;;`) are front matter (`close_fence` is that line).
    /// Only found by [`parse_for`] with [`Generator::Hexo`], and only when Hexo
    /// really takes those lines as data: YAML that parses to a mapping or list or
    /// fails to parse, or valid JSON (Hexo keeps a plain string as body).
    pub implicit: bool,
    /// Where the body starts: after the closing fence's line break.
    pub body_start: usize,
}

impl FrontMatter {
    /// The first entry named `key`.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.key == key)
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
        return Some(block.into_front_matter(parsed, false));
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
    is_data.then(|| block.into_front_matter(parsed, true))
}

/// Where the Markdown body starts: after the closing fence's line break; after the
/// opening fence when the block is never closed (generators then read the whole
/// file as body).
pub fn body_start(front_matter: Option<&FrontMatter>) -> usize {
    match front_matter {
        Some(fm) => match &fm.close_fence {
            Some(_) => fm.body_start,
            None => fm.open_fence.end,
        },
        None => 0,
    }
}

/// What a format parser hands back: the root node (a mapping for well-formed front
/// matter) and the first syntax error. On an error, `root` keeps what was complete
/// before it.
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
