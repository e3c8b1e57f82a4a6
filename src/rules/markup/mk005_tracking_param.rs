use std::ops::Range;

use crate::declare_rule;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::document::Context;
use crate::frontmatter::{Node, Value};
use crate::markup::url::RawUrl;

use super::{elements, unsafe_where_shown_as_written};

/// Attributes that hold a URL a reader follows or loads.
pub(crate) const URL_ATTRIBUTES: &[(&str, &str)] = &[
    ("a", "href"),
    ("area", "href"),
    ("img", "src"),
    ("img", "data-src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("iframe", "src"),
];

declare_rule! {
    /// ## What it does
    /// Flags tracking parameters in URLs of links, images and url-valued
    /// front-matter fields: `utm_*`, `fbclid`, `gclid`, `spm`, `sudaref`,
    /// `share_token` … and, on the hosts where they only track, parameters such as
    /// `from` (extend with `[markup] tracking_params`; `host: name` limits a
    /// parameter to a host).
    ///
    /// ## Why it matters
    /// They tell the target site where its readers came from and make the same
    /// link look different every time it is shared.
    ///
    /// ## Example
    /// ```markdown
    /// [Flutter](https://flutter.io/?utm_source=google&utm_medium=blog&lang=en)
    /// ```
    /// becomes
    /// ```markdown
    /// [Flutter](https://flutter.io/?lang=en)
    /// ```
    ///
    /// ## Fix
    /// Safe: removes only the tracking parameters; every other byte of the URL is
    /// kept. Unsafe where the URL is itself the text the reader sees (an autolink
    /// `<https://…>`, a bare URL in running text, or on Jekyll a Markdown link
    /// inside an HTML block, which kramdown shows as written).
    pub struct TrackingParam {
        code: "MK005", name: "tracking-param", severity: Warning, fix: Safe,
    }
}

impl TrackingParam {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let text = ctx.doc.text;
        if let Some(front_matter) = &ctx.doc.front_matter {
            for entry in &front_matter.entries {
                check_node(ctx, &entry.value, out);
            }
        }
        for url in &ctx.doc.markup.urls {
            let first = out.len();
            check_url(ctx, url.url_range.clone(), out);
            unsafe_where_shown_as_written(ctx, url, &mut out[first..]);
        }
        // A URL shown as text: removing its parameters changes what the reader sees.
        for range in &ctx.doc.markup.shown_urls {
            check_url_with(ctx, range.clone(), Applicability::Unsafe, out);
        }
        for (_, element) in elements(ctx) {
            for attribute in &element.attributes {
                let is_url = URL_ATTRIBUTES
                    .iter()
                    .any(|(tag, name)| *tag == element.name && *name == attribute.name);
                if let (true, Some(range)) = (is_url, attribute.value_range.clone())
                    && text.get(range.clone()).is_some()
                {
                    check_url(ctx, range, out);
                }
            }
        }
    }
}

/// Url-valued scalars anywhere in the front matter, written without escapes.
fn check_node(ctx: &Context, node: &Node, out: &mut Vec<Diagnostic>) {
    match &node.value {
        Value::Scalar {
            text, raw_range, ..
        } => {
            if ctx.doc.text.get(raw_range.clone()) == Some(text.as_str()) {
                check_url(ctx, raw_range.clone(), out);
            }
        }
        Value::Sequence(items) => items.iter().for_each(|item| check_node(ctx, item, out)),
        Value::Mapping(entries) => entries
            .iter()
            .for_each(|entry| check_node(ctx, &entry.value, out)),
        Value::Empty => {}
    }
}

fn check_url(ctx: &Context, range: Range<usize>, out: &mut Vec<Diagnostic>) {
    check_url_with(ctx, range, Applicability::Safe, out);
}

fn check_url_with(
    ctx: &Context,
    range: Range<usize>,
    applicability: Applicability,
    out: &mut Vec<Diagnostic>,
) {
    let Some(raw) = ctx.doc.text.get(range.clone()) else {
        return;
    };
    // No query, no parameters: most URLs are left at a search for one byte.
    if memchr::memchr(b'?', raw.as_bytes()).is_none() {
        return;
    }
    let Some(url) = RawUrl::parse(raw.trim_end()) else {
        return;
    };
    let tracking: Vec<_> = url
        .params
        .iter()
        .filter(|param| ctx.patterns.is_tracking_param(&url.host, param.name))
        .collect();
    let (Some(first), Some(last)) = (tracking.first(), tracking.last()) else {
        return;
    };
    let names: Vec<&str> = tracking.iter().map(|param| param.name).collect();
    let Some(cleaned) =
        url.without_params(|param| ctx.patterns.is_tracking_param(&url.host, param.name))
    else {
        return;
    };
    let span = range.start + first.range.start..range.start + last.range.end;
    out.push(
        Diagnostic::new(
            &TrackingParam::META,
            span,
            format!(
                "tracking parameter{} `{}`",
                if names.len() > 1 { "s" } else { "" },
                names.join("`, `")
            ),
        )
        .with_fix(Fix {
            applicability,
            ..Fix::safe(
                "Remove the tracking parameters",
                vec![Edit::replace(
                    range.start..range.start + url.text.len(),
                    cleaned,
                )],
            )
        })
        .unnecessary(),
    );
}
