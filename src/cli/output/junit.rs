//! `--output-format junit`: JUnit XML, one test suite per file and one failed test
//! case per finding (a file without findings is one passing case), as CI test
//! report viewers read it.

use std::fmt::Write as _;
use std::io::Write;

use super::{Totals, position};
use crate::cli::session::FileReport;

/// One file's test suite.
pub fn file(report: &FileReport) -> String {
    let mut out = String::new();
    let path = escape(&report.display);
    let _ = writeln!(
        out,
        "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
        report.diagnostics.len().max(1),
        report.diagnostics.len()
    );
    if report.diagnostics.is_empty() {
        let _ = writeln!(
            out,
            "    <testcase name=\"no problems\" classname=\"{path}\" file=\"{path}\"/>"
        );
    }
    for d in &report.diagnostics {
        let at = position(report, d.range.start);
        let _ = writeln!(
            out,
            "    <testcase name=\"{} {}\" classname=\"{path}\" file=\"{path}\" line=\"{}\">",
            d.code, d.name, at.line
        );
        let _ = writeln!(
            out,
            "      <failure message=\"{}\" type=\"{}\">{path}:{}:{}: {} {}</failure>",
            escape(&d.message),
            d.severity.as_str(),
            at.line,
            at.column,
            d.code,
            escape(&d.message)
        );
        let _ = writeln!(out, "    </testcase>");
    }
    let _ = writeln!(out, "  </testsuite>");
    out
}

/// The whole report: the files' suites in one `testsuites` element.
pub fn write(out: &mut impl Write, parts: &[Vec<u8>], totals: &Totals) -> std::io::Result<()> {
    let failures = totals.problems();
    // A file without findings is one passing case.
    let tests = failures + (totals.files - totals.files_with_problems);
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"copydesk\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    )?;
    for part in parts {
        out.write_all(part)?;
    }
    out.write_all(b"</testsuites>\n")
}

/// XML attribute and text escaping; control characters XML 1.0 forbids are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_in_messages() {
        assert_eq!(
            escape("<a href=\"x\">&\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;"
        );
    }
}
