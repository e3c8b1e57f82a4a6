use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;

use super::{elements, introduced_by_text, removal_range};

/// Elements that show nothing when they hold no text and no media.
const CONTAINERS: &[&str] = &[
    "span",
    "p",
    "div",
    "font",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "s",
    "small",
    "big",
    "center",
    "section",
    "article",
    "sup",
    "sub",
    "a",
    "blockquote",
];

declare_rule! {
    /// ## What it does
    /// Flags elements with no text and no media: `<span></span>`,
    /// `<div><span></span></div>` (reported once, on the outermost element).
    /// Kept: elements with an `id` or `name` (link anchors), a `class` or `style`
    /// (icon fonts such as `<i class="fa fa-download"></i>`, elements a
    /// stylesheet or a demo's script targets), elements holding such an element
    /// or a `<template>` a script renders, elements of an indented code block
    /// the text introduces or quoted in a line of its code (an HTML example
    /// shown as code), and spacers (`<p><br></p>`, a
    /// paragraph of no-break or ideographic spaces).
    ///
    /// ## Why it matters
    /// Empty slots are what remains of removed ads and widgets; they add stray
    /// space to the page.
    ///
    /// ## Example
    /// ```markdown
    /// <span></span>
    /// ```
    /// is deleted.
    ///
    /// ## Fix
    /// Safe: deletes the element; an inline element holding only whitespace is
    /// replaced by that whitespace, so neighbouring words stay apart.
    pub struct EmptyElement {
        code: "MK010", name: "empty-element", severity: Hint, fix: Safe,
    }
}

impl EmptyElement {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let mut covered_until = 0;
        for (index, element) in elements(ctx) {
            if element.start_tag.start < covered_until
                || !CONTAINERS.contains(&element.name.as_str())
                || element.end_tag.is_none()
                || element.text_chars > 0
                || element.has_media
                || element.attr("id").is_some()
                || element.attr("name").is_some()
                // A stylesheet, an icon font or a demo's script draws it.
                || element.attr("class").is_some()
                || element.attr("style").is_some()
                || is_spacer(ctx.doc.text.get(element.content_range()).unwrap_or(""))
                || has_raw_content(ctx, element)
                || has_drawn_descendant(ctx, index)
                // Shown as code: an HTML example the text introduces, or a tag
                // quoted in a line of code (`/<(\w+)><\/\1>/ 匹配 \`<span></span>\``).
                || (ctx.doc.markup.edits_indented_code(&element.range())
                    && (introduced_by_text(ctx.doc.text, element.start_tag.start)
                        || is_quoted(ctx.doc.text, element.start_tag.start)))
            {
                continue;
            }
            covered_until = element.end;
            let range = element.range();
            let text = ctx.doc.text;
            let whole_lines = removal_range(text, range.clone());
            let content = text.get(element.content_range()).unwrap_or("");
            // Inline, a whitespace-only element may be the only space between two
            // words (`7-Zip<span> </span>p7zip`): keep the space, drop the tags.
            let edit = if whole_lines == range && !content.is_empty() && content.trim().is_empty() {
                Edit::replace(range.clone(), content)
            } else {
                Edit::delete(whole_lines)
            };
            out.push(
                Diagnostic::new(&Self::META, range, format!("empty `<{}>`", element.name))
                    .with_fix(Fix::safe("Delete the empty element", vec![edit]))
                    .unnecessary(),
            );
        }
    }
}

/// No-break and ideographic spaces, written or as entities, hold a line open:
/// the author's spacer, not an empty slot.
fn is_spacer(content: &str) -> bool {
    content.contains(['\u{a0}', '\u{3000}'])
        || ["&nbsp;", "&#160;", "&#xa0;", "&#12288;", "&#x3000;"]
            .iter()
            .any(|entity| content.to_ascii_lowercase().contains(entity))
}

/// Whether an element inside is drawn or rendered by something other than its
/// text: it has an `id`, a `class` or a style that draws a box (a demo's
/// coloured squares; not `color: red` alone), or it is a
/// `<template>`, `<script>` or `<noscript>` (a Vue demo's `<template v-if>` holds
/// labels and inputs the tokenizer sees as raw text).
fn has_drawn_descendant(ctx: &Context, index: usize) -> bool {
    let all = &ctx.doc.markup.html.elements;
    let end = all[index].end;
    all[index + 1..]
        .iter()
        .take_while(|inner| inner.start_tag.start < end)
        .any(|inner| {
            matches!(inner.name.as_str(), "template" | "script" | "noscript")
                || inner.attr("id").is_some()
                || inner.attr("class").is_some()
                || inner.attr_value("style").is_some_and(draws_a_box)
        })
}

/// Whether an inline style gives an empty element something to show: a size,
/// a background, a border or generated content (a colour alone shows nothing).
fn draws_a_box(style: &str) -> bool {
    let style = style.to_ascii_lowercase();
    [
        "width",
        "height",
        "background",
        "border",
        "padding",
        "content",
    ]
    .iter()
    .any(|property| style.contains(property))
}

/// Whether the tag at `start` opens a quotation on its line (`` `<b></b>` ``,
/// `"<p></p>"`): a tag written as a string, not markup.
fn is_quoted(text: &str, start: usize) -> bool {
    text[..start].ends_with(['`', '"', '\''])
}

/// Markdown inside the element that the HTML tokenizer saw as nothing (a code span
/// is blanked out before tokenizing) still counts as content.
fn has_raw_content(ctx: &Context, element: &crate::markup::Element) -> bool {
    let content = element.content_range();
    let regions = &ctx.doc.markup.code_regions;
    let first = regions.partition_point(|region| region.end <= content.start);
    regions
        .get(first)
        .is_some_and(|region| region.start < content.end)
}
