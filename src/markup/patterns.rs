//! The built-in pattern lists (data files under `data/markup/`) merged with
//! `[markup]`, compiled once per configuration. Every matcher runs in linear time:
//! Aho-Corasick automata or plain comparisons, never a backtracking regex.

// FxHash: parameter and attribute names are looked up for every URL and tag.
use rustc_hash::{FxHashMap, FxHashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::config::MarkupConfig;

const AD_CLASSES: &str = include_str!("../../data/markup/ad_classes.txt");
const CMS_COMMENTS: &str = include_str!("../../data/markup/cms_comments.txt");
const TRACKING_PARAMS: &str = include_str!("../../data/markup/tracking_params.txt");
const TRACKER_HOSTS: &str = include_str!("../../data/markup/tracker_hosts.txt");
const BOILERPLATE: &str = include_str!("../../data/markup/boilerplate.txt");
const IFRAME_HOSTS: &str = include_str!("../../data/markup/iframe_hosts.txt");
const REDIRECT_WRAPPERS: &str = include_str!("../../data/markup/redirect_wrappers.txt");
const AD_SCRIPT_GLOBALS: &str = include_str!("../../data/markup/ad_script_globals.txt");
const QUOTE_PAGES: &str = include_str!("../../data/markup/quote_pages.txt");
const TICKER_ATTRIBUTES: &str = include_str!("../../data/markup/ticker_attributes.txt");

/// The entries of a data file: one per line, `#` starts a comment line.
fn entries(data: &str) -> impl Iterator<Item = &str> {
    data.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

fn automaton(patterns: &[String]) -> Option<AhoCorasick> {
    if patterns.is_empty() {
        return None;
    }
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(patterns)
        .ok()
}

/// Class/id patterns: `word` at a segment boundary, `=word` a whole segment.
#[derive(Debug, Default)]
struct ClassMatcher {
    automaton: Option<AhoCorasick>,
    whole_segment: Vec<bool>,
}

impl ClassMatcher {
    fn new<'a>(lines: impl Iterator<Item = &'a str>) -> ClassMatcher {
        let mut patterns = Vec::new();
        let mut whole_segment = Vec::new();
        for line in lines {
            let (whole, word) = match line.strip_prefix('=') {
                Some(word) => (true, word),
                None => (false, line),
            };
            patterns.push(word.to_ascii_lowercase());
            whole_segment.push(whole);
        }
        ClassMatcher {
            automaton: automaton(&patterns),
            whole_segment,
        }
    }

    /// The pattern a class token or id matches, if any.
    fn find<'t>(&self, token: &'t str) -> Option<&'t str> {
        let automaton = self.automaton.as_ref()?;
        let bytes = token.as_bytes();
        let is_separator = |b: u8| b == b'-' || b == b'_';
        for found in automaton.find_overlapping_iter(token) {
            let (start, end) = (found.start(), found.end());
            let before = start.checked_sub(1).and_then(|at| bytes.get(at)).copied();
            let after = bytes.get(end).copied();
            let at_boundary = before.is_none_or(|b| is_separator(b) || b.is_ascii_digit());
            let whole = self
                .whole_segment
                .get(found.pattern().as_usize())
                .copied()
                .unwrap_or(false);
            let ends_segment = after.is_none_or(|b| is_separator(b) || b.is_ascii_digit());
            if at_boundary && (!whole || ends_segment) {
                return token.get(start..end);
            }
        }
        None
    }
}

/// A phrase of boilerplate and where in a block it must sit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Start,
    End,
    Anywhere,
}

/// How a redirect wrapper carries its target.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Redirect {
    host: String,
    path_prefix: String,
    /// `None` for opaque links (no decodable target).
    param: Option<String>,
}

/// What a redirect link resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedirectTarget {
    /// The wrapper carries its target in this query parameter.
    Param(String),
    /// An opaque affiliate or short link.
    Opaque,
}

/// A finance portal's quote pages: under `path_prefix`, and carrying `param` when set.
#[derive(Clone, Debug, PartialEq, Eq)]
struct QuotePage {
    host: String,
    path_prefix: String,
    param: Option<String>,
}

/// Compiled pattern lists; build once per configuration, share across files.
#[derive(Debug, Default)]
pub struct Patterns {
    ad_classes: ClassMatcher,
    cms_comments: Option<AhoCorasick>,
    tracking_params: FxHashSet<String>,
    tracking_prefixes: Vec<String>,
    tracking_params_by_host: FxHashMap<String, FxHashSet<String>>,
    tracker_hosts: Vec<(String, String)>,
    boilerplate: Option<AhoCorasick>,
    boilerplate_anchors: Vec<Anchor>,
    iframe_hosts: Vec<(String, String)>,
    redirects: Vec<Redirect>,
    ad_script_globals: FxHashSet<&'static str>,
    quote_pages: Vec<QuotePage>,
    ticker_attributes: FxHashSet<&'static str>,
}

