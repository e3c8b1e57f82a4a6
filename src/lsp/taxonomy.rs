//! Categories, tags and authors of one post with the byte range of every value,
//! read from the front-matter tree (the same parse the rules use).
//!
//! Hexo's forms are all understood: `categories: 金融` (one path of one), a list
//! (one path, root first), a list of lists (several paths, a plain item of such a
//! list being a path of its own), and the `category:` alias.

use std::ops::Range;

use crate::frontmatter::{FrontMatter, Node, ScalarStyle, Value};
use crate::site::{PostSummary, TaxonomyKind};

/// One taxonomy value written in a post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxonomyValue {
    pub kind: TaxonomyKind,
    /// For categories, the path from the root down to and including this value;
    /// for tags and authors, just the value.
    pub path: Vec<String>,
    /// The scalar's whole range (quotes included).
    pub range: Range<usize>,
    /// The range of the characters inside the quotes: what a rename rewrites.
    pub raw_range: Range<usize>,
    pub style: ScalarStyle,
}

impl TaxonomyValue {
    pub fn text(&self) -> &str {
        self.path.last().map_or("", String::as_str)
    }
}

/// The taxonomy a front-matter key holds, if any.
pub fn kind_of_key(key: &str) -> Option<TaxonomyKind> {
    match key {
        "categories" | "category" => Some(TaxonomyKind::Category),
        "tags" | "tag" => Some(TaxonomyKind::Tag),
        "author" | "authors" => Some(TaxonomyKind::Author),
        _ => None,
    }
}

/// Every taxonomy value of a post, in file order.
pub fn taxonomy_values(front_matter: &FrontMatter) -> Vec<TaxonomyValue> {
    let mut values = Vec::new();
    for entry in &front_matter.entries {
        let Some(kind) = kind_of_key(&entry.key) else {
            continue;
        };
        match (&entry.value.value, kind) {
            (Value::Sequence(items), TaxonomyKind::Category) => {
                let nested = items
                    .iter()
                    .any(|item| matches!(item.value, Value::Sequence(_)));
                if nested {
                    for item in items {
                        match &item.value {
                            Value::Sequence(path) => push_path(path, &mut values),
                            _ => push_path(std::slice::from_ref(item), &mut values),
                        }
                    }
                } else {
                    push_path(items, &mut values);
                }
            }
            (Value::Sequence(items), _) => {
                for item in items {
                    if let Some(value) = scalar(item, kind, Vec::new()) {
                        values.push(value);
                    }
                }
            }
            _ => {
                if let Some(value) = scalar(&entry.value, kind, Vec::new()) {
                    values.push(value);
                }
            }
        }
    }
    values
}

fn push_path(items: &[Node], out: &mut Vec<TaxonomyValue>) {
    let mut parents: Vec<String> = Vec::new();
    for item in items {
        let Some(value) = scalar(item, TaxonomyKind::Category, parents.clone()) else {
            break;
        };
        parents = value.path.clone();
        out.push(value);
    }
}

fn scalar(node: &Node, kind: TaxonomyKind, mut parents: Vec<String>) -> Option<TaxonomyValue> {
    let Value::Scalar {
        text,
        style,
        raw_range,
    } = &node.value
    else {
        return None;
    };
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    parents.push(text.to_owned());
    Some(TaxonomyValue {
        kind,
        path: parents,
        range: node.range.clone(),
        raw_range: raw_range.clone(),
        style: *style,
    })
}

/// What the site index keeps of a post.
pub fn summarize(front_matter: Option<&FrontMatter>) -> PostSummary {
    let Some(front_matter) = front_matter else {
        return PostSummary::default();
    };
    let mut summary = PostSummary {
        keys: front_matter
            .entries
            .iter()
            .map(|entry| entry.key.clone())
            .collect(),
        ..PostSummary::default()
    };
    if let Some(Value::Scalar { text, .. }) = front_matter.get("title").map(|e| &e.value.value) {
        summary.title = Some(text.clone());
    }
    let values = taxonomy_values(front_matter);
    for (index, value) in values.iter().enumerate() {
        match value.kind {
            TaxonomyKind::Tag => summary.tags.push(value.text().to_owned()),
            TaxonomyKind::Author => summary.authors.push(value.text().to_owned()),
            TaxonomyKind::Category => {
                // Only the deepest value of each path is a path of the post.
                let continues = values.get(index + 1).is_some_and(|next| {
                    next.kind == TaxonomyKind::Category
                        && next.path.starts_with(&value.path)
                        && next.path.len() == value.path.len() + 1
                });
                if !continues {
                    summary.categories.push(value.path.clone());
                }
            }
        }
    }
    summary
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::frontmatter::{Entry, Format};

    pub(crate) fn plain(text: &str, source: &str) -> Node {
        let start = source.find(text).unwrap_or(0);
        Node {
            range: start..start + text.len(),
            value: Value::Scalar {
                text: text.to_owned(),
                style: ScalarStyle::Plain,
                raw_range: start..start + text.len(),
            },
        }
    }

    fn entry(key: &str, value: Node) -> Entry {
        Entry {
            key: key.to_owned(),
            key_range: 0..0,
            value,
        }
    }

    fn front_matter(entries: Vec<Entry>) -> FrontMatter {
        FrontMatter {
            format: Format::Yaml,
            leading: 0..0,
            open_fence: 0..0,
            close_fence: None,
            content: 0..0,
            entries,
            error: None,
            implicit: false,
            body_start: 0,
        }
    }

    fn seq(items: Vec<Node>) -> Node {
        Node {
            range: 0..0,
            value: Value::Sequence(items),
        }
    }

    #[test]
    fn reads_hexo_category_forms() {
        let src = "a b c d e t";
        let fm = front_matter(vec![
            entry(
                "categories",
                seq(vec![
                    seq(vec![plain("a", src), plain("b", src)]),
                    plain("c", src),
                ]),
            ),
            entry("category", seq(vec![plain("d", src), plain("e", src)])),
            entry("tags", plain("t", src)),
        ]);
        let summary = summarize(Some(&fm));
        assert_eq!(
            summary.categories,
            [vec!["a", "b"], vec!["c"], vec!["d", "e"]]
        );
        assert_eq!(summary.tags, ["t"]);
        let values = taxonomy_values(&fm);
        assert_eq!(values[1].path, ["a", "b"]);
        assert_eq!(values[1].raw_range, 2..3);
    }
}
