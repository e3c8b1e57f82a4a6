//! One post, parsed once: everything the rules read.

use std::borrow::Cow;

use crate::config::{Config, Generator};
use crate::frontmatter::taxonomy::TaxonomyValue;
use crate::frontmatter::{self, FrontMatter};
use crate::line_index::LineIndex;
use crate::markup::{self, Markup, patterns::Patterns};
use crate::site::SiteIndex;
use crate::suppress::{self, Directive};

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
    /// The file starts with a UTF-8 byte-order mark, in `text` or removed by the
    /// shell that read it (Jekyll then finds no front matter).
    pub bom: bool,
    /// In-file suppression directives, body and front matter.
    pub directives: Vec<Directive>,
}

impl<'a> Document<'a> {
    /// Parses a post without generator-specific readings (see [`Document::parse_for`]).
    pub fn parse(text: &'a str, path: Option<&'a str>) -> Document<'a> {
        Document::parse_for(text, path, Generator::Plain)
    }

    /// Parses a post as `generator` reads it (Hexo also finds fenceless front matter).
    pub fn parse_for(text: &'a str, path: Option<&'a str>, generator: Generator) -> Document<'a> {
        let front_matter = frontmatter::parse_for(text, generator);
        Document::from_front_matter(text, path, front_matter, BodyParse::Full)
    }

    /// Builds the document around its front matter, already parsed as the site's
    /// generator reads it (the CLI parses it once for the index and the rules), and
    /// reads as much of the body as `body` says.
    pub fn from_front_matter(
        text: &'a str,
        path: Option<&'a str>,
        front_matter: Option<FrontMatter>,
        body: BodyParse,
    ) -> Document<'a> {
        let body_start = frontmatter::body_start(text, front_matter.as_ref());
        let markup = markup::parse_with(text, body_start, body == BodyParse::Full);
        let directives = suppress::read(text, front_matter.as_ref(), &markup.html.comments);
        Document {
            text,
            path,
            lines: LineIndex::new(text),
            front_matter,
            body_start,
            markup,
            bom: text.starts_with('\u{feff}'),
            directives,
        }
    }

    /// The same post, known to start with a byte-order mark the shell removed
    /// from `text` (so byte offsets stay those of the text without it).
    pub fn with_stripped_bom(mut self, stripped: bool) -> Document<'a> {
        self.bom |= stripped;
        self
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

/// How much of the body a parse reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyParse {
    /// The Markdown structure and the HTML inside it: what the markup rules and the
    /// editor features read.
    Full,
    /// What the front-matter rules need of the body: the Markdown structure (no
    /// edit inside an indented HTML code block is safe) and the suppression
    /// comments. The HTML is tokenized only when the body holds a directive.
    Structure,
}

/// What a rule sees: the post, the settings and the rest of the site.
pub struct Context<'a> {
    pub doc: &'a Document<'a>,
    pub config: &'a Config,
    pub patterns: &'a Patterns,
    pub site: &'a SiteIndex,
    /// The current time in the site's time zone, from the shell; `None`: no clock.
    pub now: Option<&'a jiff::Zoned>,
    /// [`Context::taxonomy_values`] when the front matter was parsed for another
    /// generator than the site's.
    taxonomy: std::cell::OnceCell<Vec<TaxonomyValue>>,
}

impl<'a> Context<'a> {
    pub fn new(
        doc: &'a Document<'a>,
        config: &'a Config,
        patterns: &'a Patterns,
        site: &'a SiteIndex,
        now: Option<&'a jiff::Zoned>,
    ) -> Context<'a> {
        Context {
            doc,
            config,
            patterns,
            site,
            now,
            taxonomy: std::cell::OnceCell::new(),
        }
    }

    /// Every taxonomy value of the post as the site's generator reads it, in file
    /// order: read once, by the site index or the first rule that asks (FM007,
    /// FM013 and FM014 each reading it again cost 2% of `check`).
    pub fn taxonomy_values(&self) -> &[TaxonomyValue] {
        let Some(fm) = &self.doc.front_matter else {
            return &[];
        };
        if let Some(values) = self.taxonomy.get() {
            return values;
        }
        match fm.taxonomy_values(self.config.generator) {
            Cow::Borrowed(values) => values,
            Cow::Owned(values) => self.taxonomy.get_or_init(|| values),
        }
    }
}
