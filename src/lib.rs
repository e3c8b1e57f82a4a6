//! copydesk: keeps static-site posts clean.
//!
//! The analysis core (`document`, `frontmatter`, `markup`, `rules`, `fix`, `config`,
//! `site`) is pure: text, settings and the site index in, diagnostics with fixes out.
//! `workspace` does the file-system work both shells share; `cli` and `lsp` are the
//! two shells.

pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod fix;
pub mod frontmatter;
pub mod line_index;
pub mod lsp;
pub mod markup;
pub mod rules;
pub mod site;
pub mod workspace;

/// The project's repository and documentation home: Cargo.toml's `repository`, the
/// one place it is written (tests/distribution.rs checks the packages agree).
pub const REPOSITORY_URL: &str = env!("CARGO_PKG_REPOSITORY");

use config::Config;
use diagnostic::Diagnostic;
use document::{Context, Document};
use markup::patterns::Patterns;
use site::SiteIndex;

/// Settings compiled once (pattern automata) and reused for every file.
pub struct Linter {
    config: Config,
    patterns: Patterns,
}

impl Linter {
    pub fn new(config: Config) -> Linter {
        let patterns = Patterns::new(&config.markup);
        Linter { config, patterns }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Parses a post as the site's generator reads it (Hexo's fenceless front
    /// matter included); use this, not `Document::parse`, for documents to lint.
    pub fn parse<'a>(&self, text: &'a str, path: Option<&'a str>) -> Document<'a> {
        Document::parse_for(text, path, self.config.generator)
    }

    /// Lints one post. `path` is relative to the site root, `/`-separated.
    pub fn check(&self, text: &str, path: Option<&str>, site: &SiteIndex) -> Vec<Diagnostic> {
        let doc = self.parse(text, path);
        self.check_document(&doc, site)
    }

    /// Lints an already parsed post.
    pub fn check_document(&self, doc: &Document, site: &SiteIndex) -> Vec<Diagnostic> {
        let ctx = Context {
            doc,
            config: &self.config,
            patterns: &self.patterns,
            site,
        };
        rules::check(&ctx)
    }
}
