use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;

use super::elements;

/// Attribute names (or prefixes, ending in `*`) that exist only to track clicks.
const TRACKING_ATTRIBUTES: &[&str] = &[
    "data-sudaclick",
    "data-spm*",
    "data-track*",
    "data-analytics*",
    "data-gtm*",
    "data-ga-*",
];

/// Event names (or their first word) after `on` in inline handlers; a list, so
/// that attributes that merely start with "on" (`online`, `one`) are left alone.
const HANDLER_EVENTS: &[&str] = &[
    "click",
    "dblclick",
    "load",
    "unload",
    "beforeunload",
    "error",
    "mouse",
    "key",
    "focus",
    "blur",
    "change",
    "submit",
    "touch",
    "pointer",
    "scroll",
    "drag",
    "drop",
    "contextmenu",
    "input",
    "resize",
    "copy",
    "cut",
    "paste",
    "play",
    "pause",
    "ended",
    "select",
    "wheel",
    "animation",
    "transition",
];

/// Whether `name` is a tracking attribute or an inline event handler (`onclick`).
pub(crate) fn is_tracking_attribute(name: &str) -> bool {
    let handler = name
        .strip_prefix("on")
        .is_some_and(|event| HANDLER_EVENTS.iter().any(|known| event.starts_with(known)));
    handler
        || TRACKING_ATTRIBUTES
            .iter()
            .any(|pattern| match pattern.strip_suffix('*') {
                Some(prefix) => name.starts_with(prefix),
                None => name == *pattern,
            })
}

declare_rule! {
    /// ## What it does
    /// Flags attributes that only serve click tracking: `data-sudaclick`,
    /// `data-spm*`, `data-track*`, `data-analytics*`, and inline event handlers
    /// (`onclick=`, `onload=` …).
    ///
    /// ## Why it matters
    /// They do nothing on your site except, for handlers, run foreign JavaScript.
    ///
    /// ## Example
    /// ```markdown
    /// <a href="https://example.com" data-sudaclick="content_p">link</a>
    /// ```
    /// becomes
    /// ```markdown
    /// <a href="https://example.com">link</a>
    /// ```
    ///
    /// ## Fix
    /// Safe: removes the attribute with the whitespace before it.
    pub struct TrackingAttribute {
        code: "MK004", name: "tracking-attribute", severity: Warning, fix: Safe,
    }
}

impl TrackingAttribute {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (_, element) in elements(ctx) {
            for attribute in &element.attributes {
                if !is_tracking_attribute(&attribute.name) {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        attribute.range.clone(),
                        format!("tracking attribute `{}`", attribute.name),
                    )
                    .with_fix(Fix::safe(
                        format!("Remove `{}`", attribute.name),
                        vec![Edit::delete(attribute.removal_range.clone())],
                    ))
                    .unnecessary(),
                );
            }
        }
    }
}
