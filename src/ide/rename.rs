//! Rename a category, tag or author across the posts of the workspace.
//!
//! Only the characters of the value are rewritten (inside its quotes, in its quoting
//! style), so key order, quoting and every other byte stay as they were. A category
//! is matched by its whole path: renaming `金融 > 新浪财经` leaves `科技 > 新浪财经`
//! alone. Renaming onto a value the post already has at the same place merges the
//! two: the renamed item is removed instead of duplicated.

use std::ops::Range;

use crate::config::Config;
use crate::diagnostic::Edit;
use crate::frontmatter::taxonomy::{TaxonomyValue, taxonomy_values};
use crate::site::{PostKey, TaxonomyKind};

/// How a value is quoted, read from the text around its raw range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quoting {
    Plain,
    Single,
    Double,
}

fn quoting(text: &str, value: &TaxonomyValue) -> Quoting {
    if value.range == value.raw_range {
        return Quoting::Plain;
    }
    match text.as_bytes().get(value.range.start) {
        Some(b'"') => Quoting::Double,
        Some(b'\'') => Quoting::Single,
        _ => Quoting::Plain,
    }
}

/// The taxonomy value under `offset`, if any: the only thing that can be renamed.
pub fn target_at(
    doc: &crate::document::Document,
    offset: usize,
    config: &Config,
) -> Option<TaxonomyValue> {
    let front_matter = doc.front_matter.as_ref()?;
    taxonomy_values(front_matter, config)
        .into_iter()
        .find(|value| value.range.start <= offset && offset <= value.range.end)
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenameError {
    #[error("the new name is empty")]
    Empty,
    /// Leading or trailing spaces: the generators keep them (a different value), and
    /// trimming them silently would rename to something else than asked.
    #[error("the new name starts or ends with a space")]
    SurroundingSpace,
    /// A line break or other control character: it would break the YAML line.
    #[error("the new name holds a line break or another control character")]
    ControlCharacter,
    /// The name cannot be written in a block scalar's style.
    #[error(
        "the new name cannot be written where the value stands (a block or space-separated list)"
    )]
    Unrepresentable,
}

/// Refuses a new name that cannot be written as the same one-line value.
pub fn validate(new_name: &str) -> Result<(), RenameError> {
    if new_name.trim().is_empty() {
        Err(RenameError::Empty)
    } else if new_name.trim() != new_name {
        Err(RenameError::SurroundingSpace)
    } else if new_name.chars().any(char::is_control) {
        Err(RenameError::ControlCharacter)
    } else {
        Ok(())
    }
}

/// Whether `value` is `target` renamed to (or still named) `name`: same kind, and
/// for categories the same parents.
fn same_place(value: &TaxonomyValue, target: &TaxonomyValue, name: &str) -> bool {
    value.kind == target.kind
        && match target.kind {
            TaxonomyKind::Category => {
                value.path.len() == target.path.len()
                    && value.path[..value.path.len() - 1] == target.path[..target.path.len() - 1]
                    && value.value == name
            }
            _ => value.value == name,
        }
}

/// The value `value` of `kind` as a rename target without a cursor (the CLI's
/// `taxonomy rename`); for categories, `under` is the path of its parents.
pub fn target(kind: TaxonomyKind, value: &str, under: &[String]) -> TaxonomyValue {
    let mut path = match kind {
        TaxonomyKind::Category => under.to_vec(),
        _ => Vec::new(),
    };
    path.push(value.to_owned());
    TaxonomyValue {
        kind,
        value: value.to_owned(),
        path,
        range: 0..0,
        raw_range: 0..0,
        as_written: true,
    }
}

/// The edits that rename `target` to `new_name` in each of `posts` (key and
/// text), for the posts that change. Refuses a name it cannot write as asked.
pub fn rename<'a>(
    posts: impl IntoIterator<Item = (&'a PostKey, &'a str)>,
    target: &TaxonomyValue,
    new_name: &str,
    config: &Config,
) -> Result<Vec<(PostKey, Vec<Edit>)>, RenameError> {
    validate(new_name)?;
    let mut changed = Vec::new();
    for (key, text) in posts {
        let edits = edits_for_post(text, target, new_name, config)?;
        if !edits.is_empty() {
            changed.push((key.clone(), edits));
        }
    }
    Ok(changed)
}

