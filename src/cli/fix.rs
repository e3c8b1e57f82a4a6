//! `copydesk fix [PATH...]` (and `check --fix`): applies fixes in place through the
//! one fix engine (`fix::fix_to_fixed_point`), writes atomically, and reports what
//! was applied, per rule and per file, and what remains. `--diff` and `--dry-run`
//! print a unified diff instead of writing; `fix -` writes the fixed post to stdout.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rayon::prelude::*;

use super::check::{self, exit_status, human_for, report_failed, write_stdout};
use super::output::{self, Totals, plural};
use super::progress::Progress;
use super::session::{FileReport, Session, SiteRun, Skipped};
use super::{OutputFormat, RunArgs};
use crate::diagnostic::Diagnostic;
use crate::workspace::{self, SourceFile};

#[derive(Debug, Clone, clap::Args)]
pub struct FixArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Also apply unsafe fixes (they delete visible text, e.g. ad blocks, boilerplate).
    #[arg(long = "unsafe", alias = "unsafe-fixes")]
    include_unsafe: bool,
    /// Print a unified diff of what would change; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// As --dry-run, and exit 1 when a file would change (a CI gate).
    #[arg(long)]
    diff: bool,
}

impl FixArgs {
    /// `check --fix [--unsafe-fixes] [--diff]`.
    pub fn from_check(run: RunArgs, include_unsafe: bool, diff: bool) -> FixArgs {
        FixArgs {
            run,
            include_unsafe,
            dry_run: false,
            diff,
        }
    }

    fn writes(&self) -> bool {
        !(self.dry_run || self.diff || self.run.reads_stdin())
    }
}

/// What fixing one file did.
struct Fixed<'a> {
    original: &'a SourceFile,
    display: String,
    /// The file after fixing (same path, new text).
    result: SourceFile,
    /// Fixes per rule code, counted only once the file was written (or, when nothing
    /// is written, as they would be).
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
    run: &SiteRun,
    file: &'a SourceFile,
    include_unsafe: bool,
    write: bool,
) -> Fixed<'a> {
    let key = run.site.post_key(&file.path);
    let lint = |text: &str| run.lint(text, file.bom, &key);
    let outcome = crate::fix::fix_to_fixed_point(&file.text, include_unsafe, lint);
    if let Some(why) = &outcome.rejected {
        eprintln!("{}: fixes not applied: {why}", session.display(&file.path));
    }
    let text = workspace::keep_layout(&file.text, &outcome.text);
    let doc = run.linter.parse_file(&text, file.bom, Some(&key));
    let remaining = if text == outcome.text {
        outcome.remaining
    } else {
        run.linter.check_document(&doc, &run.index)
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
    if fixed.changed() && write {
        if let Err(error) = workspace::write_post(file, &fixed.result.text) {
            // Nothing was applied to a file that could not be written: what remains
            // is every problem of the text as it is.
            fixed.write_error = Some(error.to_string());
            fixed.applied.clear();
            fixed.remaining = run.lint(&file.text, file.bom, &key);
            fixed.lines = crate::line_index::LineIndex::new(&file.text);
            fixed.result.text = file.text.clone();
        }
    }
    fixed
}

/// Removes, from the folders this run writes to, the temporary files an earlier
/// `copydesk fix` left when it was killed mid-write, and says so.
fn remove_stale_temp_files(session: &Session, targets: &[(&SiteRun, &SourceFile)]) {
    let folders: std::collections::BTreeSet<&std::path::Path> = targets
        .iter()
        .filter_map(|(_, file)| file.path.parent())
        .map(|folder| {
            if folder.as_os_str().is_empty() {
                std::path::Path::new(".")
            } else {
                folder
            }
        })
        .collect();
    for folder in folders {
        for path in workspace::remove_stale_temp_files(folder) {
            eprintln!(
                "{}: removed a temporary file left by an interrupted `copydesk fix`",
                session.display(&path)
            );
        }
    }
}

