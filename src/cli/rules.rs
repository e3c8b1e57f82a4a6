//! `copydesk rules` (the rule table) and `copydesk explain CODE` (one rule's doc).
//! Both read the registry, so the docs cannot drift from the code.

use std::fmt::Write as _;

use anyhow::bail;

use super::EXIT_OK;
use crate::rules::RuleMeta;

#[derive(Debug, Clone, clap::Args)]
pub struct RulesArgs {
    /// Output format: an aligned table, the README's Markdown table, or JSON.
    #[arg(long, value_enum, default_value = "text")]
    format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum RulesFormat {
    Text,
    Markdown,
    Json,
}

fn metas() -> Vec<&'static RuleMeta> {
    crate::rules::all().map(|rule| rule.meta).collect()
}

/// The summary on one line, safe inside a Markdown table cell.
fn summary_cell(meta: &RuleMeta) -> String {
    meta.summary()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// The rule table as aligned text.
pub fn text_table() -> String {
    let metas = metas();
    let name_width = metas.iter().map(|m| m.name.len()).max().unwrap_or(4).max(4);
    let mut out = String::new();
    let _ = writeln!(out, "CODE   {:name_width$}  DEFAULT  FIX", "NAME");
    for meta in metas {
        let _ = writeln!(
            out,
            "{:5}  {:name_width$}  {:7}  {}",
            meta.code,
            meta.name,
            meta.default_severity.as_str(),
            meta.fix.as_str()
        );
    }
    out
}

/// The rule table as Markdown, exactly as the README carries it.
pub fn markdown_table() -> String {
    let mut out =
        String::from("| code | name | default | fix | summary |\n|---|---|---|---|---|\n");
    for meta in metas() {
        let _ = writeln!(
            out,
            "| <a id=\"{}\"></a>{} | {} | {} | {} | {} |",
            meta.code.to_ascii_lowercase(),
            meta.code,
            meta.name,
            meta.default_severity.as_str(),
            meta.fix.as_str(),
            summary_cell(meta)
        );
    }
    out
}

fn json_table() -> String {
    let rows: Vec<serde_json::Value> = metas()
        .into_iter()
        .map(|meta| {
            serde_json::json!({
                "code": meta.code,
                "name": meta.name,
                "default_severity": meta.default_severity,
                "fix": match meta.fix {
                    crate::diagnostic::FixAvailability::None => None,
                    other => Some(other.as_str()),
                },
                "summary": summary_cell(meta).replace("\\|", "|"),
            })
        })
        .collect();
    serde_json::to_string_pretty(&rows).unwrap_or_default()
}

pub fn run_rules(args: RulesArgs) -> anyhow::Result<u8> {
    match args.format {
        RulesFormat::Text => print!("{}", text_table()),
        RulesFormat::Markdown => print!("{}", markdown_table()),
        RulesFormat::Json => println!("{}", json_table()),
    }
    Ok(EXIT_OK)
}

pub fn run_explain(code: &str) -> anyhow::Result<u8> {
    let Some(meta) = crate::rules::find(code) else {
        bail!("unknown rule `{code}` (see `copydesk rules`)");
    };
    println!("{} {}", meta.code, meta.name);
    println!(
        "default severity: {}; fix: {}",
        meta.default_severity.as_str(),
        meta.fix.as_str()
    );
    println!();
    println!("{}", meta.doc.trim());
    Ok(EXIT_OK)
}
