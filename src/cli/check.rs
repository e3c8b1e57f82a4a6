//! `copydesk check [PATH...]`: lint and report; exit 1 on error-severity findings.

use std::io::{IsTerminal, Write};

use anyhow::bail;

use super::output::{self, Totals, human::Human};
use super::progress::Progress;
use super::session::{self, Session};
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_TROUBLE, Format, Paths, RuleFilter};
use crate::Linter;

#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    paths: Paths,
    /// Report format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    #[command(flatten)]
    filter: RuleFilter,
    /// Print how many times each rule fired instead of every finding.
    #[arg(long)]
    statistics: bool,
}

/// Whether stdout gets colour: a terminal, and NO_COLOR unset (CLICOLOR_FORCE forces).
pub fn stdout_color() -> bool {
    matches!(
        anstream::AutoStream::choice(&std::io::stdout()),
        anstream::ColorChoice::Always | anstream::ColorChoice::AlwaysAnsi
    ) && (std::io::stdout().is_terminal() || std::env::var_os("CLICOLOR_FORCE").is_some())
}

pub fn run(args: CheckArgs) -> anyhow::Result<u8> {
    if args.statistics && matches!(args.format, Format::Sarif | Format::Github) {
        bail!("--statistics works with --format human or json");
    }
    let session = Session::open(&args.paths.paths, Some(&args.filter))?;
    let linter = Linter::new(session.site.config.clone());
    let progress = Progress::new(session.targets.len(), "Checking");
    let (reports, mut failed) = session::lint_all(&session, &linter, &progress);
    progress.finish();
    let trouble = session.report_skipped() | report_failed(&failed);
    let totals = Totals::new(&reports);

    let rendered = match (args.format, args.statistics) {
        (Format::Human, false) => {
            let human = Human::new(stdout_color());
            let mut out = String::new();
            for report in &reports {
                for diagnostic in &report.diagnostics {
                    human.diagnostic(&mut out, report, diagnostic);
                }
            }
            human.summary(&mut out, &totals);
            out
        }
        (Format::Human, true) => {
            let human = Human::new(stdout_color());
            let mut out = String::new();
            human.statistics(&mut out, &totals);
            human.summary(&mut out, &totals);
            out
        }
        (Format::Json, false) => {
            let mut skipped = std::mem::take(&mut failed);
            skipped.extend(session.skipped.iter().map(|s| session::Skipped {
                display: s.display.clone(),
                reason: s.reason.clone(),
                is_error: s.is_error,
            }));
            output::json::render(&reports, &skipped, &totals) + "\n"
        }
        (Format::Json, true) => output::json::statistics(&totals) + "\n",
        (Format::Sarif, _) => output::sarif::render(&reports) + "\n",
        (Format::Github, _) => output::github::render(&reports),
    };
    Ok(finish(&rendered, trouble, &totals))
}

/// Prints a command's report and picks its exit code: 2 when a file could not be
/// handled, 1 when an error-severity finding remains, else 0.
pub(super) fn finish(report: &str, trouble: bool, totals: &Totals) -> u8 {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = stdout.write_all(report.as_bytes());
    let _ = stdout.flush();
    if trouble {
        EXIT_TROUBLE
    } else if totals.errors() > 0 {
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
