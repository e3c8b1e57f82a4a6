//! `--output-format concise`: one line per finding,
//! `path:line:col: severity CODE [*] message` (`[*]` when a safe fix exists), as ruff prints.

use std::fmt::Write as _;

use super::{Position, position};
use crate::cli::session::FileReport;
use crate::diagnostic::Applicability;

/// The lines of one file.
pub fn file(report: &FileReport) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let Position { line, column } = position(report, d.range.start);
        let marker = match d.fix.as_ref().map(|fix| fix.applicability) {
            Some(Applicability::Safe) => "[*] ",
            _ => "",
        };
        let _ = writeln!(
            out,
            "{}:{line}:{column}: {} {} {marker}{}",
            report.display,
            d.severity.as_str(),
            d.code,
            one_line(&d.message)
        );
    }
    out
}

/// A message on one line: line breaks would split a finding over two.
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}
