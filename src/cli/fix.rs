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
use crate::diagnostic::{Diagnostic, Edit};
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
    let lint = |text: &str| leave_no_blank_pair(text, run.lint(text, &key));
    let outcome = crate::fix::fix_to_fixed_point(&file.text, include_unsafe, lint);
    if let Some(why) = &outcome.rejected {
        eprintln!("{}: fixes not applied: {why}", session.display(&file.path));
    }
    let text = workspace::keep_layout(&file.text, &outcome.text);
    let doc = run.linter.parse(&text, Some(&key));
    let remaining = if text == outcome.text {
        outcome.remaining
    } else {
        run.without_ignored(&key, run.linter.check_document(&doc, &run.index))
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
            fixed.remaining = run.lint(&file.text, &key);
            fixed.lines = crate::line_index::LineIndex::new(&file.text);
            fixed.result.text = file.text.clone();
        }
    }
    fixed
}

/// Widens the deletions of MK fixes so that removing markup never leaves two blank
/// lines in a row (markdownlint's and rumdl's MD012 would flag them; CommonMark
/// renders one blank line and several alike, outside code, which these rules never
/// edit). A deletion that empties its line takes the line with it when a
/// neighbouring line is blank, and one of two blank neighbours too.
fn leave_no_blank_pair(text: &str, mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    for diagnostic in &mut diagnostics {
        if !diagnostic.code.starts_with("MK") {
            continue;
        }
        if let Some(fix) = &mut diagnostic.fix {
            for edit in &mut fix.edits {
                if let Some(range) = widened_deletion(text, edit) {
                    edit.range = range;
                }
            }
        }
    }
    diagnostics
}

/// The range `edit` should delete so that no blank-line pair is left, if it differs.
fn widened_deletion(text: &str, edit: &Edit) -> Option<std::ops::Range<usize>> {
    if !edit.replacement.trim().is_empty() || edit.range.is_empty() || edit.range.end > text.len() {
        return None;
    }
    let is_blank = |s: &str| s.chars().all(|c| c == ' ' || c == '\t' || c == '\r');
    let line_start = text[..edit.range.start].rfind('\n').map_or(0, |at| at + 1);
    // A deletion that ends right after a line break ends that line.
    let (line_end, after_break) =
        if edit.range.end > line_start && text[..edit.range.end].ends_with('\n') {
            (edit.range.end - 1, edit.range.end)
        } else {
            let end = text[edit.range.end..]
                .find('\n')
                .map_or(text.len(), |at| edit.range.end + at);
            (end, (end + 1).min(text.len()))
        };
    if !is_blank(&text[line_start..edit.range.start])
        || !is_blank(&text[edit.range.end.max(line_start)..line_end.max(edit.range.end)])
    {
        return None;
    }
    if line_end >= text.len() {
        return None;
    }
    let previous_blank = line_start > 0 && {
        let previous_start = text[..line_start - 1].rfind('\n').map_or(0, |at| at + 1);
        is_blank(&text[previous_start..line_start - 1])
    };
    let next_end = text[after_break..].find('\n').map(|at| after_break + at);
    let next_blank = next_end.is_some_and(|end| is_blank(&text[after_break..end]));
    let range = match (previous_blank, next_blank, next_end) {
        (true, true, Some(end)) => line_start..end + 1,
        (true, _, _) | (_, true, _) => line_start..after_break,
        _ => return None,
    };
    (range != edit.range).then_some(range)
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
    let progress = Progress::new(session.target_count(), "Fixing");
    let targets: Vec<(&SiteRun, &SourceFile)> = session.targets().collect();
    let results: Vec<Result<Fixed, Skipped>> = targets
        .par_iter()
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
        for file in &fixed {
            if file.result.bom {
                out.push('\u{feff}');
            }
            out.push_str(&file.result.text);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn widen(text: &str, target: &str) -> String {
        let start = text.find(target).expect("target in text");
        let edit = Edit::delete(start..start + target.len());
        let range = widened_deletion(text, &edit).unwrap_or(edit.range);
        format!("{}{}", &text[..range.start], &text[range.end..])
    }

    #[test]
    fn deleting_a_line_between_blank_lines_keeps_one_blank_line() {
        assert_eq!(widen("a\n\n<x>\n\nb\n", "<x>"), "a\n\nb\n");
        assert_eq!(widen("a\n\n<x>\n\nb\n", "<x>\n"), "a\n\nb\n");
        assert_eq!(widen("a\r\n\r\n<x>\r\n\r\nb\r\n", "<x>"), "a\r\n\r\nb\r\n");
        assert_eq!(widen("a\n\n<x>\nb\n", "<x>"), "a\n\nb\n");
        assert_eq!(widen("a\n<x>\n\nb\n", "<x>"), "a\n\nb\n");
    }

    #[test]
    fn other_deletions_are_left_alone() {
        // No blank neighbour: the emptied line is the paragraph break.
        assert_eq!(widen("a\n<x>\nb\n", "<x>"), "a\n\nb\n");
        // Text stays on the line.
        assert_eq!(widen("a\n\nkeep <x>\n\nb\n", "<x>"), "a\n\nkeep \n\nb\n");
        // The last line has nothing after it to pair with.
        assert_eq!(widen("a\n\n<x>", "<x>"), "a\n\n");
    }
}
