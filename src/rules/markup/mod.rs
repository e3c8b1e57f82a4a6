//! Leftover-markup rules (MK codes), and the helpers they share.

use std::ops::Range;

use super::RuleEntry;
use crate::document::Context;
use crate::markup::Element;

pub mod mk001_cms_comment;
pub mod mk002_ad_block;
pub mod mk003_embedded_code;
pub mod mk004_tracking_attribute;
pub mod mk005_tracking_param;
pub mod mk006_tracker_resource;
pub mod mk007_keyword_autolink;
pub mod mk008_boilerplate;
pub mod mk009_cms_attribute;
pub mod mk010_empty_element;
pub mod mk011_excess_blank_lines;
pub mod mk012_lazy_image;
pub mod mk013_redirect_link;

#[cfg(test)]
mod tests;

pub static RULES: &[RuleEntry] = crate::rule_entries![
    mk001_cms_comment::CmsComment,
    mk002_ad_block::AdBlock,
    mk003_embedded_code::EmbeddedCode,
    mk004_tracking_attribute::TrackingAttribute,
    mk005_tracking_param::TrackingParam,
    mk006_tracker_resource::TrackerResource,
    mk007_keyword_autolink::KeywordAutolink,
    mk008_boilerplate::Boilerplate,
    mk009_cms_attribute::CmsAttribute,
    mk010_empty_element::EmptyElement,
    mk011_excess_blank_lines::ExcessBlankLines,
    mk012_lazy_image::LazyImage,
    mk013_redirect_link::RedirectLink,
];

/// What to delete to remove `range`: its whole line(s) when nothing but whitespace
/// shares them, so removed markup leaves no blank line behind; otherwise `range`.
/// Only the whitespace next to `range` is scanned, so a long line with many
/// findings stays linear.
pub(crate) fn removal_range(text: &str, range: Range<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    if range.end > bytes.len() || range.start > range.end {
        return range;
    }
    let mut start = range.start;
    while start > 0 && matches!(bytes[start - 1], b' ' | b'\t') {
        start -= 1;
    }
    let mut end = range.end;
    while end < bytes.len() && matches!(bytes[end], b' ' | b'\t' | b'\r') {
        end += 1;
    }
    let at_line_start = start == 0 || bytes[start - 1] == b'\n';
    let at_line_end = end == bytes.len() || bytes[end] == b'\n';
    if at_line_start && at_line_end {
        start..(end + 1).min(bytes.len())
    } else {
        range
    }
}

/// A short excerpt of `text` for messages: at most `max` characters, one line.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= max {
        return line;
    }
    let mut short: String = line.chars().take(max).collect();
    short.push('…');
    short
}

/// Whether the element carries a class token for which `matches` is true.
pub(crate) fn has_class(element: &Element, mut matches: impl FnMut(&str) -> bool) -> bool {
    element
        .attr_value("class")
        .is_some_and(|classes| classes.split_whitespace().any(&mut matches))
}

/// The body's elements, for rules that only look at HTML.
pub(crate) fn elements<'c>(ctx: &'c Context) -> impl Iterator<Item = (usize, &'c Element)> {
    ctx.doc.markup.html.elements.iter().enumerate()
}

#[cfg(test)]
mod helper_tests {
    use super::*;

    #[test]
    fn removal_takes_the_line_only_when_alone_on_it() {
        let text = "a\n  <!-- x -->\r\nb <!-- y -->\n<!-- z -->";
        let x = text.find("<!-- x").unwrap_or(0);
        assert_eq!(&text[removal_range(text, x..x + 10)], "  <!-- x -->\r\n");
        let y = text.find("<!-- y").unwrap_or(0);
        assert_eq!(removal_range(text, y..y + 10), y..y + 10);
        let z = text.find("<!-- z").unwrap_or(0);
        assert_eq!(&text[removal_range(text, z..z + 10)], "<!-- z -->");
    }
}
