use crate::config::FieldType;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::document::Context;
use crate::frontmatter::schema::{KeyType, fits, key_type, shape_of};
use crate::frontmatter::{ScalarStyle, Value};

declare_rule! {
    /// ## What it does
    /// Flags a value whose type does not match its field: the types of
    /// `[frontmatter.fields]` in `copydesk.toml` first, then the generator's
    /// documented fields and common theme conventions (`comments` is a boolean,
    /// `tags` a string or a list, `categories` a list or a list of lists, `weight`
    /// an integer, `date` a date).
    ///
    /// ## Why it matters
    /// Generators do not complain, they guess: Hexo treats `comments: "false"` (a
    /// quoted string) as *true*, reads `date: 20220614` as milliseconds after 1970,
    /// and a mapping under `tags` as no tags at all.
    ///
    /// ## Example
    /// ```yaml
    /// comments: "false"
    /// tags: {rust: true}
    /// ```
    /// Use instead:
    /// ```yaml
    /// comments: false
    /// tags: [rust]
    /// ```
    ///
    /// ## Fix
    /// None: the right value depends on what was meant.
    pub struct WrongType {
        code: "FM007", name: "wrong-type", severity: Error, fix: None,
    }
}

impl WrongType {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(fm) = &ctx.doc.front_matter else {
            return;
        };
        let generator = ctx.config.generator;
        for entry in &fm.entries {
            let Some(KeyType::Field(field)) = key_type(ctx.config, &entry.key) else {
                continue;
            };
            if fits(field, &entry.value.value, generator) {
                continue;
            }
            let found = shape_of(&entry.value.value, generator);
            let hint = match &entry.value.value {
                Value::Scalar { style, text, .. } if field == FieldType::Bool => {
                    if *style != ScalarStyle::Plain {
                        " (a quoted value is a string, and any non-empty string counts as true)"
                    } else if matches!(
                        text.to_ascii_lowercase().as_str(),
                        "yes" | "no" | "on" | "off"
                    ) {
                        " (YAML 1.2 reads it as a string, and any non-empty string counts as true)"
                    } else {
                        ""
                    }
                }
                _ => "",
            };
            out.push(Diagnostic::new(
                &Self::META,
                entry.value.range.clone(),
                format!(
                    "`{}` should be {}, found {}{hint}",
                    entry.key,
                    expected(field),
                    found.describe()
                ),
            ));
        }
    }
}

fn expected(field: FieldType) -> &'static str {
    use FieldType::*;
    match field {
        String | Text => "a string",
        Date => "a date",
        Bool => "a boolean (`true` or `false`, unquoted)",
        Integer => "an integer",
        Url => "a URL",
        StringList => "a list of strings",
        StringOrList => "a string or a list of strings",
        CategoryList => "a category, a list of categories or a list of category paths",
    }
}

#[cfg(test)]
mod snapshots {
    use super::super::value_rules_test_support::{config, snapshot};
    use crate::config::{FieldType, Generator};
    use crate::site::SiteIndex;

    #[test]
    fn hexo_values_of_the_wrong_type() {
        let text = "---\ntitle: [a, b]\ncomments: \"false\"\npublished: no\ntags:\n  rust: true\ncategories:\n  - [金融, 新浪财经]\n  - 科技\ndate: 20220614\nheadimg: [a.png]\ntop: 1\n---\n";
        insta::assert_snapshot!(snapshot(
            text,
            "a.md",
            config(Generator::Hexo),
            &SiteIndex::new(),
            "FM007"
        ));
    }

    #[test]
    fn configured_types_and_jekyll_booleans() {
        let mut config = config(Generator::Jekyll);
        config
            .frontmatter
            .fields
            .insert("rating".into(), FieldType::Integer);
        let text = "---\r\npublished: no\r\nrating: 五星 ⭐\r\ntags: rust web\r\n---\r\n";
        insta::assert_snapshot!(snapshot(text, "a.md", config, &SiteIndex::new(), "FM007"));
    }
}
