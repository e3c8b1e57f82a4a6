use crate::config::Generator;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::document::Context;
use crate::frontmatter::dates::{DateVerdict, judge};

use super::fm008_invalid_date::{DateValue, date_values, generator_name};

declare_rule! {
    /// ## What it does
    /// Flags a date the generator reads only through a fallback parser, such as
    /// RFC 2822 (`Tue, 14 Jun 2022 15:00:49 GMT`, the form RSS feeds carry), slashes
    /// (`2013/7/13 20:46:25`), month names (`June 14, 2022`) or unpadded numbers.
    ///
    /// ## Why it matters
    /// Fallback parsers differ between generators and versions (`10/11/2012` is
    /// October in JavaScript and November in Ruby); a site that moves from Hexo to
    /// Hugo finds these dates break its build. The documented form reads the same
    /// everywhere and sorts as text.
    ///
    /// ## Example
    /// ```yaml
    /// date: Tue, 14 Jun 2022 15:00:49 GMT
    /// ```
    /// Use instead:
    /// ```yaml
    /// date: 2022-06-14T15:00:49Z
    /// ```
    ///
    /// On Hexo it also flags an unquoted timestamp with a zone
    /// (`date: 2022-06-14T15:00:49+08:00`), as a warning: hexo-front-matter adds
    /// the build machine's UTC offset to every date js-yaml returns, so the post
    /// shows another instant on every machine not on UTC.
    ///
    /// ## Fix
    /// Safe: rewrites the value as the same instant on a build machine in any time
    /// zone: RFC 3339 when it names a zone or offset (offsets kept, `GMT` becomes
    /// `Z`), `YYYY-MM-DD HH:mm:ss` in the site's local time when it does not,
    /// `YYYY-MM-DD` for a bare day. The rewrite is quoted where the generator would
    /// otherwise read it another way: always on Hexo (the fallback was a string
    /// read by `new Date()`, an unquoted timestamp would be shifted), and on Jekyll
    /// for a time without zone (Psych reads it unquoted as UTC, quoted as local
    /// time). Quoting Hexo's unquoted zoned timestamp is unsafe: it moves the date
    /// the site shows, to the instant written.
    pub struct NonCanonicalDate {
        code: "FM009", name: "non-canonical-date", severity: Info, fix: Safe,
    }
}

impl NonCanonicalDate {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let generator = ctx.config.generator;
        for value in date_values(ctx) {
            let parsed = match judge(generator, value.text, value.plain) {
                DateVerdict::Fallback(parsed) => parsed,
                DateVerdict::ShiftedByMachineZone => {
                    out.push(shifted(&value));
                    continue;
                }
                DateVerdict::Canonical | DateVerdict::Invalid => continue,
            };
            let mut canonical = parsed.canonical_for(generator);
            let mut range = value.raw_range.clone();
            if value.plain && parsed.needs_quotes(generator) {
                canonical = format!("'{canonical}'");
                range = value.range.clone();
            }
            let diagnostic = Diagnostic::new(
                &Self::META,
                value.range,
                format!(
                    "`{}` is in a form {} reads only through a fallback: write `{canonical}`",
                    value.key,
                    generator_name(generator)
                ),
            );
            // Ruby's `Time.parse` ignores the zone of JavaScript's `Date#toString`
            // (`GMT+0800 (China Standard Time)`): the instant it reads is not
            // modelled, so there is no safe rewrite.
            if generator == Generator::Jekyll && value.text.contains('(') {
                out.push(diagnostic);
                continue;
            }
            out.push(diagnostic.with_fix(Fix::safe(
                format!("Rewrite as `{canonical}`"),
                vec![Edit::replace(range, canonical)],
            )));
        }
    }
}

/// Hexo's unquoted zoned timestamp, with the quotes that make it read as written.
fn shifted(value: &DateValue) -> Diagnostic {
    let quoted = format!("'{}'", value.text.trim());
    let mut diagnostic = Diagnostic::new(
        &NonCanonicalDate::META,
        value.range.clone(),
        format!(
            "`{}` is an unquoted timestamp with a zone: Hexo shifts it by the build machine's UTC offset; quote it to keep the instant written",
            value.key
        ),
    )
    .with_fix(Fix::unsafe_(
        format!("Quote as `{quoted}` (moves the date Hexo shows to the one written)"),
        vec![Edit::replace(value.range.clone(), quoted)],
    ));
    diagnostic.severity = Severity::Warning;
    diagnostic
}

#[cfg(test)]
mod snapshots {
    use super::super::value_rules_test_support::{config, snapshot};
    use crate::config::Generator;
    use crate::site::SiteIndex;

    fn check(text: &str, generator: Generator) -> String {
        snapshot(text, "a.md", config(generator), &SiteIndex::new(), "FM009")
    }

    #[test]
    fn rss_dates_become_rfc3339() {
        let text = "\n---\ntitle: '法治蓝皮书：年立案超1100万件'\ndate: Tue, 14 Jun 2022 15:00:49 GMT\nupdated: \"Tue, 14 Jun 2022 15:00:49 +0800\"\n---\n";
        insta::assert_snapshot!(check(text, Generator::Hexo));
    }

    #[test]
    fn dates_without_zone_keep_their_wall_time_and_quotes() {
        let text = "---\r\ndate: '2013/7/13 20:46:25'\r\nupdated: \"June 14, 2022\"\r\n---\r\n";
        insta::assert_snapshot!(check(text, Generator::Hexo));
    }

    #[test]
    fn canonical_dates_pass() {
        let text = "---\ndate: 2022-06-14 15:00:49\nupdated: '2022-06-14T15:00:49+08:00'\n---\n";
        assert_eq!(check(text, Generator::Hexo), "");
    }

    #[test]
    fn hexo_unquoted_zoned_timestamps_are_shifted() {
        let text = "---\ndate: 2022-06-14T15:00:49+08:00\n---\n";
        insta::assert_snapshot!(check(text, Generator::Hexo));
    }

    #[test]
    fn hugo_toml_dates() {
        let text = "+++\ntitle = \"Go 🐹\"\ndate = 2022-06-14T15:00:49+08:00\nlastmod = \"Tue, 14 Jun 2022 15:00:49 GMT\"\npublishDate = 2022-06-14 15:00:49Z\n+++\n";
        insta::assert_snapshot!(check(text, Generator::Hugo));
    }

    #[test]
    fn jekyll_reads_slashes_day_first() {
        let text = "---\ndate: 10/11/2012 9:30 pm\n---\n";
        insta::assert_snapshot!(check(text, Generator::Jekyll));
    }
}