/// Splits `host/path` into a lower-case host and a path prefix (empty when absent).
fn host_and_path(entry: &str) -> (String, String) {
    match entry.find('/') {
        Some(at) => (entry[..at].to_ascii_lowercase(), entry[at..].to_owned()),
        None => (entry.to_ascii_lowercase(), String::new()),
    }
}

/// Whether `host` is `domain` or one of its subdomains.
pub fn host_matches(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

impl Patterns {
    /// Compiles the built-in lists plus the config's extensions (which use the same
    /// syntax as the data files).
    pub fn new(extra: &MarkupConfig) -> Patterns {
        let merged = |data: &'static str, extra: &[String]| -> Vec<String> {
            entries(data)
                .map(str::to_owned)
                .chain(extra.iter().map(|entry| entry.trim().to_owned()))
                .filter(|entry| !entry.is_empty())
                .collect()
        };

        let ad_classes = merged(AD_CLASSES, &extra.ad_classes);
        let cms_comments: Vec<String> = merged(CMS_COMMENTS, &extra.cms_comments)
            .into_iter()
            .map(|entry| entry.to_lowercase())
            .collect();

        let mut patterns = Patterns {
            ad_classes: ClassMatcher::new(ad_classes.iter().map(String::as_str)),
            cms_comments: automaton(&cms_comments),
            ad_script_globals: entries(AD_SCRIPT_GLOBALS).collect(),
            ticker_attributes: entries(TICKER_ATTRIBUTES).collect(),
            ..Patterns::default()
        };

        for entry in merged(TRACKING_PARAMS, &extra.tracking_params) {
            match entry.split_once(':') {
                Some((host, name)) => {
                    patterns
                        .tracking_params_by_host
                        .entry(host.trim().to_ascii_lowercase())
                        .or_default()
                        .insert(name.trim().to_ascii_lowercase());
                }
                None => match entry.strip_suffix('*') {
                    Some(prefix) => patterns.tracking_prefixes.push(prefix.to_ascii_lowercase()),
                    None => {
                        patterns.tracking_params.insert(entry.to_ascii_lowercase());
                    }
                },
            }
        }

        patterns.tracker_hosts = merged(TRACKER_HOSTS, &extra.tracker_hosts)
            .iter()
            .map(|entry| host_and_path(entry))
            .collect();
        patterns.iframe_hosts = merged(IFRAME_HOSTS, &extra.allowed_iframe_hosts)
            .iter()
            .map(|entry| host_and_path(entry))
            .collect();

        let mut phrases = Vec::new();
        for entry in merged(BOILERPLATE, &extra.boilerplate) {
            let (anchor, phrase) = if let Some(phrase) = entry.strip_prefix('^') {
                (Anchor::Start, phrase)
            } else if let Some(phrase) = entry.strip_suffix('$') {
                (Anchor::End, phrase)
            } else {
                (Anchor::Anywhere, entry.as_str())
            };
            phrases.push(phrase.to_owned());
            patterns.boilerplate_anchors.push(anchor);
        }
        patterns.boilerplate = automaton(&phrases);

        for entry in entries(REDIRECT_WRAPPERS) {
            let mut words = entry.split_whitespace();
            let (Some(target), param) = (words.next(), words.next()) else {
                continue;
            };
            let (host, path_prefix) = host_and_path(target);
            patterns.redirects.push(Redirect {
                host,
                path_prefix,
                param: param.map(str::to_owned),
            });
        }
        for entry in entries(QUOTE_PAGES) {
            let mut words = entry.split_whitespace();
            let Some(target) = words.next() else { continue };
            let (host, path_prefix) = host_and_path(target);
            patterns.quote_pages.push(QuotePage {
                host,
                path_prefix,
                param: words
                    .next()
                    .map(|param| param.trim_start_matches('?').to_owned()),
            });
        }
        patterns
    }

    /// Whether `host` + `path` is a finance portal's ticker or quote page (MK007):
    /// listed in `data/markup/quote_pages.txt` (`has_param` says whether the URL
    /// carries a listed page's parameter), or holding an exchange-prefixed stock
    /// code in a path segment or in `query` (the raw query string, `?` excluded).
    pub fn is_quote_page(
        &self,
        host: &str,
        path: &str,
        query: &str,
        mut has_param: impl FnMut(&str) -> bool,
    ) -> bool {
        let path = if path.is_empty() { "/" } else { path };
        let listed = self.quote_pages.iter().any(|page| {
            host_matches(host, &page.host)
                && path.starts_with(page.path_prefix.as_str())
                && page.param.as_deref().is_none_or(&mut has_param)
        });
        listed
            || path
                .split('/')
                .chain(query.split(['&', '=', ';']))
                .any(is_exchange_code)
    }

    /// Whether `name` is an attribute in which a CMS stores a keyword link's ticker.
    pub fn is_ticker_attribute(&self, name: &str) -> bool {
        self.ticker_attributes.contains(name)
    }

    /// The ad pattern a class token or id matches (MK002).
    pub fn ad_class<'t>(&self, token: &'t str) -> Option<&'t str> {
        if token.is_empty() {
            return None;
        }
        self.ad_classes.find(token)
    }

    /// Whether a comment's content looks like CMS/template markup (MK001).
    pub fn is_cms_comment(&self, content: &str) -> bool {
        let trimmed = content.trim();
        if trimmed.is_empty() {
            return true;
        }
        self.cms_comments
            .as_ref()
            .is_some_and(|automaton| automaton.is_match(&trimmed.to_lowercase()))
    }

    /// Whether the query parameter `name` only tracks clicks on `host` (MK005).
    pub fn is_tracking_param(&self, host: &str, name: &str) -> bool {
        // Every parameter of every link is asked about: lower-cased only when needed.
        let lowered = if name.bytes().any(|byte| byte.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(name.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(name)
        };
        let name: &str = &lowered;
        if self.tracking_params.contains(name)
            || self
                .tracking_prefixes
                .iter()
                .any(|prefix| name.starts_with(prefix.as_str()))
        {
            return true;
        }
        self.tracking_params_by_host
            .iter()
            .any(|(domain, names)| host_matches(host, domain) && names.contains(name))
    }

    /// Whether inline script `code` uses a global of an ad or analytics library
    /// (`sinaads`, `adsbygoogle`, `_hmt` …), as a whole identifier.
    pub fn uses_ad_script_global(&self, code: &str) -> bool {
        code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
            .any(|word| self.ad_script_globals.contains(word))
    }

    /// Whether `host` + `path` is a known tracker (MK006).
    pub fn is_tracker(&self, host: &str, path: &str) -> bool {
        self.tracker_hosts
            .iter()
            .any(|(domain, prefix)| host_matches(host, domain) && path.starts_with(prefix.as_str()))
    }

    /// Whether an iframe from `host` + `path` is an allowed embed (MK003).
    pub fn is_allowed_iframe(&self, host: &str, path: &str) -> bool {
        self.iframe_hosts
            .iter()
            .any(|(domain, prefix)| host_matches(host, domain) && path.starts_with(prefix.as_str()))
    }

    /// The boilerplate phrase found in `block` (a short run of visible text), if any.
    pub fn boilerplate<'t>(&self, block: &'t str) -> Option<&'t str> {
        let automaton = self.boilerplate.as_ref()?;
        let block = block.trim_matches(|c: char| c.is_whitespace());
        for found in automaton.find_overlapping_iter(block) {
            let anchor = self
                .boilerplate_anchors
                .get(found.pattern().as_usize())
                .copied()
                .unwrap_or(Anchor::Anywhere);
            let fits = match anchor {
                Anchor::Start => found.start() == 0,
                Anchor::End => found.end() == block.len(),
                Anchor::Anywhere => true,
            };
            if fits {
                return block.get(found.start()..found.end());
            }
        }
        None
    }

    /// What a link to `host` + `path` through a redirect wrapper carries, if it is one.
    /// A wrapper matches only when `has_param` says its target parameter is there.
    pub fn redirect(
        &self,
        host: &str,
        path: &str,
        mut has_param: impl FnMut(&str) -> bool,
    ) -> Option<RedirectTarget> {
        let path = if path.is_empty() { "/" } else { path };
        let mut opaque = false;
        for redirect in &self.redirects {
            if redirect.host != host || !path.starts_with(redirect.path_prefix.as_str()) {
                continue;
            }
            match &redirect.param {
                Some(param) if has_param(param) => {
                    return Some(RedirectTarget::Param(param.clone()));
                }
                Some(_) => {}
                None => opaque = true,
            }
        }
        opaque.then_some(RedirectTarget::Opaque)
    }
}

