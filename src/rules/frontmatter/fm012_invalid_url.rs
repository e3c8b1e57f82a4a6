use crate::config::FieldType;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::document::Context;
use crate::frontmatter::Value;
use crate::frontmatter::schema::{KeyType, Shape, key_type, shape_of};

declare_rule! {
    /// ## What it does
    /// Flags a URL field (`headimg`, `thumbnail`, `cover`, `banner`, `image`…, and
    /// fields typed `url` in `[frontmatter.fields]`) whose value is neither an
    /// absolute `http(s)` URL (or protocol-relative `//host/…`) nor a path on the
    /// site. Relative paths (`cover.jpg`) are accepted: Hexo asset folders and Hugo
    /// page bundles resolve them next to the post.
    ///
    /// ## Why it matters
    /// Themes put the value straight into `<img src>` or `og:image`: `www.x.com/a.png`
    /// becomes a path under the post, `C:\Users\…` or `file:///…` only ever worked
    /// on the author's machine, and a value with spaces or a broken scheme
    /// (`https:/x.com`, `htp://`) never loads.
    ///
    /// ## Example
    /// ```yaml
    /// thumbnail: www.example.com/cover.png
    /// ```
    /// Use instead:
    /// ```yaml
    /// thumbnail: https://www.example.com/cover.png
    /// ```
    ///
    /// ## Fix
    /// None: the right address has to be looked up.
    pub struct InvalidUrl {
        code: "FM012", name: "invalid-url", severity: Warning, fix: None,
    }
}

impl InvalidUrl {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(fm) = &ctx.doc.front_matter else {
            return;
        };
        for entry in &fm.entries {
            if key_type(ctx.config, &entry.key) != Some(KeyType::Field(FieldType::Url)) {
                continue;
            }
            let Value::Scalar { text, .. } = &entry.value.value else {
                continue;
            };
            if shape_of(&entry.value.value, ctx.config.generator) != Shape::String {
                continue;
            }
            if let Some(problem) = url_problem(text.trim()) {
                out.push(Diagnostic::new(
                    &Self::META,
                    entry.value.range.clone(),
                    format!("`{}` is not a usable URL: {problem}", entry.key),
                ));
            }
        }
    }
}

/// Why `text` cannot be used as a link or image address, if it cannot.
fn url_problem(text: &str) -> Option<&'static str> {
    if text.is_empty() {
        return None;
    }
    if text.chars().any(char::is_whitespace) {
        return Some("it contains spaces");
    }
    if text.contains('\\') {
        return Some("it contains backslashes (a Windows path?)");
    }
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        if has_plain_host(text) {
            return None;
        }
        return match url::Url::parse(text) {
            Ok(url) if url.host_str().is_some_and(|host| !host.is_empty()) => None,
            _ => Some("it is not a valid http(s) URL"),
        };
    }
    if let Some(rest) = text.strip_prefix("//") {
        return match url::Url::parse(&format!("https://{rest}")) {
            Ok(_) => None,
            Err(_) => Some("it is not a valid protocol-relative URL"),
        };
    }
    if text.starts_with('/') {
        return None;
    }
    if lower.starts_with("http:") || lower.starts_with("https:") {
        return Some("`http(s):` must be followed by `//`");
    }
    if has_scheme(text) {
        return Some("only http(s) URLs and paths on the site load for visitors");
    }
    if lower.starts_with("www.") {
        return Some("it lacks `https://`, so it is read as a path under the post");
    }
    None
}

/// Whether the http(s) URL `text` has a host WHATWG's parser takes as it is: ASCII
/// letters, digits and `-` in non-empty labels, no `xn--` label (decoded, and it
/// can fail), a last label starting with a letter (else it may be read as an IPv4
/// number), and no user info or port. The parser fails on nothing after the host,
/// so such a URL is valid without running it: `url::Url::parse` was most of FM012.
fn has_plain_host(text: &str) -> bool {
    let scheme_end = text.find("://").map_or(text.len(), |at| at + 3);
    let rest = &text[scheme_end..];
    let host = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let plain_label = |label: &str| {
        !label.is_empty()
            && label
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
            && !label
                .get(..4)
                .is_some_and(|start| start.eq_ignore_ascii_case("xn--"))
    };
    host.split('.').all(plain_label)
        && host
            .rsplit('.')
            .next()
            .is_some_and(|last| last.starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// `scheme:` as RFC 3986 spells it (`file:`, `data:`, `C:`, `https:/`).
fn has_scheme(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// The judge is the URL parser itself: every URL taken without it parses.
        #[test]
        fn a_plain_host_is_one_the_parser_takes(
            text in "(https?|HTTPS?|hTtP)://([a-zA-Z0-9-]{0,6}|xn--[a-z0-9-]{0,6}|0x[0-9a-f]{1,3}|[0-9]{1,4})(\\.([a-zA-Z0-9-]{0,6}|[0-9]{1,4}|0[xX][0-9a-f]{1,2}|xn--[a-z]{0,3})){0,3}\\.?(:[0-9]{0,6})?(@[a-z]{0,3})?([/?#][ -~\u{80}-\u{10FFFF}]{0,12})?"
        ) {
            if has_plain_host(&text) {
                let parsed = url::Url::parse(&text);
                proptest::prop_assert!(
                    parsed.as_ref().is_ok_and(|url| url.host_str().is_some_and(|host| !host.is_empty())),
                    "{text:?}: {parsed:?}"
                );
            }
        }
    }

    #[test]
    fn hosts_the_parser_must_read_are_not_plain() {
        for text in [
            "http://1.2.3.999/",
            "http://example.0x1f/",
            "http://xn--abc.com/",
            "http://a..b/",
            "http://example.com:99999/",
            "http://user@example.com/",
            "http://",
        ] {
            assert!(!has_plain_host(text), "{text}");
        }
        assert!(has_plain_host("https://n.sinaimg.cn/finance/a.png?x=1#y"));
    }

    #[test]
    fn accepts_urls_and_site_paths() {
        for ok in [
            "https://n.sinaimg.cn/finance/a.png",
            "http://example.com/图片.png",
            "//cdn.example.com/a.png",
            "/images/a.png",
            "cover.jpg",
            "../img/a.png",
        ] {
            assert_eq!(url_problem(ok), None, "{ok}");
        }
        for bad in [
            "www.example.com/a.png",
            "https:/example.com/a.png",
            "htp://example.com",
            "http://",
            "file:///Users/me/a.png",
            "C:\\Users\\me\\a.png",
            "data:image/png;base64,xx",
            "图片 地址",
        ] {
            assert!(url_problem(bad).is_some(), "{bad}");
        }
    }
}

#[cfg(test)]
mod snapshots {
    use super::super::value_rules_test_support::{config, snapshot};
    use crate::config::{FieldType, Generator};
    use crate::site::SiteIndex;

    #[test]
    fn url_fields() {
        let mut config = config(Generator::Hexo);
        config
            .frontmatter
            .fields
            .insert("source_link".into(), FieldType::Url);
        let text = "---\ntitle: 图 🎉\nheadimg: 'https://n.sinaimg.cn/finance/a.png'\nthumbnail: www.example.com/封面.png\ncover: false\nbanner: C:\\Users\\me\\a.png\nsource_link: https:/example.com\nimage: /images/a.png\n---\n";
        insta::assert_snapshot!(snapshot(text, "a.md", config, &SiteIndex::new(), "FM012"));
    }
}
