//! Hover: a flagged span shows its rule's explanation, a key its type and doc, a
//! category/tag/author value how many posts use it and a few of their titles.

use std::ops::Range;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::site::{SiteIndex, TaxonomyKind};

use crate::frontmatter::taxonomy::taxonomy_values;

use super::schema;

/// Titles listed under a taxonomy value.
const TITLES_SHOWN: usize = 5;

/// Markdown to show and the range it describes.
pub fn hover(
    doc: &Document,
    diagnostics: &[Diagnostic],
    offset: usize,
    site: &SiteIndex,
    config: &Config,
) -> Option<(String, Range<usize>)> {
    let inside =
        |range: &Range<usize>| range.start <= offset && offset < range.end.max(range.start + 1);
    let flagged: Vec<&Diagnostic> = diagnostics.iter().filter(|d| inside(&d.range)).collect();
    if let Some(innermost) = flagged.iter().min_by_key(|d| d.range.len()) {
        let mut text = String::new();
        for diagnostic in &flagged {
            let doc_text = crate::rules::find(diagnostic.code).map_or("", |meta| meta.doc);
            text.push_str(&format!(
                "**{} {}**: {}\n\n{}\n",
                diagnostic.code,
                diagnostic.name,
                diagnostic.message,
                doc_text.trim()
            ));
        }
        return Some((text, innermost.range.clone()));
    }
    let front_matter = doc.front_matter.as_ref()?;
    if let Some(value) = taxonomy_values(front_matter, config)
        .into_iter()
        .find(|value| inside(&value.range))
    {
        return Some((describe_value(&value.path, value.kind, site), value.range));
    }
    let entry = front_matter
        .entries
        .iter()
        .find(|entry| inside(&entry.key_range))?;
    let used = site.key_count(&entry.key);
    let mut text = format!("**{}**", entry.key);
    if let Some(type_name) = schema::type_name(config, &entry.key) {
        text.push_str(&format!(": `{type_name}`"));
    }
    if let Some(doc) = schema::doc(config, &entry.key) {
        text.push_str(&format!("\n\n{doc}"));
    }
    text.push_str(&format!("\n\nUsed by {used} posts."));
    Some((text, entry.key_range.clone()))
}

fn describe_value(path: &[String], kind: TaxonomyKind, site: &SiteIndex) -> String {
    let value = path.last().map_or("", String::as_str);
    let (label, count) = match kind {
        TaxonomyKind::Category => {
            let mut node = Some(site.category_tree());
            for segment in path {
                node = node.and_then(|n| n.children.get(segment));
            }
            ("category", node.map_or(0, |n| n.posts))
        }
        TaxonomyKind::Tag => ("tag", site.count(kind, value)),
        TaxonomyKind::Author => ("author", site.count(kind, value)),
    };
    let mut text = format!("**{}** ({label}): {count} posts", path.join(" > "));
    // From the index's per-value title lists: one pass over the titles of this
    // value, not over the site's posts.
    let titles = site.titles(kind, value, path);
    for title in titles
        .map(|titles| titles.first(TITLES_SHOWN))
        .unwrap_or_default()
    {
        text.push_str(&format!("\n- {title}"));
    }
    let listed = titles.map_or(0, |titles| titles.len());
    if listed > TITLES_SHOWN {
        text.push_str(&format!("\n- … and {} more", listed - TITLES_SHOWN));
    }
    text
}
