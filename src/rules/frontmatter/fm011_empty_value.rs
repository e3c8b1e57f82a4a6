use crate::config::Generator;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::document::Context;
use crate::frontmatter::{ScalarStyle, Value};

declare_rule! {
    /// ## What it does
    /// Flags an empty value where it changes the output, not where the empty key
    /// reads exactly like an absent one: an empty `title` (the page shows untitled
    /// where the generator would otherwise title it), an empty `date` on Jekyll
    /// (the build fails), and any key `[frontmatter] required` names. Empty means
    /// nothing after the key (`title:`), an empty quoted string (`title: ""`), an
    /// empty list or an empty mapping. The empty optional keys that theme
    /// scaffolds write into every post (`password:`, `summary:`, `tags:`,
    /// `categories: []`) are the same as absent and are not flagged.
    ///
    /// ## Why it matters
    /// An empty title is a field someone meant to fill: an importer leaves
    /// `title: ''` when the feed had none, and themes then show an untitled post.
    ///
    /// ## Example
    /// ```yaml
    /// title: ""
    /// ```
    /// Use instead:
    /// ```yaml
    /// title: 法治蓝皮书
    /// ```
    /// or remove the key.
    ///
    /// ## Fix
    /// None: what belongs there is the author's call.
    pub struct EmptyValue {
        code: "FM011", name: "empty-value", severity: Warning, fix: None,
    }
}

impl EmptyValue {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(fm) = &ctx.doc.front_matter else {
            return;
        };
        for entry in fm
            .entries
            .iter()
            .filter(|entry| empty_changes_output(ctx, &entry.key))
        {
            let (range, what) = match &entry.value.value {
                Value::Empty => (entry.key_range.clone(), "has no value"),
                Value::Scalar { text, style, .. }
                    if *style != ScalarStyle::Plain && text.is_empty() =>
                {
                    (entry.value.range.clone(), "is an empty string")
                }
                Value::Sequence(items) if items.is_empty() => {
                    (entry.value.range.clone(), "is an empty list")
                }
                Value::Mapping(entries) if entries.is_empty() => {
                    (entry.value.range.clone(), "is an empty mapping")
                }
                _ => continue,
            };
            out.push(Diagnostic::new(
                &Self::META,
                range,
                format!("`{}` {what}", entry.key),
            ));
        }
    }
}

/// Whether an empty `key` gives another page than no `key` at all.
fn empty_changes_output(ctx: &Context, key: &str) -> bool {
    key.eq_ignore_ascii_case("title")
        || (ctx.config.generator == Generator::Jekyll && key == "date")
        || ctx
            .config
            .frontmatter
            .required
            .as_ref()
            .is_some_and(|required| required.iter().any(|k| k == key))
}

#[cfg(test)]
mod snapshots {
    use super::super::value_rules_test_support::{config, snapshot};
    use crate::config::Generator;
    use crate::site::SiteIndex;

    #[test]
    fn empty_values() {
        let text = "---\ntitle: \"\"\ntags:\ncategories: []\nauthor: 新浪财经\nextra: {}\nnothing: ~\ncomments: false\n---\n";
        insta::assert_snapshot!(snapshot(
            text,
            "a.md",
            config(Generator::Hexo),
            &SiteIndex::new(),
            "FM011"
        ));
    }

    #[test]
    fn scaffold_keys_left_empty_read_as_absent() {
        let text = "---\ntitle: Hi\npassword:\nsummary:\ntags:\ncategories: []\n---\n";
        for generator in [Generator::Hexo, Generator::Hugo, Generator::Jekyll] {
            let found = snapshot(text, "a.md", config(generator), &SiteIndex::new(), "FM011");
            assert_eq!(found, "", "{generator:?}");
        }
        let mut required = config(Generator::Hexo);
        required.frontmatter.required = Some(vec!["title".into(), "tags".into()]);
        let found = snapshot(text, "a.md", required, &SiteIndex::new(), "FM011");
        assert!(found.contains("`tags` has no value"), "{found}");
    }

    #[test]
    fn an_empty_jekyll_date_fails_the_build() {
        let text = "---\ntitle: Hi\ndate:\n---\n";
        let found = snapshot(
            text,
            "a.md",
            config(Generator::Jekyll),
            &SiteIndex::new(),
            "FM011",
        );
        assert!(found.contains("`date` has no value"), "{found}");
        assert_eq!(
            snapshot(
                text,
                "a.md",
                config(Generator::Hexo),
                &SiteIndex::new(),
                "FM011"
            ),
            ""
        );
    }

    #[test]
    fn empty_values_crlf_emoji() {
        let text = "---\r\ntags: 🎉\r\ntitle: ''\r\n---\r\n";
        insta::assert_snapshot!(snapshot(
            text,
            "a.md",
            config(Generator::Hexo),
            &SiteIndex::new(),
            "FM011"
        ));
    }
}
