//! Report formats for `check`: full (source excerpts), concise, JSON, JSON lines,
//! SARIF, GitHub workflow commands, GitLab Code Quality and JUnit. All positions shown are one-based lines and one-based columns
//! counted in characters (Unicode scalar values).

use std::collections::BTreeMap;
use std::io::Write;

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

/// How a run's report is made: each file's part on its own (inside the parallel
/// lint, so the files' excerpts and JSON are rendered on every core), then the parts
/// written in path order with what surrounds them (summary, statistics, the JSON or
/// SARIF envelope).
pub struct Reporter<'h> {
    format: OutputFormat,
    human: &'h human::Human,
    /// Counts per rule instead of the findings (full, concise and JSON only).
    statistics: bool,
    /// Leave the summary out.
    quiet: bool,
}

impl<'h> Reporter<'h> {
    /// Fails on `--statistics` with a format that has no statistics.
    pub fn new(
        format: OutputFormat,
        human: &'h human::Human,
        statistics: bool,
        quiet: bool,
    ) -> anyhow::Result<Reporter<'h>> {
        let with_statistics = matches!(
            format,
            OutputFormat::Full | OutputFormat::Concise | OutputFormat::Json
        );
        if statistics && !with_statistics {
            anyhow::bail!("--statistics works with --output-format full, concise or json");
        }
        Ok(Reporter {
            format,
            human,
            statistics,
            quiet,
        })
    }

    /// The part of the report that is about one file (empty with `--statistics`).
    pub fn file(&self, report: &FileReport) -> Vec<u8> {
        if self.statistics {
            return Vec::new();
        }
        match self.format {
            OutputFormat::Full => {
                // About what a header, an excerpt and a help line take: fewer regrowths.
                let mut out = String::with_capacity(report.diagnostics.len() * 384);
                for diagnostic in &report.diagnostics {
                    self.human.diagnostic(&mut out, report, diagnostic);
                }
                out.into_bytes()
            }
            OutputFormat::Concise => concise::file(report).into_bytes(),
            OutputFormat::Json => json::file(report),
            OutputFormat::JsonLines => json::lines(report),
            OutputFormat::Sarif => sarif::file(report),
            OutputFormat::Github => github::file(report).into_bytes(),
            OutputFormat::Gitlab => gitlab::file(report),
            OutputFormat::Junit => junit::file(report).into_bytes(),
        }
    }

    /// Writes the whole report: `parts` (what [`Reporter::file`] made, in path
    /// order) with what surrounds them.
    pub fn write(
        &self,
        out: &mut impl Write,
        parts: &[Vec<u8>],
        skipped: &[Skipped],
        totals: &Totals,
    ) -> std::io::Result<()> {
        let human_summary = |out: &mut dyn Write, body: String| -> std::io::Result<()> {
            let mut text = body;
            if !self.quiet {
                self.human.summary(&mut text, totals);
            }
            out.write_all(text.as_bytes())
        };
        match (self.format, self.statistics) {
            (OutputFormat::Json, true) => {
                writeln!(out, "{}", json::statistics(totals))
            }
            (_, true) => {
                let mut text = String::new();
                self.human.statistics(&mut text, totals);
                human_summary(out, text)
            }
            (OutputFormat::Full | OutputFormat::Concise, false) => {
                write_parts(out, parts)?;
                human_summary(out, String::new())
            }
            (OutputFormat::Json, false) => json::write(out, parts, skipped, totals),
            (OutputFormat::Sarif, false) => sarif::write(out, parts),
            (OutputFormat::Gitlab, false) => gitlab::write(out, parts),
            (OutputFormat::Junit, false) => junit::write(out, parts, totals),
            (OutputFormat::JsonLines | OutputFormat::Github, false) => write_parts(out, parts),
        }
    }
}

/// The report of already linted files in `format`, in one string (for `fix`, whose
/// reports come after fixing rather than from the parallel lint).
pub fn render(
    format: OutputFormat,
    reports: &[FileReport],
    skipped: &[Skipped],
    totals: &Totals,
    human: &human::Human,
    statistics: bool,
    quiet: bool,
) -> anyhow::Result<String> {
    let reporter = Reporter::new(format, human, statistics, quiet)?;
    let parts: Vec<Vec<u8>> = reports.iter().map(|report| reporter.file(report)).collect();
    let mut out = Vec::new();
    reporter.write(&mut out, &parts, skipped, totals)?;
    Ok(String::from_utf8(out)?)
}

fn write_parts(out: &mut impl Write, parts: &[Vec<u8>]) -> std::io::Result<()> {
    parts.iter().try_for_each(|part| out.write_all(part))
}

/// Appends `items` to `out` as the elements of a pretty-printed JSON array nested
/// `depth` levels deep (two spaces a level, as `serde_json::to_writer_pretty`), comma
/// separated; [`write_json_array`] puts the brackets around such parts.
pub fn push_json_items<T: serde::Serialize>(
    out: &mut Vec<u8>,
    depth: usize,
    items: impl IntoIterator<Item = T>,
) {
    for item in items {
        if !out.is_empty() {
            out.extend_from_slice(b",\n");
        }
        let formatter = NestedPretty {
            depth,
            has_value: false,
        };
        let _ = formatter.indent(out);
        // Writing to a Vec cannot fail, and the items are plain data.
        let _ = item.serialize(&mut serde_json::Serializer::with_formatter(
            &mut *out, formatter,
        ));
    }
}

