//! The command line: `check`, `fix`, `rules`, `explain`, `taxonomy`, `lsp`.
//!
//! A thin shell: `workspace` finds and reads the files, the `Linter` analyses them,
//! `fix::fix_to_fixed_point` fixes them; this module parses arguments, runs those in
//! parallel and prints the results.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod check;
mod fix;
mod output;
mod progress;
mod rules;
mod session;
mod taxonomy;

/// Exit status: nothing at error severity.
pub const EXIT_OK: u8 = 0;
/// Exit status: at least one error-severity finding.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage, configuration or I/O error.
pub const EXIT_TROUBLE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "copydesk",
    version,
    about = "Keeps static-site posts clean: front matter, leftover ad/tracking/CMS markup.",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lint files and folders (default: the site's content roots).
    Check(check::CheckArgs),
    /// Apply fixes in place (safe fixes only unless --unsafe).
    Fix(fix::FixArgs),
    /// List every rule: code, name, default severity, fix.
    Rules(rules::RulesArgs),
    /// Describe one rule, with a bad and a good example.
    Explain {
        /// A rule code (`MK001`) or name (`cms-comment`).
        code: String,
    },
    /// Show the site's categories (as a tree), tags and authors, with post counts.
    Taxonomy(taxonomy::TaxonomyArgs),
    /// Run the language server on stdin/stdout.
    Lsp {
        /// Talk over stdin/stdout (the only transport; accepted for editors that pass it).
        #[arg(long)]
        stdio: bool,
    },
}

/// Options that select and filter rules, shared by `check` and `fix`.
#[derive(Debug, Clone, clap::Args)]
struct RuleFilter {
    /// Only these rules: codes or prefixes (`MK`, `FM01`), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    select: Vec<String>,
    /// Skip these rules: codes or prefixes, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    ignore: Vec<String>,
}

/// Paths given on the command line.
#[derive(Debug, Clone, clap::Args)]
struct Paths {
    /// Files or folders to process (default: the site's content roots).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to stdout with status 0; usage errors exit 2.
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                EXIT_TROUBLE
            } else {
                EXIT_OK
            });
        }
    };
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Fix(args) => fix::run(args),
        Command::Rules(args) => rules::run_rules(args),
        Command::Explain { code } => rules::run_explain(&code),
        Command::Taxonomy(args) => taxonomy::run(args),
        Command::Lsp { stdio: _ } => crate::lsp::serve_stdio(),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("copydesk: error: {error:#}");
            ExitCode::from(EXIT_TROUBLE)
        }
    }
}

/// A bug must not print a backtrace at the user: one line, then exit 2 (files being
/// processed in parallel catch their own panics and report them the same way).
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "copydesk: internal error{location}: {}",
            message.replace('\n', " ")
        );
    }));
}
