use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;
use crate::frontmatter::dates::{DateVerdict, judge};

use super::fm008_invalid_date::{date_values, generator_name};

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
    /// ## Fix
    /// Safe: rewrites the value keeping the same instant and the value's quotes: RFC
    /// 3339 when it names a zone or offset (offsets kept, `GMT` becomes `Z`),
    /// `YYYY-MM-DD HH:mm:ss` in the site's local time when it does not,
    /// `YYYY-MM-DD` for a bare day.
    pub struct NonCanonicalDate {
        code: "FM009", name: "non-canonical-date", severity: Info, fix: Safe,
    }
}

impl NonCanonicalDate {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let generator = ctx.config.generator;
        for value in date_values(ctx) {
            let DateVerdict::Fallback(parsed) = judge(generator, value.text, value.plain) else {
                continue;
            };
            let canonical = parsed.canonical_for(generator, value.plain);
            let diagnostic = Diagnostic::new(
                &Self::META,
                value.range,
                format!(
                    "`{}` is in a form {} reads only through a fallback: write `{canonical}`",
                    value.key,
                    generator_name(generator)
                ),
            );
            out.push(diagnostic.with_fix(Fix::safe(
                format!("Rewrite as `{canonical}`"),
                vec![Edit::replace(value.raw_range, canonical)],
            )));
        }
    }
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
        let text = "---\ndate: 2022-06-14 15:00:49\nupdated: 2022-06-14T15:00:49+08:00\n---\n";
        assert_eq!(check(text, Generator::Hexo), "");
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
