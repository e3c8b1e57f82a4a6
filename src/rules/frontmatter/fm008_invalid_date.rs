use std::ops::Range;

use crate::config::Generator;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::document::Context;
use crate::frontmatter::dates::{DateVerdict, hexo_rolls_over, judge};
use crate::frontmatter::schema::{Shape, is_date_field, shape_of};
use crate::frontmatter::{Format, ScalarStyle, Value};

declare_rule! {
    /// ## What it does
    /// Flags a date field (`date`, `updated`, `lastmod`, `publishDate`,
    /// `expiryDate`, any field typed `date`) that the site's generator cannot read
    /// as a date. Each generator is modelled: Hexo reads YAML timestamps and
    /// whatever JavaScript's `new Date()` accepts; Hugo RFC 3339 and the layouts of
    /// `cast.ToTime`; Jekyll YAML timestamps and Ruby's `Time.parse`. Dates that do
    /// not exist (`2022-02-30`) are flagged too, although JavaScript rolls them over.
    ///
    /// ## Why it matters
    /// Hexo does not fail: it silently replaces the date with the file's creation
    /// time, so the post jumps to wherever the last checkout put it (an impossible
    /// day such as `2022-02-30` it rolls over into the next month instead). Hugo and
    /// Jekyll stop the build.
    ///
    /// ## Example
    /// ```yaml
    /// date: Invalid Date
    /// updated: 2022-13-45
    /// ```
    /// Use instead:
    /// ```yaml
    /// date: 2022-06-14 15:00:49
    /// ```
    ///
    /// ## Fix
    /// None: only the author knows the real date.
    pub struct InvalidDate {
        code: "FM008", name: "invalid-date", severity: Error, fix: None,
    }
}

/// A string value of a date field.
pub(crate) struct DateValue<'a> {
    pub key: &'a str,
    pub text: &'a str,
    /// Unquoted: YAML (or TOML) may read it as a timestamp by itself.
    pub plain: bool,
    pub range: Range<usize>,
    /// The value inside its quotes: what a rewrite replaces.
    pub raw_range: Range<usize>,
}

/// The non-empty string values of the date fields of the post, in file order.
/// Other shapes are FM007's business and empty values FM011's.
pub(crate) fn date_values<'a>(ctx: &'a Context) -> impl Iterator<Item = DateValue<'a>> + 'a {
    let front_matter = ctx.doc.front_matter.as_ref();
    let entries = front_matter.map_or(&[][..], |fm| &fm.entries[..]);
    // A bare TOML date-time is typed by TOML itself (the parser rejects bad ones)
    // and reaches the generator as a date, whatever its spelling.
    let toml = front_matter.is_some_and(|fm| fm.format == Format::Toml);
    entries.iter().filter_map(move |entry| {
        if !is_date_field(ctx.config, &entry.key) {
            return None;
        }
        let Value::Scalar {
            text,
            style,
            raw_range,
        } = &entry.value.value
        else {
            return None;
        };
        if (toml && *style == ScalarStyle::Plain)
            || text.trim().is_empty()
            || shape_of(&entry.value.value, ctx.config.generator) != Shape::String
        {
            return None;
        }
        Some(DateValue {
            key: &entry.key,
            text,
            plain: *style == ScalarStyle::Plain,
            range: entry.value.range.clone(),
            raw_range: raw_range.clone(),
        })
    })
}

/// An empty or null `date`: Hexo then takes the date from the file name or the
/// file's creation time, and Jekyll stops the build (`Invalid date ''`).
fn empty_date(ctx: &Context) -> Option<Diagnostic> {
    let consequence = match ctx.config.generator {
        Generator::Hexo => "Hexo silently uses the file's time stamps instead",
        Generator::Jekyll => "the Jekyll build fails",
        Generator::Hugo | Generator::Plain => return None,
    };
    let fm = ctx.doc.front_matter.as_ref()?;
    let entry = fm.get("date")?;
    let empty = match &entry.value.value {
        Value::Empty => true,
        Value::Scalar { text, style, .. } => {
            *style == ScalarStyle::Plain
                && matches!(text.trim(), "" | "~" | "null" | "Null" | "NULL")
        }
        Value::Sequence(_) | Value::Mapping(_) => false,
    };
    empty.then(|| {
        Diagnostic::new(
            &InvalidDate::META,
            entry.key_range.start..entry.value.range.end.max(entry.key_range.end),
            format!("`date` is empty: {consequence}"),
        )
    })
}

impl InvalidDate {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let generator = ctx.config.generator;
        out.extend(empty_date(ctx));
        for value in date_values(ctx) {
            if judge(generator, value.text, value.plain) != DateVerdict::Invalid {
                continue;
            }
            let consequence = match generator {
                Generator::Hexo if hexo_rolls_over(value.text, value.plain) => {
                    ": it silently shows a rolled-over date instead (`2022-02-30` becomes 2 March)"
                }
                Generator::Hexo => ": it silently uses the file's time stamps instead",
                Generator::Hugo | Generator::Jekyll => ": the build fails",
                Generator::Plain => "",
            };
            out.push(Diagnostic::new(
                &Self::META,
                value.range,
                format!(
                    "`{}` is not a date {} can read{consequence}",
                    value.key,
                    generator_name(generator)
                ),
            ));
        }
    }
}

pub(crate) fn generator_name(generator: Generator) -> &'static str {
    match generator {
        Generator::Hexo => "Hexo",
        Generator::Hugo => "Hugo",
        Generator::Jekyll => "Jekyll",
        Generator::Plain => "JavaScript's `new Date()`",
    }
}

#[cfg(test)]
mod snapshots {
    use super::super::value_rules_test_support::{config, snapshot};
    use crate::config::Generator;
    use crate::site::SiteIndex;

    fn check(text: &str, generator: Generator) -> String {
        snapshot(text, "a.md", config(generator), &SiteIndex::new(), "FM008")
    }

    #[test]
    fn hexo_dates_it_would_replace_silently() {
        let text = "---\ntitle: 标题 🎉\ndate: Invalid Date\nupdated: '2022-13-45'\n---\n";
        insta::assert_snapshot!(check(text, Generator::Hexo));
    }

    #[test]
    fn readable_dates_pass() {
        let text = "---\ndate: Tue, 14 Jun 2022 15:00:49 GMT\nupdated: 2022-06-14\n---\n";
        assert_eq!(check(text, Generator::Hexo), "");
    }

    #[test]
    fn empty_date_is_replaced_or_stops_the_build() {
        let text = "---\ntitle: x\ndate:\n---\n";
        insta::assert_snapshot!(check(text, Generator::Jekyll));
        assert!(check(text, Generator::Hexo).contains("file's time stamps"));
        assert_eq!(check(text, Generator::Hugo), "");
    }

    #[test]
    fn hugo_and_jekyll_stop_the_build_crlf() {
        let text = "---\r\ndate: 2013/7/13 20:46:25\r\nlastmod: 2022年6月14日\r\n---\r\n";
        insta::assert_snapshot!(check(text, Generator::Hugo));
        let text = "---\r\ndate: 2022-02-30\r\n---\r\n";
        insta::assert_snapshot!(check(text, Generator::Jekyll));
    }
}
