//! `--format github`: GitHub Actions workflow commands, one line per diagnostic, which
//! the runner turns into annotations on the pull request.

use std::fmt::Write as _;

use super::position;
use crate::cli::session::FileReport;
use crate::diagnostic::Severity;

/// The commands of one file.
pub fn file(report: &FileReport) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let start = position(report, d.range.start);
        let end = position(report, d.range.end);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Hint | Severity::Off => "notice",
        };
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&report.display),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(d.code),
            escape_data(&d.message),
        );
    }
    out
}

/// Escaping of a command's message, as the Actions runner defines it.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of a command property (also `:` and `,`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_runner() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
