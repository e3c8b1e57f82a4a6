//! `copydesk taxonomy rename OLD NEW` and `copydesk taxonomy merge A… INTO`: the
//! language server's rename (`ide::rename`: hierarchy-aware, byte-preserving,
//! merging onto an existing value) applied to every post of the site, written
//! crash-safely as `fix` writes.

use anyhow::bail;

use super::check::write_stdout;
use super::session::{Session, SessionOptions};
use super::{EXIT_OK, EXIT_TROUBLE};
use crate::ide::rename;
use crate::site::TaxonomyKind;
use crate::workspace::{self, SourceFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Category,
    Tag,
    Author,
}

impl Kind {
    fn taxonomy(self) -> TaxonomyKind {
        match self {
            Kind::Category => TaxonomyKind::Category,
            Kind::Tag => TaxonomyKind::Tag,
            Kind::Author => TaxonomyKind::Author,
        }
    }
}

fn kind_name(kind: TaxonomyKind) -> &'static str {
    match kind {
        TaxonomyKind::Category => "category",
        TaxonomyKind::Tag => "tag",
        TaxonomyKind::Author => "author",
    }
}

/// What both verbs share: which value, where, and whether to write.
#[derive(Debug, Clone, clap::Args)]
pub struct EditArgs {
    /// Which taxonomy (default: the one the value is used in, when only one).
    #[arg(long, value_enum)]
    kind: Option<Kind>,
    /// For a category: the path of its parents, `金融 > 新浪财经` (default: top level).
    #[arg(long, value_name = "PARENT")]
    under: Option<String>,
    /// Print a unified diff and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// As --dry-run, and exit 1 when a post would change.
    #[arg(long)]
    diff: bool,
    /// Use this config file instead of searching for `copydesk.toml`.
    #[arg(long, value_name = "PATH")]
    config: Option<std::path::PathBuf>,
}

/// One rename: `old` becomes `new` (a merge is several into one).
pub fn run(args: &EditArgs, olds: &[String], new: &str) -> anyhow::Result<u8> {
    let options = SessionOptions {
        config: args.config.clone(),
        ..SessionOptions::default()
    };
    let session = Session::open(&[], &options)?;
    let trouble = session.report_skipped(false);
    let Some(run) = session.sites.first() else {
        bail!("no site here");
    };
    let under: Vec<String> = args
        .under
        .iter()
        .flat_map(|path| path.split('>'))
        .map(|part| part.trim().to_owned())
        .filter(|part| !part.is_empty())
        .collect();
    if !under.is_empty() && args.kind.is_some_and(|kind| kind != Kind::Category) {
        bail!("--under is for categories only");
    }
    rename::validate(new).map_err(|error| anyhow::anyhow!("`{new}`: {error}"))?;
    let config = run.linter.config();
    let mut texts: Vec<(&SourceFile, String)> = run
        .targets
        .iter()
        .map(|file| (file, file.text.clone()))
        .collect();
    for old in olds.iter().filter(|old| *old != new) {
        let mut used_somewhere = false;
        let kind = match args.kind {
            Some(kind) => kind.taxonomy(),
            None => infer_kind(&texts, old, &under, config)?,
        };
        let target = rename::target(kind, old, &under);
        for (_, text) in &mut texts {
            let edits = rename::edits_for_post(text, &target, new, config)
                .map_err(|error| anyhow::anyhow!("`{new}`: {error}"))?;
            if !edits.is_empty() {
                used_somewhere = true;
                *text = crate::fix::apply_edits(text, &edits.iter().collect::<Vec<_>>());
            }
        }
        if !used_somewhere {
            bail!(
                "no post uses the {} `{}`{}",
                kind_name(kind),
                old,
                if under.is_empty() {
                    String::new()
                } else {
                    format!(" under `{}`", under.join(" > "))
                }
            );
        }
    }
    let changed: Vec<(&SourceFile, String)> = texts
        .into_iter()
        .filter(|(file, text)| *text != file.text)
        .collect();
    if args.dry_run || args.diff {
        let mut out = String::new();
        for (file, text) in &changed {
            let display = session.display(&file.path);
            let diff = similar::TextDiff::from_lines(&file.text, text);
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{display}"), &format!("b/{display}"))
                    .to_string(),
            );
        }
        write_stdout(out.as_bytes());
        eprintln!("{} posts would change", changed.len());
        let failing = args.diff && !changed.is_empty();
        return Ok(super::check::exit_status(trouble, failing));
    }
    let mut written = 0;
    let mut failed = false;
    for (file, text) in &changed {
        match workspace::write_post(file, &workspace::keep_layout(&file.text, text)) {
            Ok(()) => written += 1,
            Err(error) => {
                failed = true;
                eprintln!(
                    "{}: error: cannot write: {error}",
                    session.display(&file.path)
                );
            }
        }
    }
    eprintln!("Renamed in {written} posts.");
    Ok(if trouble || failed {
        EXIT_TROUBLE
    } else {
        EXIT_OK
    })
}

/// The one taxonomy `value` is used in (at `under`, for categories).
fn infer_kind(
    texts: &[(&SourceFile, String)],
    value: &str,
    under: &[String],
    config: &crate::config::Config,
) -> anyhow::Result<TaxonomyKind> {
    let kinds: Vec<TaxonomyKind> = [
        TaxonomyKind::Category,
        TaxonomyKind::Tag,
        TaxonomyKind::Author,
    ]
    .into_iter()
    .filter(|kind| under.is_empty() || *kind == TaxonomyKind::Category)
    .filter(|kind| {
        let target = rename::target(*kind, value, under);
        texts
            .iter()
            .any(|(_, text)| !rename::occurrences(text, &target, config).is_empty())
    })
    .collect();
    match kinds.as_slice() {
        [kind] => Ok(*kind),
        [] => bail!("no post uses `{value}` as a category, tag or author"),
        _ => bail!(
            "`{value}` is used as more than one of category, tag and author: say which with --kind"
        ),
    }
}
