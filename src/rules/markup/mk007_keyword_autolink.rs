use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;
use crate::markup::Element;

use super::{elements, has_class, removal_range};

/// Id prefixes of the spans a CMS wraps around stock-quote keyword links.
const STOCK_SPAN_PREFIXES: &[&str] = &["stock_"];
/// Id prefixes of the empty spans a CMS fills with live quotes.
const QUOTE_SPAN_PREFIXES: &[&str] = &["quote_"];

fn is_keyword_link(element: &Element) -> bool {
    element.name == "a"
        && (has_class(element, |class| {
            matches!(class, "keyword" | "keywords" | "stock-link" | "hotword")
        }) || element
            .attr_value("href")
            .is_some_and(|href| href.contains("/realstock/company/")))
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
    /// their empty companions (`<span id="quote_sh603138"></span>`).
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
    /// companion span.
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
            if !is_keyword_link(element) || !element.is_complete() {
                continue;
            }
            // Unwrap the stock span too when it holds nothing but this link.
            let wrapper = element.parent.and_then(|parent| {
                let span = html.elements.get(parent)?;
                (span.name == "span"
                    && span.is_complete()
                    && id_starts_with(span, STOCK_SPAN_PREFIXES)
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
                    format!(
                        "keyword link inserted by a CMS around `{}`",
                        super::excerpt(text, 20)
                    ),
                )
                .with_fix(Fix::safe("Unwrap the link, keeping its text", edits)),
            );
        }
    }
}
