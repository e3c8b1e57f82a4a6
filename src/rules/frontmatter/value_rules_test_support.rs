//! Snapshot helpers for FM006–FM014: lint, render, and show the text after the
//! rule's fixes so a reviewer sees what a fix writes.

use crate::config::{Config, Generator};
use crate::fix::apply_fixes;
use crate::rules::test_support::{lint_code_at, render};
use crate::site::{PostSummary, SiteIndex};

/// A site of `generator`.
pub fn config(generator: Generator) -> Config {
    Config {
        generator,
        ..Config::default()
    }
}

/// The tests' clock: 2026-11-27 19:15:53 in Shanghai.
pub fn clock() -> jiff::Zoned {
    "2026-11-27T19:15:53+08:00[Asia/Shanghai]"
        .parse()
        .expect("valid zoned time")
}

/// Diagnostics of `code` rendered under their lines, then the text with every
/// fix of `code` applied (when there is one); the clock reads [`clock`].
pub fn snapshot(text: &str, path: &str, config: Config, site: &SiteIndex, code: &str) -> String {
    snapshot_at(text, path, config, site, code, Some(&clock()))
}

/// [`snapshot`] with the clock reading `now` (`None`: no clock).
pub fn snapshot_at(
    text: &str,
    path: &str,
    config: Config,
    site: &SiteIndex,
    code: &str,
    now: Option<&jiff::Zoned>,
) -> String {
    let diagnostics = lint_code_at(text, Some(path), config, site, code, now);
    let mut out = render(text, &diagnostics);
    let fixes: Vec<_> = diagnostics.iter().filter_map(|d| d.fix.as_ref()).collect();
    if !fixes.is_empty() {
        let (fixed, _) = apply_fixes(text, fixes);
        out.push_str("--- fixed ---\n");
        out.push_str(&fixed);
    }
    out
}

/// One post of a test site: path, categories (paths joined with `/`), tags, authors.
pub type TestPost<'a> = (&'a str, &'a [&'a str], &'a [&'a str], &'a [&'a str]);

/// A site index from test posts.
pub fn site(posts: &[TestPost]) -> SiteIndex {
    let mut index = SiteIndex::new();
    for (path, categories, tags, authors) in posts {
        let strings = |values: &[&str]| values.iter().map(|v| v.to_string()).collect();
        index.insert(
            *path,
            PostSummary {
                categories: categories
                    .iter()
                    .map(|path| path.split('/').map(str::to_owned).collect())
                    .collect(),
                tags: strings(tags),
                authors: strings(authors),
                keys: vec!["title".into(), "date".into()],
                ..PostSummary::default()
            },
        );
    }
    index
}