/// A Chinese or Hong Kong exchange code with its market prefix, as quote pages
/// name their stocks: `sh603138`, `SZ000001`, `bj830799`, `hk00700` (a file
/// extension after it is allowed: `sh603138.html`).
fn is_exchange_code(segment: &str) -> bool {
    let stem = segment.split('.').next().unwrap_or(segment);
    let Some((market, digits)) = stem.split_at_checked(2) else {
        return false;
    };
    let digits_wanted = match market.as_bytes() {
        [a, b] => match [a.to_ascii_lowercase(), b.to_ascii_lowercase()] {
            [b's', b'h' | b'z'] | [b'b', b'j'] => 6,
            [b'h', b'k'] => 5,
            _ => return false,
        },
        _ => return false,
    };
    digits.len() == digits_wanted && digits.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns() -> Patterns {
        Patterns::new(&MarkupConfig::default())
    }

    #[test]
    fn ad_classes_match_at_segment_boundaries_only() {
        let p = patterns();
        for hit in [
            "appendQr_wrap",
            "ad",
            "ad_box",
            "sinaads",
            "top-ad",
            "Sponsored",
            "adsbygoogle",
        ] {
            assert!(p.ad_class(hit).is_some(), "{hit} should match");
        }
        for miss in [
            "adjust",
            "address",
            "header",
            "load_more",
            "readme",
            "shadow",
            "bad_",
        ] {
            assert!(p.ad_class(miss).is_none(), "{miss} should not match");
        }
    }

    #[test]
    fn config_extends_the_lists() {
        let extra = MarkupConfig {
            ad_classes: vec!["promo-box".into()],
            tracking_params: vec!["example.com: ref".into()],
            boilerplate: vec!["本文来自微信公众号".into()],
            allowed_iframe_hosts: vec!["video.example.org".into()],
            ..MarkupConfig::default()
        };
        let p = Patterns::new(&extra);
        assert!(p.ad_class("promo-box").is_some());
        assert!(p.is_tracking_param("www.example.com", "ref"));
        assert!(!p.is_tracking_param("other.org", "ref"));
        assert!(p.boilerplate("本文来自微信公众号 xyz").is_some());
        assert!(p.is_allowed_iframe("video.example.org", "/e/1"));
    }

    #[test]
    fn boilerplate_anchors() {
        let p = patterns();
        assert_eq!(p.boilerplate(" 责任编辑：李昂 "), Some("责任编辑："));
        assert!(p.boilerplate("据责任编辑：说").is_none());
        assert!(
            p.boilerplate("海量资讯、精准解读，尽在新浪财经APP")
                .is_some()
        );
        assert!(p.boilerplate("Read more at example.com").is_some());
    }

    #[test]
    fn quote_pages_by_list_and_by_stock_code() {
        let p = patterns();
        let no_param = |_: &str| false;
        assert!(p.is_quote_page("quote.eastmoney.com", "/sz000001.html", "", no_param));
        assert!(p.is_quote_page("finance.yahoo.com", "/quote/AAPL", "", no_param));
        assert!(p.is_quote_page("finance.yahoo.com", "/q", "s=AAPL", |name| name == "s"));
        assert!(!p.is_quote_page("finance.yahoo.com", "/q", "", no_param));
        // An unlisted portal is recognised by the stock code in its path or query.
        assert!(p.is_quote_page("money.example.cn", "/stock/SH603138/", "", no_param));
        assert!(p.is_quote_page("m.example.com", "/hq", "code=hk00700", no_param));
        assert!(p.is_quote_page("m.example.com", "/s/Bj830799.html", "", no_param));
        for (host, path) in [
            ("finance.yahoo.com", "/news/apple-earnings.html"),
            ("github.com", "/shell/sh60313"),
            ("example.com", "/shanghai/"),
            ("example.com", "/sx600000/"),
            ("example.com", "/hk007000/"),
            ("example.com", "/海600000/"),
        ] {
            assert!(!p.is_quote_page(host, path, "", no_param), "{host}{path}");
        }
        assert!(p.is_ticker_attribute("data-stockcode"));
        assert!(!p.is_ticker_attribute("data-id"));
    }

    #[test]
    fn cms_comments_and_tracking_params() {
        let p = patterns();
        assert!(p.is_cms_comment(" 文末二维码 start "));
        assert!(p.is_cms_comment(""));
        assert!(!p.is_cms_comment(" more "));
        assert!(p.is_tracking_param("x.org", "utm_source"));
        assert!(p.is_tracking_param("www.jianshu.com", "from"));
        assert!(!p.is_tracking_param("x.org", "from"));
    }
}
