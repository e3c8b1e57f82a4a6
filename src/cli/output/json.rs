//! `--format json`: one JSON document, schema version 1 (documented in the README).
//!
//! ```text
//! { "version": 1,
//!   "files_checked": N,
//!   "diagnostics": [ { "path", "code", "name", "severity", "message",
//!                      "start": {line, column}, "end": {line, column},
//!                      "byte_range": [start, end], "unnecessary",
//!                      "fix": null | { "title", "applicability",
//!                                      "edits": [ { "start", "end", "byte_range", "replacement" } ] },
//!                      "related": [ { "start", "end", "byte_range", "message" } ] } ],
//!   "skipped": [ { "path", "reason" } ],
//!   "summary": { "error": n, "warning": n, "info": n, "hint": n } }
//! ```

use std::io::Write;

use serde::Serialize;

use super::{Position, Totals, position};
use crate::cli::session::{FileReport, Skipped};
use crate::diagnostic::{Applicability, Diagnostic, Severity};

/// The schema version; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    files_checked: usize,
    /// Left empty here: the files' parts are spliced in (see [`write`]).
    diagnostics: Vec<JsonDiagnostic<'a>>,
    skipped: Vec<JsonSkipped<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    code: &'static str,
    name: &'static str,
    severity: Severity,
    message: &'a str,
    start: Position,
    end: Position,
    byte_range: [usize; 2],
    unnecessary: bool,
    fix: Option<JsonFix<'a>>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: Position,
    end: Position,
    byte_range: [usize; 2],
    replacement: &'a str,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    start: Position,
    end: Position,
    byte_range: [usize; 2],
    message: &'a str,
}

#[derive(Serialize)]
struct JsonSkipped<'a> {
    path: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct Summary {
    error: usize,
    warning: usize,
    info: usize,
    hint: usize,
}

fn diagnostic<'a>(report: &'a FileReport, d: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let span = |range: &std::ops::Range<usize>| {
        (
            position(report, range.start),
            position(report, range.end),
            [range.start, range.end],
        )
    };
    let (start, end, byte_range) = span(&d.range);
    JsonDiagnostic {
        path: &report.display,
        code: d.code,
        name: d.name,
        severity: d.severity,
        message: &d.message,
        start,
        end,
        byte_range,
        unnecessary: d.unnecessary,
        fix: d.fix.as_ref().map(|fix| JsonFix {
            title: &fix.title,
            applicability: fix.applicability,
            edits: fix
                .edits
                .iter()
                .map(|edit| {
                    let (start, end, byte_range) = span(&edit.range);
                    JsonEdit {
                        start,
                        end,
                        byte_range,
                        replacement: &edit.replacement,
                    }
                })
                .collect(),
        }),
        related: d
            .related
            .iter()
            .map(|related| {
                let (start, end, byte_range) = span(&related.range);
                JsonRelated {
                    start,
                    end,
                    byte_range,
                    message: &related.message,
                }
            })
            .collect(),
    }
}

/// One file's findings as items of the document's `diagnostics` array.
pub fn file(report: &FileReport) -> Vec<u8> {
    let mut out = Vec::new();
    super::push_json_items(
        &mut out,
        2,
        report.diagnostics.iter().map(|d| diagnostic(report, d)),
    );
    out
}

/// The whole report as pretty-printed JSON, the files' [`file`] parts in its
/// `diagnostics` array.
pub fn write(
    out: &mut impl Write,
    parts: &[Vec<u8>],
    skipped: &[Skipped],
    totals: &Totals,
) -> std::io::Result<()> {
    let count = |severity| totals.by_severity.get(&severity).copied().unwrap_or(0);
    let document = Document {
        version: SCHEMA_VERSION,
        files_checked: totals.files,
        diagnostics: Vec::new(),
        skipped: skipped
            .iter()
            .map(|s| JsonSkipped {
                path: &s.display,
                reason: &s.reason,
            })
            .collect(),
        summary: Summary {
            error: count(Severity::Error),
            warning: count(Severity::Warning),
            info: count(Severity::Info),
            hint: count(Severity::Hint),
        },
    };
    let envelope = serde_json::to_string_pretty(&document).map_err(std::io::Error::other)?;
    super::write_spliced(out, &envelope, "diagnostics", parts, 2)?;
    out.write_all(b"\n")
}

/// `--output-format json-lines`: one compact object per finding (the `diagnostics`
/// items of the JSON document), one per line, so a stream can be read as it comes.
pub fn lines(report: &FileReport) -> Vec<u8> {
    let mut out = Vec::new();
    for d in &report.diagnostics {
        // Writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut out, &diagnostic(report, d));
        out.push(b'\n');
    }
    out
}

/// `--statistics --format json`: one object per rule that fired, most frequent first.
pub fn statistics(totals: &Totals) -> String {
    #[derive(Serialize)]
    struct Row {
        code: &'static str,
        name: &'static str,
        count: usize,
        fixable: usize,
    }
    let mut rows: Vec<Row> = totals
        .by_rule
        .iter()
        .map(|(code, rule)| Row {
            code,
            name: rule.name,
            count: rule.count,
            fixable: rule.fixable,
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(b.code)));
    serde_json::to_string_pretty(&rows).unwrap_or_default()
}
