//! A light reading of URLs as written (raw, byte for byte): host, path and the
//! query parameters with their spans, so fixes can drop parameters and keep every
//! other byte of the URL.

use std::borrow::Cow;
use std::ops::Range;

/// One `name=value` of a query string, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryParam<'a> {
    pub name: &'a str,
    pub value: &'a str,
    /// The parameter in the URL (offsets into the URL text).
    pub range: Range<usize>,
}

/// A URL split into the parts the rules need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawUrl<'a> {
    pub text: &'a str,
    /// Lower-cased host (borrowed when written in lower case).
    pub host: Cow<'a, str>,
    pub path: &'a str,
    /// From `?` (included) to the fragment or the end.
    pub query_range: Option<Range<usize>>,
    pub params: Vec<QueryParam<'a>>,
    /// `&amp;` when the query is HTML-escaped, else `&`.
    pub separator: &'static str,
}

impl<'a> RawUrl<'a> {
    /// Reads an absolute (`http://`, `https://`) or protocol-relative URL. Every
    /// href and src of a post is read here: the parts are found with memchr and the
    /// host is borrowed unless it needs lower-casing.
    pub fn parse(text: &'a str) -> Option<RawUrl<'a>> {
        let starts_with = |prefix: &str| {
            text.get(..prefix.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
        };
        let after_scheme = if starts_with("https://") {
            8
        } else if starts_with("http://") {
            7
        } else if text.starts_with("//") {
            2
        } else {
            return None;
        };
        let bytes = text.as_bytes();
        let host_end = memchr::memchr3(b'/', b'?', b'#', &bytes[after_scheme..])
            .map_or(text.len(), |at| after_scheme + at);
        let authority = &text[after_scheme..host_end];
        let host_port = memchr::memrchr(b'@', authority.as_bytes())
            .map_or(authority, |at| &authority[at + 1..]);
        let host =
            &host_port[..memchr::memchr(b':', host_port.as_bytes()).unwrap_or(host_port.len())];
        let host = if host.bytes().any(|byte| byte.is_ascii_uppercase()) {
            Cow::Owned(host.to_ascii_lowercase())
        } else {
            Cow::Borrowed(host)
        };
        let path_start = host_end;
        let fragment =
            memchr::memchr(b'#', &bytes[path_start..]).map_or(text.len(), |at| path_start + at);
        let query_start =
            memchr::memchr(b'?', &bytes[path_start..fragment]).map(|at| path_start + at);
        let path = &text[path_start..query_start.unwrap_or(fragment)];
        let mut url = RawUrl {
            text,
            host,
            path,
            query_range: query_start.map(|start| start..fragment),
            params: Vec::new(),
            separator: "&",
        };
        if let Some(start) = query_start {
            let query = &text[start + 1..fragment];
            if query.contains("&amp;") {
                url.separator = "&amp;";
            }
            let mut cursor = start + 1;
            for piece in split_query(query) {
                let range = cursor..cursor + piece.len();
                cursor = range.end;
                if piece.starts_with('&') {
                    continue; // a separator
                }
                if piece.is_empty() {
                    continue;
                }
                let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
                url.params.push(QueryParam { name, value, range });
            }
        }
        Some(url)
    }

    /// The value of the first parameter called `name`, percent-decoded.
    pub fn param(&self, name: &str) -> Option<Cow<'a, str>> {
        let param = self.params.iter().find(|param| param.name == name)?;
        Some(percent_encoding::percent_decode_str(param.value).decode_utf8_lossy())
    }

    /// The URL without the parameters for which `drop` is true, every other byte kept.
    /// `None` when nothing is dropped.
    pub fn without_params(&self, mut drop: impl FnMut(&QueryParam) -> bool) -> Option<String> {
        let query_range = self.query_range.clone()?;
        let kept: Vec<&QueryParam> = self.params.iter().filter(|param| !drop(param)).collect();
        if kept.len() == self.params.len() {
            return None;
        }
        let mut out = String::with_capacity(self.text.len());
        out.push_str(&self.text[..query_range.start]);
        for (i, param) in kept.iter().enumerate() {
            out.push_str(if i == 0 { "?" } else { self.separator });
            out.push_str(&self.text[param.range.clone()]);
        }
        out.push_str(&self.text[query_range.end..]);
        Some(out)
    }
}

/// Splits a query into parameters and separators (`&` or `&amp;`), in order.
fn split_query(query: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut cursor = 0;
    let bytes = query.as_bytes();
    while cursor < bytes.len() {
        if bytes[cursor] == b'&' {
            let separator_len = if query[cursor..].starts_with("&amp;") {
                5
            } else {
                1
            };
            pieces.push(&query[start..cursor]);
            pieces.push(&query[cursor..cursor + separator_len]);
            cursor += separator_len;
            start = cursor;
        } else {
            cursor += 1;
        }
    }
    pieces.push(&query[start..]);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The host, path and query range as the reading before memchr found them: the
    /// oracle of `parse`.
    fn reference(text: &str) -> Option<(String, &str, Option<Range<usize>>)> {
        let lower_start = text.get(..8).unwrap_or(text).to_ascii_lowercase();
        let after_scheme = if lower_start.starts_with("https://") {
            8
        } else if lower_start.starts_with("http://") {
            7
        } else if text.starts_with("//") {
            2
        } else {
            return None;
        };
        let rest = &text[after_scheme..];
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..host_end];
        let host_port = authority.rsplit('@').next().unwrap_or(authority);
        let host = host_port
            .split(':')
            .next()
            .unwrap_or(host_port)
            .to_ascii_lowercase();
        let path_start = after_scheme + host_end;
        let fragment = text[path_start..]
            .find('#')
            .map_or(text.len(), |at| path_start + at);
        let query_start = text[path_start..fragment]
            .find('?')
            .map(|at| path_start + at);
        let path = &text[path_start..query_start.unwrap_or(fragment)];
        Some((host, path, query_start.map(|start| start..fragment)))
    }

