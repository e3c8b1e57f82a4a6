//! `copydesk fix [PATH...]`: applies fixes in place through the one fix engine
//! (`fix::fix_to_fixed_point`), writes atomically, and reports what was applied and
//! what remains. `--dry-run` prints a unified diff instead of writing.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rayon::prelude::*;

use super::check::{finish, report_failed, stdout_color};
use super::output::{Totals, human::Human, plural};
use super::progress::Progress;
use super::session::{FileReport, Session, Skipped};
use super::{Paths, RuleFilter};
use crate::Linter;
use crate::diagnostic::Diagnostic;
use crate::workspace::{self, SourceFile};

#[derive(Debug, Clone, clap::Args)]
pub struct FixArgs {
    #[command(flatten)]
    paths: Paths,
    /// Also apply unsafe fixes (they delete visible text, e.g. ad blocks, boilerplate).
    #[arg(long = "unsafe")]
    include_unsafe: bool,
    /// Print a unified diff of what would change; write nothing.
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    filter: RuleFilter,
}

/// What fixing one file did.
struct Fixed<'a> {
    original: &'a SourceFile,
    display: String,
    /// The file after fixing (same path, new text).
    result: SourceFile,
    applied: BTreeMap<&'static str, usize>,
    remaining: Vec<Diagnostic>,
    lines: crate::line_index::LineIndex,
    write_error: Option<String>,
}

impl Fixed<'_> {
    fn changed(&self) -> bool {
        self.result.text != self.original.text
    }
}

fn fix_one<'a>(
    session: &Session,
    linter: &Linter,
    file: &'a SourceFile,
    include_unsafe: bool,
    dry_run: bool,
) -> Fixed<'a> {
    let relative = session.site.relative_path(&file.path);
    let lint = |text: &str| linter.check(text, Some(&relative), &session.index);
    let outcome = crate::fix::fix_to_fixed_point(&file.text, include_unsafe, lint);
    let text = workspace::keep_layout(&file.text, &outcome.text);
    let doc = linter.parse(&text, Some(&relative));
    let remaining = if text == outcome.text {
        outcome.remaining
    } else {
        linter.check_document(&doc, &session.index)
    };
    let lines = doc.lines.clone();
    drop(doc);
    let mut fixed = Fixed {
        original: file,
        display: session.display(&file.path),
        result: SourceFile {
            path: file.path.clone(),
            text,
            bom: file.bom,
        },
        applied: outcome.applied,
        remaining,
        lines,
        write_error: None,
    };
    if fixed.changed() && !dry_run {
        if let Err(error) = workspace::write_post(file, &fixed.result.text) {
            fixed.write_error = Some(error.to_string());
        }
    }
    fixed
}

pub fn run(args: FixArgs) -> anyhow::Result<u8> {
    let session = Session::open(&args.paths.paths, Some(&args.filter))?;
    let linter = Linter::new(session.site.config.clone());
    let progress = Progress::new(session.targets.len(), "Fixing");
    let results: Vec<Result<Fixed, Skipped>> = session
        .targets
        .par_iter()
        .map(|file| {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                fix_one(&session, &linter, file, args.include_unsafe, args.dry_run)
            }));
            progress.tick();
            outcome.map_err(|_| Skipped {
                display: session.display(&file.path),
                reason: "internal error while fixing; file left untouched".to_owned(),
                is_error: true,
            })
        })
        .collect();
    progress.finish();
    let mut fixed = Vec::new();
    let mut failed = Vec::new();
    for result in results {
        match result {
            Ok(file) => fixed.push(file),
            Err(skipped) => failed.push(skipped),
        }
    }
    for file in &fixed {
        if let Some(error) = &file.write_error {
            failed.push(Skipped {
                display: file.display.clone(),
                reason: format!("cannot write: {error}"),
                is_error: true,
            });
        }
    }
    let trouble = session.report_skipped() | report_failed(&failed);

    let human = Human::new(stdout_color());
    let mut out = String::new();
    if args.dry_run {
        for file in fixed.iter().filter(|file| file.changed()) {
            let diff = similar::TextDiff::from_lines(&file.original.text, &file.result.text);
            let _ = write!(
                out,
                "{}",
                diff.unified_diff().context_radius(3).header(
                    &format!("a/{}", file.display),
                    &format!("b/{}", file.display)
                )
            );
        }
    }
    let reports: Vec<FileReport> = fixed
        .iter()
        .map(|file| FileReport {
            display: file.display.clone(),
            file: &file.result,
            lines: file.lines.clone(),
            diagnostics: file.remaining.clone(),
        })
        .collect();
    for report in &reports {
        for diagnostic in &report.diagnostics {
            human.header(&mut out, report, diagnostic);
        }
    }

    let mut applied: BTreeMap<&'static str, usize> = BTreeMap::new();
    // A file that could not be written was not fixed.
    for file in fixed.iter().filter(|file| file.write_error.is_none()) {
        for (code, count) in &file.applied {
            *applied.entry(code).or_default() += count;
        }
    }
    let total_applied: usize = applied.values().sum();
    let changed_files = fixed
        .iter()
        .filter(|file| file.changed() && file.write_error.is_none())
        .count();
    let verb = if args.dry_run {
        "Would apply"
    } else {
        "Applied"
    };
    if total_applied == 0 {
        let _ = writeln!(
            out,
            "No fixes to apply ({} checked).",
            plural(fixed.len(), "file")
        );
    } else {
        let _ = writeln!(
            out,
            "{verb} {} in {}:",
            plural(total_applied, "fix"),
            plural(changed_files, "file")
        );
        for (code, count) in &applied {
            let name = crate::rules::find(code).map_or("", |meta| meta.name);
            let _ = writeln!(out, "  {count:>5}  {code}  {name}");
        }
    }
    let totals = Totals::new(&reports);
    let problems = totals.problems();
    if problems == 0 {
        let _ = writeln!(out, "No problems remain.");
    } else {
        let _ = writeln!(
            out,
            "{} remain ({}); run `copydesk check` for details{}.",
            plural(problems, "problem"),
            totals.severity_summary(),
            if totals.unsafe_fixes > 0 && !args.include_unsafe {
                format!(", {} fixable with --unsafe", totals.unsafe_fixes)
            } else {
                String::new()
            }
        );
    }
    Ok(finish(&out, trouble, &totals))
}
