use crate::config::{FieldType, Generator};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;
use crate::frontmatter::schema::{KeyType, fits, key_type, shape_of};
use crate::frontmatter::{Entry, ScalarStyle, Value};

declare_rule! {
    /// ## What it does
    /// Flags a value whose type does not match its field: the types of
    /// `[frontmatter.fields]` in `copydesk.toml` first, then the generator's
    /// documented fields and common theme conventions (`comments` is a boolean,
    /// `tags` a string or a list, `categories` a list or a list of lists, `weight`
    /// an integer, `date` a date).
    ///
    /// On Jekyll it also flags a text field (`title`, `description`…) holding an
    /// unquoted `yes`, `no`, `on` or `off`: Jekyll's YAML 1.1 reads these as
    /// booleans, so `title: yes` shows as `true`.
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
    /// Safe for a YAML 1.1 boolean word in a text field on Jekyll: quotes it, so
    /// Jekyll reads the word that is written (as Hexo and Hugo already do).
    /// Otherwise none: the right value depends on what was meant.
    pub struct WrongType {
        code: "FM007", name: "wrong-type", severity: Error, fix: Safe,
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
            if let Some(diagnostic) = yaml11_boolean_text(generator, field, entry) {
                out.push(diagnostic);
                continue;
            }
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

/// A text field whose unquoted value Jekyll's YAML 1.1 (Psych) reads as a
/// boolean: the word is replaced by `true` or `false`.
fn yaml11_boolean_text(
    generator: Generator,
    field: FieldType,
    entry: &Entry,
) -> Option<Diagnostic> {
    let Value::Scalar {
        text,
        style: ScalarStyle::Plain,
        raw_range,
    } = &entry.value.value
    else {
        return None;
    };
    let read_as = match text.to_ascii_lowercase().as_str() {
        "yes" | "on" => "true",
        "no" | "off" => "false",
        _ => return None,
    };
    if generator != Generator::Jekyll || !matches!(field, FieldType::String | FieldType::Text) {
        return None;
    }
    Some(
        Diagnostic::new(
            &WrongType::META,
            raw_range.clone(),
            format!(
                "`{}: {text}`: Jekyll's YAML 1.1 reads `{text}` as the boolean {read_as}, so `{}` becomes `{read_as}`",
                entry.key, entry.key
            ),
        )
        .with_fix(Fix::safe(
            format!("Quote `{text}`"),
            vec![Edit::replace(raw_range.clone(), format!("\"{text}\""))],
        )),
    )
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

#[cfg(test)]
mod tests {
    use crate::config::Generator;
    use crate::rules::test_support::lint_for;

    #[test]
    fn jekyll_reads_yes_and_off_as_booleans_in_text_fields() {
        let text = "---\ntitle: Yes\ndescription: off\nsubtitle: y\n---\n";
        let found = lint_for(text, Generator::Jekyll, "FM007");
        let quoted: Vec<&str> = found
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .map(|fix| fix.edits[0].replacement.as_str())
            .collect();
        assert!(quoted.contains(&"\"Yes\""), "{found:?}");
        assert!(
            found.iter().all(|d| !d.message.contains("`y`")),
            "{found:?}"
        );
        assert!(lint_for(text, Generator::Hexo, "FM007").is_empty());
        assert!(lint_for("---\ntitle: \"yes\"\n---\n", Generator::Jekyll, "FM007").is_empty());
    }
}
