use std::ops::Range;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;
use crate::markup::url::RawUrl;
use crate::markup::{Element, LinkKind};

use super::{elements, has_class, removal_range};

/// Id prefixes of the spans a CMS wraps around stock-quote keyword links.
const STOCK_SPAN_PREFIXES: &[&str] = &["stock_"];
/// Id prefixes of the empty spans a CMS fills with live quotes.
const QUOTE_SPAN_PREFIXES: &[&str] = &["quote_"];

/// Class names keyword-link CMSes are known to use.
fn has_keyword_class(element: &Element) -> bool {
    has_class(element, |class| {
        matches!(class, "keyword" | "keywords" | "stock-link" | "hotword")
    })
}

/// Why `element` is a keyword link a CMS inserted, if it is one: a known keyword
/// class; or, around a bare keyword, a ticker attribute on it or its span, or a
/// target that is a finance portal's quote page while the keyword sits in running
/// text. Recognised by what the link is, not by its class alone.
fn keyword_link_reason(ctx: &Context, element: &Element) -> Option<&'static str> {
    if element.name != "a" {
        return None;
    }
    if has_keyword_class(element) {
        return Some("keyword link inserted by a CMS");
    }
    if !is_bare_keyword(ctx.doc.text, element) {
        return None;
    }
    let parent = element
        .parent
        .and_then(|parent| ctx.doc.markup.html.elements.get(parent))
        .filter(|parent| parent.name == "span");
    if std::iter::once(element)
        .chain(parent)
        .any(|layer| has_ticker_attribute(ctx, layer))
    {
        return Some("keyword link carrying a CMS ticker attribute");
    }
    let href = element.attr_value("href")?;
    (is_quote_page(ctx, href) && in_running_text(ctx.doc.text, element.range()))
        .then_some("keyword link to a stock-quote page")
}

/// Whether `href` is a finance portal's ticker or quote page.
fn is_quote_page(ctx: &Context, href: &str) -> bool {
    let Some(url) = RawUrl::parse(href.trim()) else {
        return false;
    };
    let query = url
        .query_range
        .clone()
        .and_then(|range| url.text.get(range))
        .unwrap_or("")
        .trim_start_matches('?');
    ctx.patterns
        .is_quote_page(&url.host, url.path, query, |name| url.param(name).is_some())
}

/// A ticker attribute whose value looks like a ticker (`sh603138`, `AAPL`, `0700.HK`).
fn has_ticker_attribute(ctx: &Context, element: &Element) -> bool {
    element.attributes.iter().any(|attribute| {
        let value = attribute.value.trim();
        ctx.patterns.is_ticker_attribute(&attribute.name)
            && (1..=12).contains(&value.len())
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.')
            && value
                .bytes()
                .any(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    })
}

/// Link text that is a keyword, not a sentence, a URL or a picture.
fn is_bare_keyword(text: &str, element: &Element) -> bool {
    let content = text.get(element.content_range()).unwrap_or("");
    element.is_complete()
        && !element.has_media
        && (1..=MAX_KEYWORD_CHARS).contains(&element.text_chars)
        && content.split_whitespace().count() <= MAX_KEYWORD_WORDS
        && !content.contains("://")
}

/// Longest keyword (non-whitespace characters) and most words a keyword link holds.
const MAX_KEYWORD_CHARS: usize = 24;
const MAX_KEYWORD_WORDS: usize = 4;

/// Whether the line holding `range` has words of its own outside it (tags
/// skipped): the link is part of a sentence, not a link the author listed.
fn in_running_text(text: &str, range: Range<usize>) -> bool {
    let line_start = text[..range.start].rfind('\n').map_or(0, |at| at + 1);
    let line_end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |at| range.end + at);
    [&text[line_start..range.start], &text[range.end..line_end]]
        .iter()
        .any(|side| has_words_outside_tags(side))
}

fn has_words_outside_tags(html: &str) -> bool {
    let mut in_tag = false;
    html.chars().any(|c| {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag && c.is_alphanumeric() => return true,
            _ => {}
        }
        false
    })
}

fn id_starts_with(element: &Element, prefixes: &[&str]) -> bool {
    element
        .attr_value("id")
        .is_some_and(|id| prefixes.iter().any(|prefix| id.starts_with(prefix)))
}

