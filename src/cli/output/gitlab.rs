//! `--output-format gitlab`: a GitLab Code Quality report (a JSON array of issues
//! with a description, check name, fingerprint, severity and location).

use std::io::Write;

use serde_json::json;

use super::position;
use crate::cli::session::FileReport;
use crate::diagnostic::Severity;

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info | Severity::Hint | Severity::Off => "info",
    }
}

/// One file's issues as items of the report's array.
pub fn file(report: &FileReport) -> Vec<u8> {
    let mut issues = Vec::new();
    // The fingerprint leaves the line out, so an issue keeps its identity when
    // lines above it change; the occurrence number keeps repeats apart.
    let mut seen: std::collections::HashMap<(&str, &str), usize> = Default::default();
    for d in &report.diagnostics {
        let occurrence = seen.entry((d.code, d.message.as_str())).or_default();
        *occurrence += 1;
        let start = position(report, d.range.start);
        let end = position(report, d.range.end);
        let identity = format!(
            "{}\0{}\0{}\0{occurrence}",
            report.display, d.code, d.message
        );
        issues.push(json!({
            "description": format!("{} {}", d.code, d.message),
            "check_name": d.code,
            "fingerprint": fingerprint(&identity),
            "severity": severity(d.severity),
            "location": {
                "path": report.display.replace('\\', "/"),
                "positions": {
                    "begin": { "line": start.line, "column": start.column },
                    "end": { "line": end.line, "column": end.column },
                },
            },
        }));
    }
    let mut out = Vec::new();
    super::push_json_items(&mut out, 1, issues);
    out
}

/// The whole report: one array of every file's issues.
pub fn write(out: &mut impl Write, parts: &[Vec<u8>]) -> std::io::Result<()> {
    super::write_json_array(out, parts, 1)?;
    out.write_all(b"\n")
}

/// 128 bits of FNV-1a (two seeds) as hex: stable across runs, platforms and Rust
/// versions, which `DefaultHasher` does not promise.
fn fingerprint(text: &str) -> String {
    let hash = |seed: u64| {
        text.bytes().fold(seed, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    format!(
        "{:016x}{:016x}",
        hash(0xcbf2_9ce4_8422_2325),
        hash(0x6c62_272e_07bb_0142)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        assert_eq!(fingerprint("a"), fingerprint("a"));
        assert_ne!(fingerprint("a/MK001/m/1"), fingerprint("a/MK001/m/2"));
        assert_eq!(fingerprint("").len(), 32);
    }
}
