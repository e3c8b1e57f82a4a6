//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning reads it. Every rule is
//! listed under `tool.driver.rules`; results point at it by id and index; fixes are
//! given as SARIF `fixes` with replacements.

use std::io::Write;

use serde_json::{Value, json};

use super::position;
use crate::cli::session::FileReport;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::RuleMeta;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
        Severity::Off => "none",
    }
}

fn rule_descriptor(meta: &RuleMeta) -> Value {
    json!({
        "id": meta.code,
        "name": meta.name,
        "shortDescription": { "text": one_line(meta.summary()) },
        "fullDescription": { "text": meta.doc.trim() },
        "help": { "text": meta.doc.trim(), "markdown": meta.doc.trim() },
        "helpUri": meta.doc_url(),
        "defaultConfiguration": { "level": level(meta.default_severity) },
        "properties": { "fix": meta.fix.as_str() },
    })
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `path` as a relative URI reference (forward slashes, percent-encoded where needed).
fn artifact_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    percent_encoding::utf8_percent_encode(&path, URI_PATH).to_string()
}

const URI_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

fn region(report: &FileReport, range: &std::ops::Range<usize>) -> Value {
    let start = position(report, range.start);
    let end = position(report, range.end);
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

fn result(report: &FileReport, d: &Diagnostic, rule_index: Option<usize>) -> Value {
    let uri = artifact_uri(&report.display);
    let mut result = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": { "text": d.message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri },
                "region": region(report, &d.range),
            }
        }],
    });
    if let Some(index) = rule_index {
        result["ruleIndex"] = json!(index);
    }
    if !d.related.is_empty() {
        result["relatedLocations"] = Value::Array(
            d.related
                .iter()
                .enumerate()
                .map(|(id, related)| {
                    json!({
                        "id": id,
                        "message": { "text": related.message },
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri },
                            "region": region(report, &related.range),
                        }
                    })
                })
                .collect(),
        );
    }
    if let Some(fix) = &d.fix {
        result["fixes"] = json!([{
            "description": { "text": fix.title },
            "artifactChanges": [{
                "artifactLocation": { "uri": uri },
                "replacements": fix.edits.iter().map(|edit| json!({
                    "deletedRegion": region(report, &edit.range),
                    "insertedContent": { "text": edit.replacement },
                })).collect::<Vec<_>>(),
            }],
        }]);
    }
    result
}

/// One file's findings as items of the log's `results` array.
pub fn file(report: &FileReport) -> Vec<u8> {
    let metas = crate::rules::all().map(|rule| rule.meta);
    let codes: Vec<&str> = metas.map(|meta| meta.code).collect();
    let mut out = Vec::new();
    super::push_json_items(
        &mut out,
        RESULTS_DEPTH,
        report.diagnostics.iter().map(|d| {
            let index = codes.iter().position(|code| *code == d.code);
            result(report, d, index)
        }),
    );
    out
}

/// `runs[0].results` lies four levels deep in the log.
const RESULTS_DEPTH: usize = 4;

/// The whole run as one SARIF log, the files' [`file`] parts as its results.
pub fn write(out: &mut impl Write, parts: &[Vec<u8>]) -> std::io::Result<()> {
    let rules: Vec<Value> = crate::rules::all()
        .map(|rule| rule_descriptor(rule.meta))
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "copydesk",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": crate::rules::DOCS_URL,
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": [],
        }]
    });
    let envelope = serde_json::to_string_pretty(&log).map_err(std::io::Error::other)?;
    super::write_spliced(out, &envelope, "results", parts, RESULTS_DEPTH)?;
    out.write_all(b"\n")
}
