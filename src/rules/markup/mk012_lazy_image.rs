use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;
use crate::markup::Attribute;

use super::elements;

/// Attributes lazy-loading scripts keep the real image URL in, by preference.
const LAZY_SOURCES: &[&str] = &[
    "data-src",
    "data-original",
    "data-lazy-src",
    "data-actualsrc",
    "data-original-src",
    "data-lazyload",
    "_src",
];

/// Whether `src` is a stand-in that lazy-loading pages replace by script.
fn is_placeholder(src: &str) -> bool {
    let src = src.trim().to_ascii_lowercase();
    src.is_empty()
        || src.starts_with("data:")
        || src == "about:blank"
        || [
            "placeholder",
            "blank.gif",
            "lazy",
            "loading",
            "grey.gif",
            "spacer.gif",
            "pixel.gif",
        ]
        .iter()
        .any(|word| src.contains(word))
}

declare_rule! {
    /// ## What it does
    /// Flags images copied from lazy-loading pages (WeChat and others): the real
    /// URL sits in `data-src` (or `data-original`, `data-actualsrc` …) while `src`
    /// is missing, empty or a placeholder, so the image renders broken.
    ///
    /// ## Why it matters
    /// Without the source site's script the reader sees an empty box.
    ///
    /// ## Example
    /// ```markdown
    /// <img src="data:image/gif;base64,R0lGOD…" data-src="https://mmbiz.qpic.cn/a.png">
    /// ```
    /// becomes
    /// ```markdown
    /// <img src="https://mmbiz.qpic.cn/a.png">
    /// ```
    ///
    /// ## Fix
    /// Safe: moves the real URL into `src` and drops the lazy-load attributes.
    pub struct LazyImage {
        code: "MK012", name: "lazy-image", severity: Warning, fix: Safe,
    }
}

impl LazyImage {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let text = ctx.doc.text;
        for (_, element) in elements(ctx) {
            if element.name != "img" {
                continue;
            }
            let src = element.attr("src");
            if src.is_some_and(|src| !is_placeholder(&src.value)) {
                continue;
            }
            let lazy: Vec<&Attribute> = element
                .attributes
                .iter()
                .filter(|attribute| LAZY_SOURCES.contains(&attribute.name.as_str()))
                .collect();
            let Some(real) = LAZY_SOURCES.iter().find_map(|name| {
                lazy.iter()
                    .find(|attribute| attribute.name == *name && !is_placeholder(&attribute.value))
            }) else {
                continue;
            };
            let Some(url) = real.value_range.clone().and_then(|range| text.get(range)) else {
                continue;
            };
            let quote = if url.contains('"') { '\'' } else { '"' };
            let new_src = format!("src={quote}{url}{quote}");
            let mut edits: Vec<Edit> = lazy
                .iter()
                .map(|attribute| Edit::delete(attribute.removal_range.clone()))
                .collect();
            match src {
                Some(src) => edits.push(Edit::replace(src.range.clone(), new_src)),
                None => edits.push(Edit::insert(
                    element.start_tag.start + 1 + element.name.len(),
                    format!(" {new_src}"),
                )),
            }
            out.push(
                Diagnostic::new(
                    &Self::META,
                    real.range.clone(),
                    format!("lazy-loaded image: `{}` holds the real URL", real.name),
                )
                .with_fix(Fix::safe("Move the URL into `src`", edits)),
            );
        }
    }
}
