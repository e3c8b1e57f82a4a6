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
pub(crate) fn removal_range(text: &str, range: Range<usize>) -> Range<usize> {
    let (Some(before), Some(after)) = (text.get(..range.start), text.get(range.end..)) else {
        return range;
    };
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let (line_end, newline) = match after.find('\n') {
        Some(at) => (range.end + at, 1),
        None => (text.len(), 0),
    };
    let blank = |s: &str| s.bytes().all(|b| b == b' ' || b == b'\t' || b == b'\r');
    let leading = &before[line_start..];
    let trailing = &text[range.end..line_end];
    if blank(leading) && blank(trailing) {
        line_start..line_end + newline
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
