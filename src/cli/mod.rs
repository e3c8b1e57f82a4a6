//! The command line: `check`, `fix`, `rules`, `explain`, `taxonomy`, `lsp`.
//!
//! A thin shell: `workspace` finds and reads the files, the `Linter` analyses them,
//! `fix::fix_to_fixed_point` fixes them; this module parses arguments, runs those in
//! parallel and prints the results.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostic::Severity;

mod check;
mod color;
mod fix;
mod init;
mod output;
mod progress;
mod rules;
mod session;
mod settings;
mod taxonomy;
mod taxonomy_rename;

/// Exit status: nothing at or above the failing level.
pub const EXIT_OK: u8 = 0;
/// Exit status: at least one finding at or above the failing level (or, with
/// `--diff`, a file that would change).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: usage, configuration or I/O error.
pub const EXIT_TROUBLE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "copydesk",
    version = env!("COPYDESK_VERSION"), // the package version and its commit (build.rs)
    about = "Keeps static-site posts clean: front matter, leftover ad/tracking/CMS markup.",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lint files and folders (default: the site's content roots); `-` reads stdin.
    Check(check::CheckArgs),
    /// Apply fixes in place (safe fixes only unless --unsafe); `-` fixes stdin to stdout.
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
    /// Write a commented starter `copydesk.toml` for the site around PATH (default: here).
    Init {
        /// A folder inside the site.
        #[arg(value_name = "PATH")]
        path: Option<PathBuf>,
    },
    /// Print the JSON Schema of `copydesk.toml` (the checked-in copydesk.schema.json).
    #[command(hide = true)]
    Schema,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Run the language server on stdin/stdout.
    Lsp {
        /// Talk over stdin/stdout (the only transport; accepted for editors that pass it).
        #[arg(long)]
        stdio: bool,
    },
}

/// Options that select and filter rules, shared by `check` and `fix`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RuleFilter {
    /// Only these rules: codes, prefixes (`MK`, `FM01`) or names, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub select: Vec<String>,
    /// Also these rules, on top of the selection and the config (turns them back on).
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub extend_select: Vec<String>,
    /// Skip these rules: codes, prefixes or names, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "CODE")]
    pub ignore: Vec<String>,
}

/// Paths given on the command line (`taxonomy`).
#[derive(Debug, Clone, clap::Args)]
struct Paths {
    /// Files or folders to process (default: the site's content roots).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
}

/// What `check` and `fix` share: which files, which settings, how to report.
#[derive(Debug, Clone, clap::Args)]
pub struct RunArgs {
    /// Files or folders to process (default: the site's content roots); `-` is stdin.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub filter: RuleFilter,
    /// Report format.
    #[arg(long = "output-format", alias = "format", value_enum, default_value_t = OutputFormat::Full)]
    pub output_format: OutputFormat,
    /// Lowest severity that makes the run exit 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Exit 0 whatever is found (`--fail-on never`); usage and I/O errors still exit 2.
    #[arg(long)]
    pub exit_zero: bool,
    /// Print findings only: no summary, no notes.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also say which site, settings and files were used, and what was skipped.
    #[arg(short, long)]
    pub verbose: bool,
    /// When to colour the output (NO_COLOR, CLICOLOR, CLICOLOR_FORCE, FORCE_COLOR apply to `auto`).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Use this `copydesk.toml` for every file (its folder is the site root).
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Read no `copydesk.toml`: the generator's conventions only.
    #[arg(long)]
    pub isolated: bool,
    /// Where the post read from stdin (`-`) lives, to place it in its site.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Lint files named explicitly even when they are outside the content roots or excluded.
    #[arg(long)]
    pub no_force_exclude: bool,
    /// Print the settings in force for each site, then exit.
    #[arg(long)]
    pub show_settings: bool,
    /// Print the files that would be processed, then exit.
    #[arg(long)]
    pub show_files: bool,
}

impl RunArgs {
    /// Whether the post comes from stdin (`-` alone, or `--stdin-filename` without paths).
    pub fn reads_stdin(&self) -> bool {
        self.paths.iter().any(|path| path.as_os_str() == "-")
    }

    /// The severity at or above which a finding fails the run; `None` never fails.
    pub fn failing_level(&self) -> Option<Severity> {
        if self.exit_zero {
            return None;
        }
        match self.fail_on {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Hint => Some(Severity::Hint),
            FailOn::Never => None,
        }
    }

    pub fn color(&self) -> bool {
        color::stdout_color(self.color)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Source excerpts with the span underlined and a `help:` line (the default).
    #[value(alias = "human")]
    Full,
    /// One line per finding.
    Concise,
    /// One JSON document.
    Json,
    /// One JSON object per finding, per line.
    JsonLines,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// GitLab Code Quality report.
    Gitlab,
    /// JUnit XML.
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Hint,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
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
        Command::Init { path } => init::run(path.as_deref()),
        Command::Schema => serde_json::to_string_pretty(&crate::config::json_schema())
            .map(|text| {
                check::write_stdout(format!("{text}\n").as_bytes());
                EXIT_OK
            })
            .map_err(anyhow::Error::from),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut command, "copydesk", &mut out);
            check::write_stdout(&out);
            Ok(EXIT_OK)
        }
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
