//! `copydesk taxonomy [PATH...]`: the categories as a tree, tags and authors, with
//! how many posts use each.

use std::fmt::Write as _;

use serde::Serialize;

use super::session::{Session, SessionOptions};
use super::taxonomy_rename;
use super::{EXIT_OK, EXIT_TROUBLE, Paths};
use crate::site::{CategoryNode, SiteIndex, TaxonomyKind};
use crate::workspace;

#[derive(Debug, Clone, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct TaxonomyArgs {
    #[command(subcommand)]
    action: Option<TaxonomyAction>,
    #[command(flatten)]
    paths: Paths,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: TaxonomyFormat,
}

#[derive(Debug, Clone, clap::Subcommand)]
enum TaxonomyAction {
    /// Rename a category, tag or author in every post, as the editor's rename does
    /// (hierarchy-aware; only the value's characters change). Onto a value a post
    /// already has, the two merge.
    Rename {
        #[command(flatten)]
        edit: taxonomy_rename::EditArgs,
        /// The value as the posts have it.
        old: String,
        /// What it becomes.
        new: String,
    },
    /// Merge values into the last one named: `merge A B INTO`.
    Merge {
        #[command(flatten)]
        edit: taxonomy_rename::EditArgs,
        /// The values to merge, then the one they become.
        #[arg(num_args = 2.., required = true, value_name = "VALUE")]
        values: Vec<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TaxonomyFormat {
    Text,
    Json,
}

#[derive(Serialize)]
struct Category {
    name: String,
    posts: usize,
    children: Vec<Category>,
}

#[derive(Serialize)]
struct Value<'a> {
    name: &'a str,
    posts: usize,
}

#[derive(Serialize)]
struct Taxonomy<'a> {
    posts: usize,
    categories: Vec<Category>,
    tags: Vec<Value<'a>>,
    authors: Vec<Value<'a>>,
}

/// Children sorted by use, then name.
fn categories(node: &CategoryNode) -> Vec<Category> {
    let mut children: Vec<Category> = node
        .children
        .iter()
        .map(|(name, child)| Category {
            name: name.clone(),
            posts: child.posts,
            children: categories(child),
        })
        .collect();
    children.sort_by(|a, b| b.posts.cmp(&a.posts).then_with(|| a.name.cmp(&b.name)));
    children
}

fn values(index: &SiteIndex, kind: TaxonomyKind) -> Vec<Value<'_>> {
    index
        .values(kind)
        .into_iter()
        .map(|(name, posts)| Value { name, posts })
        .collect()
}

fn write_tree(out: &mut String, nodes: &[Category], depth: usize) {
    for node in nodes {
        let _ = writeln!(
            out,
            "{:indent$}{} ({})",
            "",
            node.name,
            node.posts,
            indent = 2 + depth * 2
        );
        write_tree(out, &node.children, depth + 1);
    }
}

fn write_values(out: &mut String, title: &str, values: &[Value]) {
    let _ = writeln!(out, "{title} ({})", values.len());
    for value in values {
        let _ = writeln!(out, "  {} ({})", value.name, value.posts);
    }
}

pub fn run(args: TaxonomyArgs) -> anyhow::Result<u8> {
    match &args.action {
        Some(TaxonomyAction::Rename { edit, old, new }) => {
            return taxonomy_rename::run(edit, std::slice::from_ref(old), new);
        }
        Some(TaxonomyAction::Merge { edit, values }) => {
            if let Some((into, sources)) = values.split_last() {
                return taxonomy_rename::run(edit, sources, into);
            }
        }
        None => {}
    }
    let session = Session::open(&args.paths.paths, &SessionOptions::default())?;
    let trouble = session.report_skipped(false);
    let Some(run) = session.sites.first() else {
        return Ok(EXIT_TROUBLE);
    };
    // The index of the files asked for (by default, the content roots).
    let index = if args.paths.paths.is_empty() {
        run.index.clone()
    } else {
        workspace::build_index(&run.site, &run.targets)
    };
    let taxonomy = Taxonomy {
        posts: index.len(),
        categories: categories(index.category_tree()),
        tags: values(&index, TaxonomyKind::Tag),
        authors: values(&index, TaxonomyKind::Author),
    };
    match args.format {
        TaxonomyFormat::Json => {
            println!("{}", serde_json::to_string_pretty(&taxonomy)?);
        }
        TaxonomyFormat::Text => {
            let mut out = String::new();
            let _ = writeln!(out, "{} posts", taxonomy.posts);
            let _ = writeln!(out, "categories");
            write_tree(&mut out, &taxonomy.categories, 0);
            write_values(&mut out, "tags", &taxonomy.tags);
            write_values(&mut out, "authors", &taxonomy.authors);
            print!("{out}");
        }
    }
    Ok(if trouble { EXIT_TROUBLE } else { EXIT_OK })
}