pub fn run(args: FixArgs) -> anyhow::Result<u8> {
    let run = &args.run;
    let session = check::open(run)?;
    if run.show_settings || run.show_files {
        return super::settings::show(&session, run);
    }
    if run.verbose {
        session.report_sites();
    }
    let write = args.writes();
    let targets: Vec<(&SiteRun, &SourceFile)> = session.targets().collect();
    if write {
        remove_stale_temp_files(&session, &targets);
    }
    let progress = Progress::new(session.target_count(), "Fixing");
    let results: Vec<Result<Fixed, Skipped>> = targets
        .par_iter()
        .with_max_len(workspace::PARALLEL_CHUNK)
        .map(|(site, file)| {
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                fix_one(&session, site, file, args.include_unsafe, write)
            }));
            progress.tick();
            outcome.map_err(|_| {
                Skipped::error(
                    session.display(&file.path),
                    "internal error while fixing; file left untouched".to_owned(),
                )
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
            failed.push(Skipped::error(
                file.display.clone(),
                format!("cannot write: {error}"),
            ));
        }
    }
    let trouble =
        session.report_skipped(run.verbose) | report_failed(&failed) | session.report_empty();

    let mut out = String::new();
    let show_diff = args.dry_run || args.diff;
    if show_diff {
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
    } else if run.reads_stdin() {
        // `fix -`: the fixed post is the output; the report goes to stderr.
        let passed_through = session.stdin_passed_through.as_ref();
        for file in fixed.iter().map(|file| &file.result).chain(passed_through) {
            if file.bom {
                out.push('\u{feff}');
            }
            out.push_str(&file.text);
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
    let totals = Totals::new(&reports);
    let human = human_for(run);
    let mut report = String::new();
    let findings_on_stdout = !run.reads_stdin() || show_diff;
    match run.output_format {
        OutputFormat::Full | OutputFormat::Concise => {
            for file_report in &reports {
                for diagnostic in &file_report.diagnostics {
                    human.header(&mut report, file_report, diagnostic);
                }
            }
        }
        format => {
            report = output::render(format, &reports, &failed, &totals, &human, false, true)?;
        }
    }
    let summary = if run.quiet {
        String::new()
    } else {
        summary(&args, &fixed, &totals)
    };
    let human_report = matches!(
        run.output_format,
        OutputFormat::Full | OutputFormat::Concise
    );
    if findings_on_stdout {
        out.push_str(&report);
        if human_report {
            out.push_str(&summary);
        } else {
            eprint!("{summary}");
        }
    } else {
        eprint!("{report}{summary}");
    }
    write_stdout(out.as_bytes());
    let failing = if args.diff {
        fixed.iter().any(Fixed::changed)
    } else {
        totals.fails_at(run.failing_level())
    };
    Ok(exit_status(trouble, failing))
}

/// Fixes per rule and per file, and what remains.
fn summary(args: &FixArgs, fixed: &[Fixed], totals: &Totals) -> String {
    let mut out = String::new();
    let mut applied: BTreeMap<&'static str, usize> = BTreeMap::new();
    // A file that could not be written was not fixed.
    for file in fixed.iter().filter(|file| file.write_error.is_none()) {
        for (code, count) in &file.applied {
            *applied.entry(code).or_default() += count;
        }
    }
    let total_applied: usize = applied.values().sum();
    let changed: Vec<&Fixed> = fixed
        .iter()
        .filter(|file| file.changed() && file.write_error.is_none())
        .collect();
    let applies = !(args.dry_run || args.diff);
    let verb = if applies { "Applied" } else { "Would apply" };
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
            plural(changed.len(), "file")
        );
        for (code, count) in &applied {
            let name = crate::rules::find(code).map_or("", |meta| meta.name);
            let _ = writeln!(out, "  {count:>5}  {code}  {name}");
        }
        for file in &changed {
            let count: usize = file.applied.values().sum();
            let _ = writeln!(out, "  {count:>5}  {}", file.display);
        }
    }
    let problems = totals.problems();
    if problems == 0 {
        let _ = writeln!(out, "No problems remain.");
    } else {
        let _ = writeln!(
            out,
            "{} {} ({}); run `copydesk check` for details{}.",
            plural(problems, "problem"),
            if problems == 1 { "remains" } else { "remain" },
            totals.severity_summary(),
            if totals.unsafe_fixes > 0 && !args.include_unsafe {
                format!(", {} fixable with --unsafe", totals.unsafe_fixes)
            } else {
                String::new()
            }
        );
    }
    out
}
