//! copydesk: keeps static-site posts clean.
//!
//! The analysis core (`document`, `frontmatter`, `markup`, `rules`, `suppress`, `fix`,
//! `config`, `site`) is pure: text, settings and the site index in, diagnostics with fixes out.
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
pub mod suppress;
pub mod workspace;

/// The project's repository and documentation home: Cargo.toml's `repository`, the
/// one place it is written (tests/distribution.rs checks the packages agree).
pub const REPOSITORY_URL: &str = env!("CARGO_PKG_REPOSITORY");

use config::Config;
use diagnostic::Diagnostic;
use document::{BodyParse, Context, Document};
use frontmatter::FrontMatter;
use markup::patterns::Patterns;
use site::{PostKey, SiteIndex};

/// Settings compiled once (pattern automata) and reused for every file.
pub struct Linter {
    config: Config,
    patterns: Patterns,
    /// `[per-file-ignores]`, compiled: a post whose key matches the glob gets none
    /// of the findings of these codes, prefixes or rule names.
    ignores: Vec<(globset::GlobMatcher, Vec<String>)>,
    /// Whether a markup rule is on; when none is, the rules' parse leaves the HTML
    /// of the body untokenized (`--select FM`).
    reads_markup: bool,
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
        let reads_markup = rules::markup::RULES
            .iter()
            .any(|rule| config.rules.get(rule.meta.code) != Some(&diagnostic::Severity::Off));
        Linter {
            config,
            patterns,
            ignores,
            reads_markup,
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

    /// [`Linter::parse`] for a file whose byte-order mark the shell removed
    /// from `text` (`stripped_bom`): the rules still know it was there.
    pub fn parse_file<'a>(
        &self,
        text: &'a str,
        stripped_bom: bool,
        key: Option<&'a PostKey>,
    ) -> Document<'a> {
        self.parse(text, key).with_stripped_bom(stripped_bom)
    }

    /// [`Linter::check`] for a file whose byte-order mark the shell removed.
    pub fn check_file(
        &self,
        text: &str,
        stripped_bom: bool,
        key: Option<&PostKey>,
        site: &SiteIndex,
    ) -> Vec<Diagnostic> {
        let doc = self
            .parse_to_check(text, key)
            .with_stripped_bom(stripped_bom);
        self.check_document(&doc, site)
    }

    /// Parses a post for [`Linter::check_document`]: what the enabled rules read and
    /// no more. `front_matter` is the post's front matter, already parsed as this
    /// site's generator reads it (the CLI parses it once for the index and the rules).
    pub fn parse_for_rules<'a>(
        &self,
        text: &'a str,
        key: Option<&'a PostKey>,
        front_matter: Option<FrontMatter>,
    ) -> Document<'a> {
        let body = if self.reads_markup {
            BodyParse::Full
        } else {
            BodyParse::Structure
        };
        Document::from_front_matter(text, key.map(PostKey::as_str), front_matter, body)
    }

    fn parse_to_check<'a>(&self, text: &'a str, key: Option<&'a PostKey>) -> Document<'a> {
        let front_matter = frontmatter::parse_for(text, self.config.generator);
        self.parse_for_rules(text, key, front_matter)
    }

    /// Lints one post; `key` names it in `site` (rules compare it with the rest).
    pub fn check(&self, text: &str, key: Option<&PostKey>, site: &SiteIndex) -> Vec<Diagnostic> {
        let doc = self.parse_to_check(text, key);
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
    /// between rules; `None` when it said stop. `stripped_bom` as for
    /// [`Linter::check_file`].
    pub fn check_until(
        &self,
        text: &str,
        stripped_bom: bool,
        key: Option<&PostKey>,
        site: &SiteIndex,
        now: Option<&jiff::Zoned>,
        stop: &dyn Fn() -> bool,
    ) -> Option<Vec<Diagnostic>> {
        let doc = self
            .parse_to_check(text, key)
            .with_stripped_bom(stripped_bom);
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
        Context::new(doc, &self.config, &self.patterns, site, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_for_rules<'a>(linter: &Linter, text: &'a str) -> Document<'a> {
        let front_matter = frontmatter::parse_for(text, linter.config().generator);
        linter.parse_for_rules(text, None, front_matter)
    }

    #[test]
    fn without_markup_rules_the_html_is_read_only_for_a_directive() {
        let mut config = Config::default();
        for rule in rules::markup::RULES {
            config
                .rules
                .insert(rule.meta.code.to_owned(), diagnostic::Severity::Off);
        }
        let front_matter_only = Linter::new(config);
        let every_rule = Linter::new(Config::default());
        let plain = "---\ntitle: a\n---\n<p class=\"x\">text</p>\n";
        assert!(
            parse_for_rules(&front_matter_only, plain)
                .markup
                .html
                .elements
                .is_empty()
        );
        assert_eq!(
            parse_for_rules(&every_rule, plain)
                .markup
                .html
                .elements
                .len(),
            1
        );
        let directive = "---\ntitle: a\n---\n<!-- copydesk-disable FM002 -->\n<p>text</p>\n";
        let doc = parse_for_rules(&front_matter_only, directive);
        let offset = directive.len() - 2;
        assert!(doc.directives.iter().any(|d| d.silences(
            "FM002",
            "front-matter-not-at-start",
            offset
        )));
        // The Markdown structure stays: no fix inside indented HTML code is safe.
        let indented = "---\ntitle: a\n---\n\n    <div>code</div>\n";
        assert!(
            !parse_for_rules(&front_matter_only, indented)
                .markup
                .indented_html
                .is_empty()
        );
    }
}