declare_rule! {
    /// ## What it does
    /// Flags links a CMS inserted around keywords — stock-quote links such as
    /// `<span id="stock_sh603138"><a class="keyword" …>海量数据</a></span>` — and
    /// their empty companions (`<span id="quote_sh603138"></span>`). A link is
    /// recognised by what it is, whatever its class name: around a bare keyword,
    /// one that carries a CMS ticker attribute (`data-stockcode`, `data-symbol` …),
    /// or one inside a sentence whose target is a finance portal's ticker or quote
    /// page (`quote.eastmoney.com/sz000001.html`, `finance.yahoo.com/quote/AAPL`,
    /// any path holding an exchange code such as `sh603138`; hosts in
    /// `data/markup/quote_pages.txt`), in HTML or Markdown.
    ///
    /// ## Why it matters
    /// The author never chose these links: they point readers to the source
    /// site's quote pages and carry its tracking.
    ///
    /// ## Example
    /// ```markdown
    /// 带来了<span id="stock_sh603138"><a href="…/sh603138/nc.shtml" class="keyword">海量数据</a></span><span id="quote_sh603138"></span>资源
    /// ```
    /// becomes
    /// ```markdown
    /// 带来了海量数据资源
    /// ```
    ///
    /// ## Fix
    /// Safe: unwraps the link keeping its text byte for byte; deletes the empty
    /// companion span. Unsafe on Jekyll for a Markdown link inside an HTML block,
    /// which kramdown shows as written.
    pub struct KeywordAutolink {
        code: "MK007", name: "keyword-autolink", severity: Warning, fix: Safe,
    }
}

impl KeywordAutolink {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let html = &ctx.doc.markup.html;
        for (_, element) in elements(ctx) {
            if element.name == "span"
                && element.is_complete()
                && id_starts_with(element, QUOTE_SPAN_PREFIXES)
                && element.text_chars == 0
                && !element.has_media
            {
                let range = element.range();
                out.push(
                    Diagnostic::new(&Self::META, range.clone(), "empty stock-quote placeholder")
                        .with_fix(Fix::safe(
                            "Delete the placeholder",
                            vec![Edit::delete(removal_range(ctx.doc.text, range))],
                        ))
                        .unnecessary(),
                );
                continue;
            }
            let Some(reason) = keyword_link_reason(ctx, element) else {
                continue;
            };
            if !element.is_complete() {
                continue;
            }
            // Unwrap the stock span too when it holds nothing but this link.
            let wrapper = element.parent.and_then(|parent| {
                let span = html.elements.get(parent)?;
                (span.name == "span"
                    && span.is_complete()
                    && (id_starts_with(span, STOCK_SPAN_PREFIXES)
                        || has_ticker_attribute(ctx, span))
                    && span.text_chars == element.text_chars)
                    .then_some(span)
            });
            let mut layers = vec![element];
            layers.extend(wrapper);
            let mut edits = Vec::new();
            for layer in &layers {
                let Some(end_tag) = layer.end_tag.clone() else {
                    continue;
                };
                edits.push(Edit::delete(layer.start_tag.clone()));
                edits.push(Edit::delete(end_tag));
            }
            let outer = wrapper.unwrap_or(element);
            let text = ctx.doc.text.get(element.content_range()).unwrap_or("");
            out.push(
                Diagnostic::new(
                    &Self::META,
                    outer.range(),
                    format!("{reason} around `{}`", super::excerpt(text, 20)),
                )
                .with_fix(Fix::safe("Unwrap the link, keeping its text", edits)),
            );
        }
        Self::check_markdown_links(ctx, out);
    }

    /// `[keyword](quote page)` inside a sentence: the same autolink, converted to Markdown.
    fn check_markdown_links(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let text = ctx.doc.text;
        for url in &ctx.doc.markup.urls {
            if url.kind != LinkKind::Link {
                continue;
            }
            let (Some(href), Some(written)) =
                (text.get(url.url_range.clone()), text.get(url.range.clone()))
            else {
                continue;
            };
            // Only the inline form `[text](url)`, whose text ends at the last `](`.
            let Some(label_end) = written.rfind("](") else {
                continue;
            };
            let Some(label) = written.get(1..label_end) else {
                continue;
            };
            let is_keyword = written.starts_with('[')
                && written.ends_with(')')
                && !label.contains(['[', ']', '<', '\n'])
                && !label.contains("://")
                && (1..=MAX_KEYWORD_CHARS)
                    .contains(&label.chars().filter(|c| !c.is_whitespace()).count())
                && label.split_whitespace().count() <= MAX_KEYWORD_WORDS;
            if !is_keyword || !is_quote_page(ctx, href) || !in_running_text(text, url.range.clone())
            {
                continue;
            }
            let start = url.range.start;
            let edits = vec![
                Edit::delete(start..start + 1),
                Edit::delete(start + label_end..url.range.end),
            ];
            out.push(
                Diagnostic::new(
                    &Self::META,
                    url.range.clone(),
                    format!(
                        "keyword link to a stock-quote page around `{}`",
                        super::excerpt(label, 20)
                    ),
                )
                .with_fix(Fix::safe("Unwrap the link, keeping its text", edits)),
            );
            let last = out.len() - 1;
            super::unsafe_where_shown_as_written(ctx, url, &mut out[last..]);
        }
    }
}