/// Writes the parts of [`push_json_items`] as one array, closed at `depth - 1`.
pub fn write_json_array(
    out: &mut impl Write,
    parts: &[Vec<u8>],
    depth: usize,
) -> std::io::Result<()> {
    let mut items = parts.iter().filter(|part| !part.is_empty());
    let Some(first) = items.next() else {
        return out.write_all(b"[]");
    };
    out.write_all(b"[\n")?;
    out.write_all(first)?;
    for part in items {
        out.write_all(b",\n")?;
        out.write_all(part)?;
    }
    write!(out, "\n{}]", "  ".repeat(depth.saturating_sub(1)))
}

/// Writes `envelope` (pretty JSON in which `"key": []` stands for the array) with
/// the parts of [`push_json_items`] in that array. JSON strings escape their quotes,
/// so the first `"key": []` is the member itself.
pub fn write_spliced(
    out: &mut impl Write,
    envelope: &str,
    key: &str,
    parts: &[Vec<u8>],
    depth: usize,
) -> std::io::Result<()> {
    let member = format!("\"{key}\": ");
    let Some(at) = envelope.find(&format!("{member}[]")) else {
        return Err(std::io::Error::other(format!("no `{key}` in the report")));
    };
    let array_at = at + member.len();
    out.write_all(&envelope.as_bytes()[..array_at])?;
    write_json_array(out, parts, depth)?;
    out.write_all(&envelope.as_bytes()[array_at + 2..])
}

/// `serde_json`'s pretty printer (two spaces a level) for a value that starts
/// `depth` levels deep: an item of an array inside a larger document.
struct NestedPretty {
    depth: usize,
    has_value: bool,
}

impl NestedPretty {
    fn indent(&self, out: &mut (impl Write + ?Sized)) -> std::io::Result<()> {
        for _ in 0..self.depth {
            out.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open(&mut self, out: &mut (impl Write + ?Sized), bracket: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close(&mut self, out: &mut (impl Write + ?Sized), bracket: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            out.write_all(b"\n")?;
            self.indent(out)?;
        }
        out.write_all(bracket)
    }

    fn next(&self, out: &mut (impl Write + ?Sized), first: bool) -> std::io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(out)
    }
}

impl serde_json::ser::Formatter for NestedPretty {
    fn begin_array<W: Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: Write + ?Sized>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next(out, first)
    }

    fn end_array_value<W: Write + ?Sized>(&mut self, _out: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: Write + ?Sized>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next(out, first)
    }

    fn begin_object_value<W: Write + ?Sized>(&mut self, out: &mut W) -> std::io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: Write + ?Sized>(&mut self, _out: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
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

/// What the totals count of one finding: kept instead of the finding itself, so
/// that a file's findings are freed as soon as its report is written.
#[derive(Debug, Clone, Copy)]
pub struct Counted {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    fix: Option<Applicability>,
}

impl Counted {
    pub fn of(diagnostic: &Diagnostic) -> Counted {
        Counted {
            code: diagnostic.code,
            name: diagnostic.name,
            severity: diagnostic.severity,
            fix: diagnostic.fix.as_ref().map(|fix| fix.applicability),
        }
    }
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
        let mut totals = Totals::default();
        for report in reports {
            totals.add_file(&report.diagnostics);
        }
        totals
    }

    /// Counts one more checked file and its findings.
    pub fn add_file(&mut self, diagnostics: &[Diagnostic]) {
        self.add_findings(diagnostics.iter().map(Counted::of));
    }

    /// [`Totals::add_file`] from what counts of each finding.
    pub fn add_counted(&mut self, counted: &[Counted]) {
        self.add_findings(counted.iter().copied());
    }

    fn add_findings(&mut self, findings: impl ExactSizeIterator<Item = Counted>) {
        self.files += 1;
        if findings.len() > 0 {
            self.files_with_problems += 1;
        }
        for finding in findings {
            self.add(&finding);
        }
    }

    fn add(&mut self, finding: &Counted) {
        *self.by_severity.entry(finding.severity).or_default() += 1;
        let rule = self.by_rule.entry(finding.code).or_default();
        rule.name = finding.name;
        rule.count += 1;
        match finding.fix {
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

    /// Items rendered apart and spliced into their envelope print as the whole
    /// document would: nested objects, empty and non-empty arrays, several parts.
    #[test]
    fn spliced_arrays_print_as_the_whole_document() {
        let item = |n: u32| serde_json::json!({"n": n, "empty": [], "list": [1, {"deep": [n]}], "s": "a\nb"});
        let whole = serde_json::json!({"head": 1, "runs": [{"items": [item(1), item(2), item(3)]}], "tail": {}});
        let envelope = serde_json::json!({"head": 1, "runs": [{"items": []}], "tail": {}});
        let mut first = Vec::new();
        push_json_items(&mut first, 4, [item(1), item(2)]);
        let mut second = Vec::new();
        push_json_items(&mut second, 4, [item(3)]);
        let parts = [first, Vec::new(), second];
        let mut out = Vec::new();
        let pretty = serde_json::to_string_pretty(&envelope).expect("json");
        write_spliced(&mut out, &pretty, "items", &parts, 4).expect("write");
        let expected = serde_json::to_string_pretty(&whole).expect("json");
        assert_eq!(String::from_utf8(out).expect("utf-8"), expected);

        let mut out = Vec::new();
        write_spliced(&mut out, &pretty, "items", &[Vec::new()], 4).expect("write");
        assert_eq!(String::from_utf8(out).expect("utf-8"), pretty);
    }
}