/// Where `target` is used in one post's `text` (the value's own characters).
pub fn occurrences(text: &str, target: &TaxonomyValue, config: &Config) -> Vec<Range<usize>> {
    let Some(front_matter) = crate::frontmatter::parse_for(text, config.generator) else {
        return Vec::new();
    };
    taxonomy_values(&front_matter, config)
        .into_iter()
        .filter(|value| same_place(value, target, &target.value))
        .map(|value| value.raw_range)
        .collect()
}

/// The edits that rename `target` in one post's `text`.
pub fn edits_for_post(
    text: &str,
    target: &TaxonomyValue,
    new_name: &str,
    config: &Config,
) -> Result<Vec<Edit>, RenameError> {
    validate(new_name)?;
    let Some(front_matter) = crate::frontmatter::parse_for(text, config.generator) else {
        return Ok(Vec::new());
    };
    let values = taxonomy_values(&front_matter, config);
    let same_place = |value: &TaxonomyValue, name: &str| same_place(value, target, name);
    let already_there = values.iter().any(|v| same_place(v, new_name));
    let mut edits = Vec::new();
    for value in values.iter().filter(|v| same_place(v, &target.value)) {
        if already_there && target.value != new_name {
            if let Some(range) = removal_range(text, value) {
                edits.push(Edit::delete(range));
                continue;
            }
        }
        edits.push(rewrite(text, value, new_name)?);
    }
    Ok(edits)
}

fn rewrite(text: &str, value: &TaxonomyValue, new_name: &str) -> Result<Edit, RenameError> {
    if value.range != value.raw_range && quoting(text, value) == Quoting::Plain {
        // A block scalar or a word of a space-separated list: rewrite in place.
        if new_name.contains(['\n', '\r', ' ']) {
            return Err(RenameError::Unrepresentable);
        }
        return Ok(Edit::replace(value.raw_range.clone(), new_name));
    }
    Ok(match quoting(text, value) {
        Quoting::Double => Edit::replace(
            value.raw_range.clone(),
            new_name.replace('\\', "\\\\").replace('"', "\\\""),
        ),
        Quoting::Single => Edit::replace(value.raw_range.clone(), new_name.replace('\'', "''")),
        Quoting::Plain if plain_is_safe(text, value, new_name) => {
            Edit::replace(value.raw_range.clone(), new_name)
        }
        // A plain scalar that would change meaning gets quoted: the least change that keeps it a string.
        Quoting::Plain => Edit::replace(
            value.range.clone(),
            format!(
                "\"{}\"",
                new_name.replace('\\', "\\\\").replace('"', "\\\"")
            ),
        ),
    })
}

fn plain_is_safe(text: &str, value: &TaxonomyValue, name: &str) -> bool {
    let in_flow = text[..value.range.start]
        .rfind(['\n', '\r'])
        .map_or(&text[..value.range.start], |at| {
            &text[at + 1..value.range.start]
        })
        .contains('[');
    let first = name.chars().next().unwrap_or(' ');
    let special_start = "-?:,[]{}#&*!|>'\"%@`".contains(first);
    let flow_special = in_flow && name.contains([',', '[', ']', '{', '}']);
    let scalar_words = ["true", "false", "null", "yes", "no", "on", "off", "~"];
    !(special_start
        || flow_special
        || name.contains(": ")
        || name.contains(" #")
        || name.ends_with(':')
        || name.contains(['\n', '\r'])
        || scalar_words.contains(&name.to_ascii_lowercase().as_str())
        || name.parse::<f64>().is_ok())
}

