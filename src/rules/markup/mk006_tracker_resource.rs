use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;
use crate::markup::url::RawUrl;
use crate::markup::{Element, LinkKind};

use super::{elements, removal_range};

/// Elements that load a resource, and the attribute holding its URL.
const RESOURCE_ATTRIBUTES: &[(&str, &str)] = &[
    ("img", "src"),
    ("img", "data-src"),
    ("script", "src"),
    ("iframe", "src"),
    ("link", "href"),
    ("source", "src"),
    ("embed", "src"),
];

declare_rule! {
    /// ## What it does
    /// Flags images and other resources served from known tracker hosts
    /// (analytics beacons, ad servers, feed-click pixels; extend with
    /// `[markup] tracker_hosts`) and 1×1 tracking pixels.
    ///
    /// ## Why it matters
    /// Every reader who opens the post reports to a third party.
    ///
    /// ## Example
    /// ```markdown
    /// <img src="https://feeds.feedburner.com/~r/example/~4/abc" height="1" width="1">
    /// ```
    /// is deleted.
    ///
    /// ## Fix
    /// Safe: deletes the element or Markdown image (it shows nothing), with the
    /// link around it when that link holds nothing else (Feedburner flare,
    /// WordPress comment-count buttons). Unsafe on Jekyll for a Markdown image
    /// inside an HTML block, which kramdown shows as written.
    pub struct TrackerResource {
        code: "MK006", name: "tracker-resource", severity: Warning, fix: Safe,
    }
}

impl TrackerResource {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let text = ctx.doc.text;
        for (_, element) in elements(ctx) {
            let reason = if element.name == "img" && is_pixel(element) {
                Some("1×1 tracking pixel".to_owned())
            } else {
                RESOURCE_ATTRIBUTES
                    .iter()
                    .filter(|(tag, _)| *tag == element.name)
                    .filter_map(|(_, name)| element.attr_value(name))
                    .find_map(|src| tracker_host(ctx, src))
                    .map(|host| format!("resource from tracker host `{host}`"))
            };
            let Some(reason) = reason else { continue };
            if !element.is_complete() {
                out.push(
                    Diagnostic::new(&Self::META, element.start_tag.clone(), reason).unnecessary(),
                );
                continue;
            }
            let range = link_around(ctx, element).unwrap_or(element).range();
            out.push(
                Diagnostic::new(&Self::META, range.clone(), reason)
                    .with_fix(Fix::safe(
                        format!("Delete the `<{}>`", element.name),
                        vec![Edit::delete(removal_range(text, range))],
                    ))
                    .unnecessary(),
            );
        }
        for url in &ctx.doc.markup.urls {
            let Some(src) = text.get(url.url_range.clone()) else {
                continue;
            };
            if url.kind != LinkKind::Image {
                continue;
            }
            let Some(host) = tracker_host(ctx, src) else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    &Self::META,
                    url.range.clone(),
                    format!("image from tracker host `{host}`"),
                )
                .with_fix(Fix::safe(
                    "Delete the image",
                    vec![Edit::delete(removal_range(text, url.range.clone()))],
                ))
                .unnecessary(),
            );
            let last = out.len() - 1;
            super::unsafe_where_shown_as_written(ctx, url, &mut out[last..]);
        }
    }
}

/// The `<a>` that holds nothing but this tracker image (a feed's flare or
/// comment-count button): it goes with the image, else an empty link is left.
fn link_around<'c>(ctx: &'c Context, image: &Element) -> Option<&'c Element> {
    let link = ctx.doc.markup.html.elements.get(image.parent?)?;
    let content = link.content_range();
    let only_the_image = ctx
        .doc
        .text
        .get(content.start..image.start_tag.start)?
        .trim()
        .is_empty()
        && ctx.doc.text.get(image.end..content.end)?.trim().is_empty();
    (image.name == "img"
        && link.name == "a"
        && link.is_complete()
        && link.text_chars == 0
        && only_the_image)
        .then_some(link)
}

fn tracker_host(ctx: &Context, src: &str) -> Option<String> {
    let url = RawUrl::parse(src.trim())?;
    ctx.patterns
        .is_tracker(&url.host, url.path)
        .then(|| url.host.into_owned())
}

/// `width="1" height="1"` (or `1px`, or 0) in attributes or inline style.
fn is_pixel(element: &Element) -> bool {
    let tiny = |value: &str| {
        let value = value.trim().trim_end_matches("px").trim();
        value == "1" || value == "0"
    };
    let from_attributes = element.attr_value("width").is_some_and(tiny)
        && element.attr_value("height").is_some_and(tiny);
    let style = element
        .attr_value("style")
        .unwrap_or("")
        .to_ascii_lowercase()
        .replace(' ', "");
    let from_style = (style.contains("width:1px") || style.contains("width:0"))
        && (style.contains("height:1px") || style.contains("height:0"));
    from_attributes || from_style
}
