//! Front matter: finds the block (YAML `---`, TOML `+++`, Hexo JSON `;;;`) and parses
//! it into a tree with exact byte spans for every key, value and list item.

pub mod dates;
pub mod schema;

use std::ops::Range;

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
    pub open_fence: Range<usize>,
    /// `None` when the block is never closed.
    pub close_fence: Option<Range<usize>>,
    /// Between the fences.
    pub content: Range<usize>,
    /// Top-level entries in file order (duplicates kept).
    pub entries: Vec<Entry>,
    pub error: Option<SyntaxError>,
}

impl FrontMatter {
    /// The first entry named `key`.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.key == key)
    }
}

/// Finds and parses the front matter of `text`; `None` when the post has none.
pub fn parse(_text: &str) -> Option<FrontMatter> {
    None
}

/// Where the Markdown body starts.
pub fn body_start(front_matter: Option<&FrontMatter>) -> usize {
    match front_matter {
        Some(fm) => fm
            .close_fence
            .as_ref()
            .map_or(fm.content.end, |fence| fence.end),
        None => 0,
    }
}
