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
