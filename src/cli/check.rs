//! `copydesk check [PATH...]`: lint and report; exit 1 on findings at or above the
//! failing level. `check --fix` / `--diff` hand over to `fix`.

use std::io::{BufWriter, Read as _, Write};

use anyhow::Context as _;

use super::output::{self, Counted, Reporter, Totals, human::Human};
use super::progress::Progress;
use super::session::{self, Session, SessionOptions, StdinPost};
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE, OutputFormat, RunArgs, fix, settings};

#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// Print how many times each rule fired instead of every finding.
    #[arg(long)]
    statistics: bool,
    /// Apply safe fixes, as `copydesk fix` does.
    #[arg(long)]
    fix: bool,
    /// With --fix or --diff: also apply unsafe fixes.
    #[arg(long = "unsafe-fixes", alias = "unsafe")]
    unsafe_fixes: bool,
    /// Print a unified diff of the fixes; write nothing; exit 1 when a file would change.
    #[arg(long)]
    diff: bool,
}

pub fn run(args: CheckArgs) -> anyhow::Result<u8> {
    if args.fix || args.diff {
        return fix::run(fix::FixArgs::from_check(
            args.run,
            args.unsafe_fixes,
            args.diff,
        ));
    }
    let run = &args.run;
    let mut session = open(run)?;
    if run.show_settings || run.show_files {
        return settings::show(&session, run);
    }
    if run.verbose {
        session.report_sites();
    }
    let human = human_for(run);
    let reporter = Reporter::new(run.output_format, &human, args.statistics, run.quiet)?;
    let progress = Progress::new(session.target_count(), "Checking");
    let front_matter = session.take_front_matter();
    let (checked, mut failed) = session::lint_all(&session, front_matter, &progress, |report| {
        let part = reporter.file(&report);
        let counted: Vec<Counted> = report.diagnostics.iter().map(Counted::of).collect();
        (part, counted)
    });
    progress.finish();
    let trouble =
        session.report_skipped(run.verbose) | report_failed(&failed) | session.report_empty();
    let mut totals = Totals::default();
    for (_, counted) in &checked {
        totals.add_counted(counted);
    }
    let (parts, counted): (Vec<Vec<u8>>, Vec<_>) = checked.into_iter().unzip();
    failed.extend(
        session
            .skipped
            .iter()
            .filter(|s| !s.excluded)
            .map(|s| session::Skipped {
                display: s.display.clone(),
                reason: s.reason.clone(),
                is_error: s.is_error,
                excluded: s.excluded,
            }),
    );
    write_stdout_with(|out| reporter.write(out, &parts, &failed, &totals));
    let status = exit_status(trouble, totals.fails_at(run.failing_level()));
    // The process ends now: freeing every post's text, parse and output part one
    // allocation at a time cost 6% of a 10,000-post run, for memory the exit
    // hands back at once.
    std::mem::forget((session, parts, counted));
    Ok(status)
}

/// The session a run works on: stdin (`-`) or the paths, with the settings options.
pub(super) fn open(run: &RunArgs) -> anyhow::Result<Session> {
    let options = SessionOptions {
        config: run.config.clone(),
        isolated: run.isolated,
        force_exclude: !run.no_force_exclude,
        filter: run.filter.clone(),
    };
    if run.reads_stdin() {
        if run.paths.len() > 1 {
            anyhow::bail!("`-` (standard input) cannot be combined with other paths");
        }
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        let post = StdinPost {
            bytes,
            filename: run.stdin_filename.clone(),
        };
        return Session::open_stdin(post, &options);
    }
    Session::open(&run.paths, &options)
}

/// The full/concise renderer for this run's colour and terminal width.
pub(super) fn human_for(run: &RunArgs) -> Human {
    let width = if run.output_format == OutputFormat::Full {
        output::human::terminal_width()
    } else {
        None
    };
    Human::new(run.color(), width)
}

/// Writes a report through one buffered, locked handle. A closed pipe (`| head`)
/// is not an error worth a message.
pub(super) fn write_stdout(bytes: &[u8]) {
    write_stdout_with(|out| out.write_all(bytes));
}

/// [`write_stdout`] for a report written piece by piece.
fn write_stdout_with(
    write: impl FnOnce(&mut BufWriter<std::io::StdoutLock<'static>>) -> std::io::Result<()>,
) {
    // Reports run to megabytes: written in large blocks, not 8 KiB ones.
    let mut stdout = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let _ = write(&mut stdout);
    let _ = stdout.flush();
}

/// 2 when something could not be handled, 1 when the run fails its gate, else 0.
pub(super) fn exit_status(trouble: bool, failing: bool) -> u8 {
    if trouble {
        EXIT_TROUBLE
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Files whose analysis failed; true when there were any.
pub fn report_failed(failed: &[session::Skipped]) -> bool {
    for skipped in failed {
        eprintln!("{}: error: {}", skipped.display, skipped.reason);
    }
    !failed.is_empty()
}
