use crate::config::{FieldType, Generator};
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;
use crate::frontmatter::schema::{KeyType, fits, key_type, shape_of};
use crate::frontmatter::taxonomy::TaxonomyValue;
use crate::frontmatter::typed::typed;
use crate::frontmatter::{Entry, FrontMatter, ScalarStyle, Value};

use super::fm014_near_duplicate_taxonomy::kind_name;

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
    /// A category, tag or author that the generator files under another name
    /// than the one written is an error too: an unquoted number, boolean or date
    /// (`tags: [2.0]` is the tag `2` on Hexo and Hugo, `yes` is `true` on
    /// Jekyll, a date is printed in the build machine's zone), a list inside the
    /// list (Hexo's `b,c`), and on Jekyll a number as the whole `tags` (no tags)
    /// or `categories` (Jekyll cannot read the post).
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
    /// Unsafe for a taxonomy value the generator reads as a number, boolean or
    /// date: quoting it files the post under the written text, which changes
    /// the site's categories or tags. Otherwise none: the right value depends
    /// on what was meant.
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
        let first = out.len();
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
        let flagged: Vec<_> = out[first..].iter().map(|d| d.range.clone()).collect();
        let unflagged = |range: &std::ops::Range<usize>| {
            !flagged
                .iter()
                .any(|f| f.start <= range.start && range.end <= f.end)
        };
        for value in ctx.taxonomy_values() {
            if !value.as_written && unflagged(&value.range) {
                out.push(renamed_value(ctx, value));
            }
        }
        out.extend(jekyll_plural_scalars(generator, fm).filter(|d| unflagged(&d.range)));
    }
}

fn generator_name(generator: Generator) -> &'static str {
    match generator {
        Generator::Hexo => "Hexo",
        Generator::Hugo => "Hugo",
        Generator::Jekyll => "Jekyll",
        Generator::Plain => "the generator",
    }
}

/// A taxonomy value the generator files under another name than the written one.
fn renamed_value(ctx: &Context, value: &TaxonomyValue) -> Diagnostic {
    let text = ctx.doc.text;
    let written = &text[value.range.clone()];
    let generator = generator_name(ctx.config.generator);
    let kind = kind_name(value.kind);
    // A list inside the list fails the type check above, so this is a scalar.
    // Not reproduced (a date printed in the machine's zone): the value is the text.
    let machine_text = value.value == text[value.raw_range.clone()];
    let message = if machine_text {
        format!(
            "`{written}` is not text to {generator}'s YAML: it files the post under the {kind} \
             the build machine prints for it (a date in its time zone), not `{written}`"
        )
    } else {
        format!(
            "`{written}` is not text to {generator}'s YAML: it files the post under the {kind} `{}`",
            value.value
        )
    };
    Diagnostic::new(&WrongType::META, value.range.clone(), message).with_fix(Fix::unsafe_(
        format!("Quote `{written}` (the {kind} becomes `{written}`)"),
        vec![Edit::replace(
            value.range.clone(),
            format!("\"{}\"", written.replace('\\', "\\\\").replace('"', "\\\"")),
        )],
    ))
}

/// Jekyll's `tags` or `categories` holding one number, boolean or date: Jekyll
/// reads no tags from it, and cannot read a post whose categories it is.
fn jekyll_plural_scalars(
    generator: Generator,
    fm: &FrontMatter,
) -> impl Iterator<Item = Diagnostic> + '_ {
    fm.entries
        .iter()
        .filter(move |_| generator == Generator::Jekyll)
        .filter_map(move |entry| {
            let Value::Scalar {
                text,
                style: ScalarStyle::Plain,
                ..
            } = &entry.value.value
            else {
                return None;
            };
            let typed = typed(generator, fm.format, text)?;
            if typed == crate::frontmatter::typed::Reading::Null {
                return None;
            }
            let message = match entry.key.as_str() {
                "tags" => format!(
                    "`tags: {text}` is not text to Jekyll's YAML: Jekyll files the post under no tag"
                ),
                "categories" => format!(
                    "`categories: {text}` is not text to Jekyll's YAML: Jekyll cannot read this \
                     post's front matter (\"no implicit conversion into Array\")"
                ),
                _ => return None,
            };
            Some(Diagnostic::new(&WrongType::META, entry.value.range.clone(), message))
        })
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

    #[test]
    fn taxonomy_values_the_generator_files_under_another_name() {
        let text = "---\ntags: [2.0, rust, 2020-01-02]\ncategories: [[a, [b, c]]]\n---\n";
        let found = lint_for(text, Generator::Hexo, "FM007");
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(found.len(), 3, "{messages:#?}");
        assert!(messages[0].contains("the tag `2`"), "{messages:#?}");
        assert!(messages[1].contains("time zone"), "{messages:#?}");
        assert!(messages[2].contains("found a list"), "{messages:#?}");
        let quote = found[0].fix.as_ref().expect("a fix");
        assert_eq!(
            quote.applicability,
            crate::diagnostic::Applicability::Unsafe
        );
        assert_eq!(quote.edits[0].replacement, "\"2.0\"");
        assert!(found[2].fix.is_none());
        assert_eq!(&text[found[2].range.clone()], "[[a, [b, c]]]");
        // Jekyll keeps `2.0` but reads
        // `yes` as `true`, and no tags at all from a lone number.
        let jekyll = lint_for("---\ntags: [2.0, yes]\n---\n", Generator::Jekyll, "FM007");
        assert_eq!(jekyll.len(), 1, "{jekyll:?}");
        assert!(jekyll[0].message.contains("the tag `true`"));
        let lone = lint_for(
            "---\ntags: 5\ncategories: 5\n---\n",
            Generator::Jekyll,
            "FM007",
        );
        assert_eq!(lone.len(), 2, "{lone:?}");
        assert!(lone[1].message.contains("cannot read"));
        assert!(lint_for("---\ntags: [2.0]\n---\n", Generator::Plain, "FM007").is_empty());
        assert!(lint_for("---\ntags: ['2.0']\n---\n", Generator::Hugo, "FM007").is_empty());
    }
}
