use rustc_hash::FxHashMap;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::document::Context;
use crate::frontmatter::{Entry, Node, Value};

declare_rule! {
    /// ## What it does
    /// Flags a key that appears twice in the same mapping of the front matter
    /// (at the top level or nested). The related information points at the first
    /// occurrence.
    ///
    /// ## Why it matters
    /// Hexo's YAML parser rejects duplicate keys and skips the post; Jekyll and Hugo
    /// silently keep one of the two values, so an edit to the other one does
    /// nothing. Imported posts often get a second `title:` or `date:` appended.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// title: 标题
    /// date: 2022-06-14
    /// title: 新标题
    /// ---
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// ---
    /// title: 新标题
    /// date: 2022-06-14
    /// ---
    /// ```
    ///
    /// ## Fix
    /// None: only the author knows which value is right. Delete one of the two.
    pub struct DuplicateKey {
        code: "FM005", name: "duplicate-key", severity: Error, fix: None,
    }
}

impl DuplicateKey {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(fm) = &ctx.doc.front_matter else {
            return;
        };
        // An explicit stack: nesting depth is the author's, not ours to recurse on.
        let mut mappings: Vec<&[Entry]> = vec![&fm.entries];
        let mut nodes: Vec<&Node> = Vec::new();
        while let Some(entries) = mappings.pop() {
            let mut first: FxHashMap<&str, &Entry> = FxHashMap::default();
            for entry in entries {
                match first.get(entry.key.as_str()) {
                    Some(earlier) => out.push(
                        Diagnostic::new(
                            &Self::META,
                            entry.key_range.clone(),
                            format!("duplicate key `{}`", entry.key),
                        )
                        .with_related(earlier.key_range.clone(), "first defined here"),
                    ),
                    None => {
                        first.insert(&entry.key, entry);
                    }
                }
                nodes.push(&entry.value);
            }
            while let Some(node) = nodes.pop() {
                match &node.value {
                    Value::Mapping(nested) => mappings.push(nested),
                    Value::Sequence(items) => nodes.extend(items),
                    Value::Scalar { .. } | Value::Empty => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::rules::test_support::{lint_code, render};
    use crate::site::SiteIndex;

    fn check(text: &str) -> String {
        render(
            text,
            &lint_code(text, None, Config::default(), &SiteIndex::new(), "FM005"),
        )
    }

    #[test]
    fn top_level_duplicate_points_at_first() {
        insta::assert_snapshot!(check(
            "---\ntitle: 标题\ndate: 2022-06-14\ntitle: 新标题\ntitle: 第三\n---\n"
        ));
    }

    #[test]
    fn nested_duplicate() {
        insta::assert_snapshot!(check("---\nparams:\n  cover: a.png\n  cover: b.png\n---\n"));
    }

    #[test]
    fn same_key_in_different_mappings_is_fine() {
        assert_eq!(check("---\na:\n  k: 1\nb:\n  k: 2\nk: 3\n---\n"), "");
    }
}