    proptest::proptest! {
        #[test]
        fn reads_urls_as_the_reference_does(
            text in "(https?://|HTTPS?://|hTtPs://|//|/|ftp://)?([a-zA-Z0-9.:@-]|é){0,10}([/?#&=]|[a-zA-Z0-9]|[%.]|海){0,16}"
        ) {
            let read = RawUrl::parse(&text).map(|url| (url.host.into_owned(), url.path, url.query_range));
            proptest::prop_assert_eq!(read, reference(&text));
        }
    }

    #[test]
    fn drops_tracking_params_and_keeps_the_rest() {
        let url = RawUrl::parse("https://A.com:8/p?id=1&utm_source=x&amp;b=%20#frag").expect("url");
        assert_eq!(url.host, "a.com");
        assert_eq!(url.path, "/p");
        let names: Vec<&str> = url.params.iter().map(|p| p.name).collect();
        assert_eq!(names, ["id", "utm_source", "b"]);
        let cleaned = url.without_params(|p| p.name.starts_with("utm_"));
        assert_eq!(
            cleaned.as_deref(),
            Some("https://A.com:8/p?id=1&amp;b=%20#frag")
        );
        let all_gone = url.without_params(|_| true);
        assert_eq!(all_gone.as_deref(), Some("https://A.com:8/p#frag"));
        assert_eq!(url.without_params(|_| false), None);
    }

    #[test]
    fn decodes_params_and_rejects_relative_urls() {
        let url =
            RawUrl::parse("//link.zhihu.com/?target=https%3A%2F%2Fa.cn%2F%E6%B5%B7").expect("url");
        assert_eq!(url.param("target").as_deref(), Some("https://a.cn/海"));
        assert!(RawUrl::parse("/images/a.png?utm_source=x").is_none());
        assert!(RawUrl::parse("mailto:a@b.c").is_none());
    }
}
