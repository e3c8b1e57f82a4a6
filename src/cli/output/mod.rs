//! Report formats for `check`: full (source excerpts), concise, JSON, JSON lines,
//! SARIF, GitHub workflow commands, GitLab Code Quality and JUnit. All positions shown are one-based lines and one-based columns
//! counted in characters (Unicode scalar values).

use std::collections::BTreeMap;

use crate::diagnostic::{Applicability, Diagnostic, Severity};
use crate::line_index::Encoding;

use super::OutputFormat;
use super::session::{FileReport, Skipped};

pub mod concise;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

/// The report of a run in `format`. `statistics` replaces the findings by counts per
/// rule (full, concise and JSON only); `quiet` leaves the summary out.
pub fn render(
    format: OutputFormat,
    reports: &[FileReport],
    skipped: &[Skipped],
    totals: &Totals,
    human: &human::Human,
    statistics: bool,
    quiet: bool,
) -> anyhow::Result<String> {
    Ok(match (format, statistics) {
        (OutputFormat::Full | OutputFormat::Concise, true) => {
            let mut out = String::new();
            human.statistics(&mut out, totals);
            if !quiet {
                human.summary(&mut out, totals);
            }
            out
        }
        (OutputFormat::Json, true) => json::statistics(totals) + "\n",
        (_, true) => {
            anyhow::bail!("--statistics works with --output-format full, concise or json")
        }
        (OutputFormat::Full, false) => {
            let mut out = String::new();
            for report in reports {
                for diagnostic in &report.diagnostics {
                    human.diagnostic(&mut out, report, diagnostic);
                }
            }
            if !quiet {
                human.summary(&mut out, totals);
            }
            out
        }
        (OutputFormat::Concise, false) => {
            let mut out = concise::render(reports);
            if !quiet {
                human.summary(&mut out, totals);
            }
            out
        }
        (OutputFormat::Json, false) => json::render(reports, skipped, totals) + "\n",
        (OutputFormat::JsonLines, false) => json::lines(reports),
        (OutputFormat::Sarif, false) => sarif::render(reports) + "\n",
        (OutputFormat::Github, false) => github::render(reports),
        (OutputFormat::Gitlab, false) => gitlab::render(reports),
        (OutputFormat::Junit, false) => junit::render(reports),
    })
}

/// A one-based line and one-based character column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The position of byte `offset` in a report's text.
pub fn position(report: &FileReport, offset: usize) -> Position {
    let at = report
        .lines
        .position(report.text(), offset, Encoding::Utf32);
    Position {
        line: at.line as usize + 1,
        column: at.col as usize + 1,
    }
}

/// Counts over a whole run.
#[derive(Debug, Default)]
pub struct Totals {
    pub files: usize,
    pub files_with_problems: usize,
    pub by_severity: BTreeMap<Severity, usize>,
    /// Per rule code: (name, count, fixable count).
    pub by_rule: BTreeMap<&'static str, RuleCount>,
    pub safe_fixes: usize,
    pub unsafe_fixes: usize,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct RuleCount {
    pub name: &'static str,
    pub count: usize,
    pub fixable: usize,
    /// Findings with a safe fix (what `copydesk fix` applies).
    pub safe: usize,
}

impl Totals {
    /// `2 errors, 3 warnings`: the counts per severity, most severe first.
    pub fn severity_summary(&self) -> String {
        let parts: Vec<String> = self
            .by_severity
            .iter()
            .rev()
            .map(|(severity, count)| count_severity(*count, *severity))
            .collect();
        parts.join(", ")
    }

    pub fn new(reports: &[FileReport]) -> Totals {
        let mut totals = Totals {
            files: reports.len(),
            ..Totals::default()
        };
        for report in reports {
            if !report.diagnostics.is_empty() {
                totals.files_with_problems += 1;
            }
            for diagnostic in &report.diagnostics {
                totals.add(diagnostic);
            }
        }
        totals
    }

    fn add(&mut self, diagnostic: &Diagnostic) {
        *self.by_severity.entry(diagnostic.severity).or_default() += 1;
        let rule = self.by_rule.entry(diagnostic.code).or_default();
        rule.name = diagnostic.name;
        rule.count += 1;
        match diagnostic.fix.as_ref().map(|fix| fix.applicability) {
            Some(Applicability::Safe) => {
                rule.fixable += 1;
                rule.safe += 1;
                self.safe_fixes += 1;
            }
            Some(Applicability::Unsafe) => {
                rule.fixable += 1;
                self.unsafe_fixes += 1;
            }
            None => {}
        }
    }

    pub fn problems(&self) -> usize {
        self.by_severity.values().sum()
    }

    /// Whether a finding at or above `level` was reported (`None`: never fails).
    pub fn fails_at(&self, level: Option<Severity>) -> bool {
        level.is_some_and(|level| {
            self.by_severity
                .iter()
                .any(|(severity, count)| *severity >= level && *count > 0)
        })
    }
}

/// `1 file`, `2 files`, `3 fixes`.
pub fn plural(count: usize, singular: &str) -> String {
    if count == 1 {
        format!("{count} {singular}")
    } else if ["s", "x", "ch", "sh"]
        .iter()
        .any(|end| singular.ends_with(end))
    {
        format!("{count} {singular}es")
    } else {
        format!("{count} {singular}s")
    }
}

/// `2 errors`, `1 warning`, `3 info`.
pub fn count_severity(count: usize, severity: Severity) -> String {
    match severity {
        Severity::Info => format!("{count} info"),
        other => plural(count, other.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals() {
        assert_eq!(plural(1, "fix"), "1 fix");
        assert_eq!(plural(2, "fix"), "2 fixes");
        assert_eq!(plural(0, "file"), "0 files");
        assert_eq!(count_severity(3, Severity::Info), "3 info");
        assert_eq!(count_severity(1, Severity::Error), "1 error");
    }
}
