//! Helpers for rule tests: lint a snippet and render each diagnostic under its
//! source line with `^^^` markers, for insta snapshots.

use std::fmt::Write;

use crate::Linter;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::site::SiteIndex;

/// Lints `text` with `config` and an optional site, keeping only diagnostics of `code`.
pub fn lint_code(
    text: &str,
    path: Option<&str>,
    config: Config,
    site: &SiteIndex,
    code: &str,
) -> Vec<Diagnostic> {
    lint_code_at(text, path, config, site, code, None)
}

/// [`lint_code`] with a clock reading `now`.
pub fn lint_code_at(
    text: &str,
    path: Option<&str>,
    config: Config,
    site: &SiteIndex,
    code: &str,
    now: Option<&jiff::Zoned>,
) -> Vec<Diagnostic> {
    let key = path.map(crate::site::PostKey::new);
    let linter = Linter::new(config);
    let linter = match now {
        Some(now) => linter.with_clock(now.clone()),
        None => linter,
    };
    linter
        .check(text, key.as_ref(), site)
        .into_iter()
        .filter(|d| d.code == code)
        .collect()
}

/// Lints `text` as a post of a `generator` site with nothing else in it, keeping only `code`.
pub fn lint_for(text: &str, generator: crate::config::Generator, code: &str) -> Vec<Diagnostic> {
    let config = Config {
        generator,
        ..Config::default()
    };
    lint_code(text, None, config, &SiteIndex::new(), code)
}

/// Renders diagnostics ruff-style: `line:col CODE message`, the source line, `^^^`
/// under the span (first line of it), and the fix title with its applicability.
/// Columns are 1-based characters.
pub fn render(text: &str, diagnostics: &[Diagnostic]) -> String {
    let index = crate::line_index::LineIndex::new(text);
    let mut out = String::new();
    for d in diagnostics {
        let start = index.position(text, d.range.start, crate::line_index::Encoding::Utf32);
        let line_range = index.line_range(text, start.line as usize);
        let line = &text[line_range.clone()];
        let _ = writeln!(
            out,
            "{}:{} {} {}",
            start.line + 1,
            start.col + 1,
            d.code,
            d.message
        );
        let _ = writeln!(out, "  | {}", line.replace('\t', " "));
        let span_end = d.range.end.min(line_range.end).max(d.range.start);
        let before = text[line_range.start..d.range.start.max(line_range.start)]
            .chars()
            .count();
        let width = text[d.range.start.min(span_end)..span_end]
            .chars()
            .count()
            .max(1);
        let _ = writeln!(out, "  | {}{}", " ".repeat(before), "^".repeat(width));
        if d.range.end > line_range.end {
            let end = index.position(text, d.range.end, crate::line_index::Encoding::Utf32);
            let _ = writeln!(
                out,
                "  | (span continues to {}:{})",
                end.line + 1,
                end.col + 1
            );
        }
        if let Some(fix) = &d.fix {
            let _ = writeln!(out, "  = fix ({:?}): {}", fix.applicability, fix.title);
        }
        for related in &d.related {
            let at = index.position(
                text,
                related.range.start,
                crate::line_index::Encoding::Utf32,
            );
            let _ = writeln!(
                out,
                "  = related {}:{}: {}",
                at.line + 1,
                at.col + 1,
                related.message
            );
        }
    }
    out
}
