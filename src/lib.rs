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
pub mod ide;
pub mod line_index;
pub mod lsp;
pub mod markup;
pub mod resolve;
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
use site::{PostKey, SiteIndex};

/// Settings compiled once (pattern automata) and reused for every file.
pub struct Linter {
    config: Config,
    patterns: Patterns,
    /// `[per-file-ignores]`, compiled: a post whose key matches the glob gets none
    /// of the findings of these codes, prefixes or rule names.
    ignores: Vec<(globset::GlobMatcher, Vec<String>)>,
    /// The shell's clock (the core has none): FM006 inserts it as a missing `date`;
    /// `None` means no such fix.
    now: Option<jiff::Zoned>,
}

impl Linter {
    pub fn new(config: Config) -> Linter {
        let patterns = Patterns::new(&config.markup);
        // The globs were checked when the settings were read.
        let ignores = config
            .per_file_ignores
            .iter()
            .filter_map(|(glob, patterns)| {
                let matcher = config::compile_glob(glob).ok()?;
                Some((matcher, patterns.clone()))
            })
            .collect();
        Linter {
            config,
            patterns,
            ignores,
            now: None,
        }
    }

    /// The time `check` and `check_document` read, taken by the caller (the CLI at
    /// the start of a run).
    pub fn with_clock(mut self, now: jiff::Zoned) -> Linter {
        self.now = Some(now);
        self
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Parses a post as the site's generator reads it (Hexo's fenceless front
    /// matter included); use this, not `Document::parse`, for documents to lint.
    pub fn parse<'a>(&self, text: &'a str, key: Option<&'a PostKey>) -> Document<'a> {
        Document::parse_for(text, key.map(PostKey::as_str), self.config.generator)
    }

    /// Lints one post; `key` names it in `site` (rules compare it with the rest).
    pub fn check(&self, text: &str, key: Option<&PostKey>, site: &SiteIndex) -> Vec<Diagnostic> {
        let doc = self.parse(text, key);
        self.check_document(&doc, site)
    }

    /// Lints an already parsed post.
    pub fn check_document(&self, doc: &Document, site: &SiteIndex) -> Vec<Diagnostic> {
        self.finish(
            doc,
            rules::check(&self.context(doc, site, self.now.as_ref())),
        )
    }

    /// Lints one post at the time `now` (the server's, per analysis), asking `stop`
    /// between rules; `None` when it said stop.
    pub fn check_until(
        &self,
        text: &str,
        key: Option<&PostKey>,
        site: &SiteIndex,
        now: Option<&jiff::Zoned>,
        stop: &dyn Fn() -> bool,
    ) -> Option<Vec<Diagnostic>> {
        let doc = self.parse(text, key);
        rules::check_until(&self.context(&doc, site, now), stop)
            .map(|found| self.finish(&doc, found))
    }

    /// What every shell gets: the `[per-file-ignores]` of the post left out, and
    /// markup deletions widened so that no blank-line pair is left behind.
    fn finish(&self, doc: &Document, mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        if let Some(path) = doc.path {
            let ignored: Vec<&String> = self
                .ignores
                .iter()
                .filter(|(glob, _)| glob.is_match(path))
                .flat_map(|(_, patterns)| patterns)
                .collect();
            if !ignored.is_empty() {
                diagnostics.retain(|d| !ignored.iter().any(|p| rules::matches_rule(d.code, p)));
            }
        }
        fix::leave_no_blank_pair(doc.text, diagnostics)
    }

    fn context<'a>(
        &'a self,
        doc: &'a Document<'a>,
        site: &'a SiteIndex,
        now: Option<&'a jiff::Zoned>,
    ) -> Context<'a> {
        Context {
            doc,
            config: &self.config,
            patterns: &self.patterns,
            site,
            now,
        }
    }
}
