use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::document::Context;
use crate::frontmatter::{ScalarStyle, Value};

declare_rule! {
    /// ## What it does
    /// Flags a key with nothing after it (`tags:`), an empty quoted string
    /// (`title: ""`), an empty list (`tags: []`) or an empty mapping (`{}`).
    ///
    /// ## Why it matters
    /// An empty value is a field someone meant to fill: Hexo's default scaffold
    /// leaves `tags:` empty, an importer leaves `title: ''` when the feed had none.
    /// Themes then show an untitled post or an empty tag bar.
    ///
    /// ## Example
    /// ```yaml
    /// title: ""
    /// tags:
    /// ```
    /// Use instead:
    /// ```yaml
    /// title: 法治蓝皮书
    /// tags: [法治]
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
        for entry in &fm.entries {
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
    fn empty_values_crlf_emoji() {
        let text = "---\r\ntitle: 🎉\r\ntags: ''\r\n---\r\n";
        insta::assert_snapshot!(snapshot(
            text,
            "a.md",
            config(Generator::Hexo),
            &SiteIndex::new(),
            "FM011"
        ));
    }
}