/// The bytes to delete to drop one list item: its whole line in a block list,
/// the item with one separating comma in a flow list.
fn removal_range(text: &str, value: &TaxonomyValue) -> Option<Range<usize>> {
    let line_start = text[..value.range.start].rfind('\n').map_or(0, |at| at + 1);
    let line_end = text[value.range.end..]
        .find('\n')
        .map_or(text.len(), |at| value.range.end + at + 1);
    let before = text[line_start..value.range.start].trim();
    let after = text[value.range.end..line_end].trim();
    if before == "-" && after.is_empty() {
        return Some(line_start..line_end);
    }
    let head = &text[line_start..value.range.start];
    let tail = &text[value.range.end..line_end];
    if let Some(comma) = head.trim_end().strip_suffix(',').map(str::len) {
        return Some(line_start + comma..value.range.end);
    }
    let spaces = tail.len() - tail.trim_start_matches([' ', '\t']).len();
    let after_comma = tail[spaces..].strip_prefix(',')?;
    let more = after_comma.len() - after_comma.trim_start_matches([' ', '\t']).len();
    Some(value.range.start..value.range.end + spaces + 1 + more)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Generator;
    use crate::document::Document;
    use crate::fix::apply_edits;

    fn hexo() -> Config {
        Config {
            generator: Generator::Hexo,
            ..Config::default()
        }
    }

    fn rename(text: &str, at: &str, new_name: &str) -> String {
        let config = hexo();
        let doc = Document::parse_for(text, None, config.generator);
        let offset = text.find(at).unwrap_or(0);
        let target = target_at(&doc, offset, &config).expect("a taxonomy value");
        let edits = edits_for_post(text, &target, new_name, &config).expect("renames");
        apply_edits(text, &edits.iter().collect::<Vec<_>>())
    }

    #[test]
    fn renames_across_posts_without_a_cursor() {
        let a = PostKey::new("source/_posts/a.md");
        let b = PostKey::new("source/_posts/b.md");
        let c = PostKey::new("source/_posts/c.md");
        let texts = [
            (&a, "---\ncategories: [金融, 新浪财经]\n---\n"),
            (&b, "---\ncategories: [科技, 新浪财经]\n---\n"),
            (&c, "---\ncategories: [金融]\n---\n"),
        ];
        let target = target(TaxonomyKind::Category, "新浪财经", &["金融".to_owned()]);
        let changed = super::rename(texts, &target, "财经", &hexo()).expect("renames");
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].0, a);
        let fixed = apply_edits(texts[0].1, &changed[0].1.iter().collect::<Vec<_>>());
        assert_eq!(fixed, "---\ncategories: [金融, 财经]\n---\n");
        assert!(super::rename(texts, &target, "财\n经", &hexo()).is_err());
    }

    #[test]
    fn refuses_names_it_cannot_write_as_asked() {
        assert_eq!(validate("技术"), Ok(()));
        assert_eq!(validate("两 个词"), Ok(()));
        assert_eq!(validate("  "), Err(RenameError::Empty));
        assert_eq!(validate(" 技术"), Err(RenameError::SurroundingSpace));
        assert_eq!(validate("技术\t"), Err(RenameError::SurroundingSpace));
        assert_eq!(validate("技\n术"), Err(RenameError::ControlCharacter));
        assert_eq!(validate("a\u{7}b"), Err(RenameError::ControlCharacter));
    }

    #[test]
    fn keeps_quoting_and_escapes_for_it() {
        let text = "---\ntags: [\"a\", 'b', c]\n---\n";
        assert_eq!(
            rename(text, "a\"", "x\"y"),
            "---\ntags: [\"x\\\"y\", 'b', c]\n---\n"
        );
        assert_eq!(
            rename(text, "b'", "it's"),
            "---\ntags: [\"a\", 'it''s', c]\n---\n"
        );
        assert_eq!(
            rename(text, "c]", "d, e"),
            "---\ntags: [\"a\", 'b', \"d, e\"]\n---\n"
        );
        assert_eq!(
            rename(text, "c]", "yes"),
            "---\ntags: [\"a\", 'b', \"yes\"]\n---\n"
        );
    }

    #[test]
    fn merges_into_an_existing_value_in_a_block_list() {
        let text = "---\ntags:\n  - a\n  - b\ntitle: t\n---\n";
        assert_eq!(
            rename(text, "a\n", "b"),
            "---\ntags:\n  - b\ntitle: t\n---\n"
        );
    }

    #[test]
    fn renames_a_category_only_at_its_place() {
        let text = "---\ncategories:\n  - [金融, 新浪财经]\n  - [科技, 新浪财经]\n---\n";
        assert_eq!(
            rename(text, "新浪财经]", "财经"),
            "---\ncategories:\n  - [金融, 财经]\n  - [科技, 新浪财经]\n---\n"
        );
    }
}
