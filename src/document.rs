//! One post, parsed once: everything the rules read.

use crate::config::{Config, Generator};
use crate::frontmatter::{self, FrontMatter};
use crate::line_index::LineIndex;
use crate::markup::{self, Markup, patterns::Patterns};
use crate::site::SiteIndex;

/// A parsed post. Holds no I/O state: text and name in, structure out.
pub struct Document<'a> {
    pub text: &'a str,
    /// Path relative to the site root with `/` separators, when known
    /// (Jekyll reads the date from it, Hexo the title).
    pub path: Option<&'a str>,
    pub lines: LineIndex,
    pub front_matter: Option<FrontMatter>,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
    pub markup: Markup,
}

impl<'a> Document<'a> {
    /// Parses a post without generator-specific readings (see [`Document::parse_for`]).
    pub fn parse(text: &'a str, path: Option<&'a str>) -> Document<'a> {
        Document::parse_for(text, path, Generator::Plain)
    }

    /// Parses a post as `generator` reads it (Hexo also finds fenceless front matter).
    pub fn parse_for(text: &'a str, path: Option<&'a str>, generator: Generator) -> Document<'a> {
        let front_matter = frontmatter::parse_for(text, generator);
        let body_start = frontmatter::body_start(text, front_matter.as_ref());
        let markup = markup::parse(text, body_start);
        Document {
            text,
            path,
            lines: LineIndex::new(text),
            front_matter,
            body_start,
            markup,
        }
    }

    /// The line ending this post mostly uses, for fixes that insert lines.
    pub fn newline(&self) -> &'static str {
        let first_break = self.text.find('\n');
        match first_break {
            Some(at) if at > 0 && self.text.as_bytes()[at - 1] == b'\r' => "\r\n",
            _ => "\n",
        }
    }

    /// The text of a byte range.
    pub fn slice(&self, range: std::ops::Range<usize>) -> &'a str {
        &self.text[range]
    }
}

/// What a rule sees: the post, the settings and the rest of the site.
pub struct Context<'a> {
    pub doc: &'a Document<'a>,
    pub config: &'a Config,
    pub patterns: &'a Patterns,
    pub site: &'a SiteIndex,
    /// The current time in the site's time zone, from the shell; `None`: no clock.
    pub now: Option<&'a jiff::Zoned>,
}
