use std::collections::HashSet;

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
    is_event_handler(name)
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
    /// (`onclick=`, `onload=` …) unless they are the page's own behaviour: a
    /// handler that starts with a function or variable the post's scripts define
    /// (`onmousemove="showXY(event)"` beside `function showXY`) or works on the
    /// page itself (`this.`, `document.`, `return false`) is a demo's.
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
    /// Safe: removes the attribute with the whitespace before it; unsafe for an
    /// event handler that calls no ad or analytics script (`data/markup/ad_script_globals.txt`).
    pub struct TrackingAttribute {
        code: "MK004", name: "tracking-attribute", severity: Warning, fix: Safe,
    }
}

impl TrackingAttribute {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let mut defined: Option<HashSet<&str>> = None;
        for (_, element) in elements(ctx) {
            for attribute in &element.attributes {
                if !is_tracking_attribute(&attribute.name) {
                    continue;
                }
                let handler = is_event_handler(&attribute.name);
                let reports_to_a_tracker =
                    handler && ctx.patterns.uses_ad_script_global(&attribute.value);
                if handler && !reports_to_a_tracker {
                    let defined = defined.get_or_insert_with(|| post_functions(ctx));
                    if is_post_behaviour(&attribute.value, defined) {
                        continue;
                    }
                }
                let title = format!("Remove `{}`", attribute.name);
                let edits = vec![Edit::delete(attribute.removal_range.clone())];
                // A handler that calls something unknown may be the post's own
                // behaviour: only one reporting to an ad or analytics script goes
                // without asking.
                let fix = if handler && !reports_to_a_tracker {
                    Fix::unsafe_(title, edits)
                } else {
                    Fix::safe(title, edits)
                };
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        attribute.range.clone(),
                        format!("tracking attribute `{}`", attribute.name),
                    )
                    .with_fix(fix)
                    .unnecessary(),
                );
            }
        }
    }
}

fn is_event_handler(name: &str) -> bool {
    name.strip_prefix("on")
        .is_some_and(|event| HANDLER_EVENTS.iter().any(|known| event.starts_with(known)))
}

/// The functions and variables the post's own scripts define
/// (`function draw(`, `var chart =`).
fn post_functions<'t>(ctx: &Context<'t>) -> HashSet<&'t str> {
    let text = ctx.doc.text;
    let mut names = HashSet::new();
    for (_, element) in elements(ctx).filter(|(_, e)| e.name == "script") {
        let code = text.get(element.content_range()).unwrap_or("");
        let mut words = code
            .split(|c: char| !is_identifier_char(c))
            .filter(|word| !word.is_empty());
        while let Some(word) = words.next() {
            if matches!(word, "function" | "var" | "let" | "const")
                && let Some(name) = words.next()
            {
                names.insert(name);
            }
        }
    }
    names
}

/// Whether a handler's code is the page's own behaviour: it starts with a
/// function or variable the post's scripts define, or works on the page itself
/// (`this.`, `document.`, `event`, `return false`, `alert(…)`).
fn is_post_behaviour(code: &str, defined: &HashSet<&str>) -> bool {
    let first = code
        .trim_start()
        .split(|c: char| !is_identifier_char(c))
        .next()
        .unwrap_or("");
    matches!(
        first,
        "this" | "document" | "event" | "window" | "return" | "alert"
    ) || defined.contains(first)
}

fn is_identifier_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}
