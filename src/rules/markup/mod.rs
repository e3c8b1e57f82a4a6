//! Leftover-markup rules (MK codes), and the helpers they share.

use std::ops::Range;

use super::RuleEntry;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::document::Context;
use crate::markup::{Element, MarkdownUrl};

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
/// shares them, so removed markup leaves no blank line behind — except where the
/// line was an HTML block between two lines of text, which then keep a blank
/// line between them so their paragraphs stay apart; otherwise `range`.
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
    if !(at_line_start && at_line_end) {
        return range;
    }
    // A line that is an HTML block of its own ends the paragraph above it;
    // removed with its line break, the text on both sides would join.
    let text_above = start > 0 && is_text_line_before(text, start - 1);
    let text_below = end < bytes.len() && is_text_line_after(text, end + 1);
    if text_above && text_below && interrupts_paragraph(&text[range.start..]) {
        let keep_cr = end > start && bytes[end - 1] == b'\r';
        start..if keep_cr { end - 1 } else { end }
    } else {
        start..(end + 1).min(bytes.len())
    }
}

/// Whether the line ending at the `\n` at `newline` is text: not blank, and not
/// HTML (inside an HTML block a blank line would end the block instead).
fn is_text_line_before(text: &str, newline: usize) -> bool {
    let line_start = text[..newline].rfind('\n').map_or(0, |at| at + 1);
    is_text_line(&text[line_start..newline])
}

/// Whether the line starting at `line_start` is text (see above).
fn is_text_line_after(text: &str, line_start: usize) -> bool {
    let rest = text.get(line_start..).unwrap_or("");
    is_text_line(rest.split('\n').next().unwrap_or(""))
}

fn is_text_line(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty() && !line.starts_with('<')
}

/// Block-level tags whose line starts an HTML block that interrupts a
/// paragraph (CommonMark's HTML block kinds 1 to 6).
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "iframe",
    "li",
    "link",
    "main",
    "meta",
    "nav",
    "noscript",
    "ol",
    "p",
    "pre",
    "script",
    "section",
    "style",
    "table",
    "textarea",
    "ul",
];

fn interrupts_paragraph(html: &str) -> bool {
    if html.starts_with("<!") || html.starts_with("<?") {
        return true;
    }
    let name = html
        .trim_start_matches('<')
        .trim_start_matches('/')
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    BLOCK_TAGS.contains(&name.as_str())
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

/// Makes the fixes in `found` (what a rule reported on the Markdown link or image
/// `url`) unsafe where the site's renderer shows that link as written (inside
/// kramdown's raw HTML blocks on Jekyll): any edit of it changes the visible text.
pub(crate) fn unsafe_where_shown_as_written(
    ctx: &Context,
    url: &MarkdownUrl,
    found: &mut [Diagnostic],
) {
    let mut fixes = found
        .iter_mut()
        .filter_map(|found| found.fix.as_mut())
        .peekable();
    let (doc, generator) = (ctx.doc, ctx.config.generator);
    if fixes.peek().is_some() && doc.markup.shown_as_written(doc.text, generator, &url.range) {
        fixes.for_each(|fix| fix.applicability = Applicability::Unsafe);
    }
}

/// Whether the element carries a class token for which `matches` is true.
pub(crate) fn has_class(element: &Element, mut matches: impl FnMut(&str) -> bool) -> bool {
    element
        .attr_value("class")
        .is_some_and(|classes| classes.split_whitespace().any(&mut matches))
}

/// The body's elements, for rules that only look at HTML.
/// The HTML elements of the body, without tags the generator shows as text.
pub(crate) fn elements<'c>(ctx: &'c Context) -> impl Iterator<Item = (usize, &'c Element)> {
    ctx.doc
        .markup
        .html
        .elements
        .iter()
        .enumerate()
        .filter(|(_, element)| element.is_wellformed)
}

/// Whether the closest line of text above `start` ends with a colon: the post
/// introduces what follows as its example. Lines that are only tags (the
/// `<html>` and `<head>` of a page the example writes) are skipped.
pub(crate) fn introduced_by_text(text: &str, start: usize) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
    text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|line| !(line.is_empty() || is_tag_line(line)))
        .is_some_and(|line| line.ends_with([':', '：']))
}

fn is_tag_line(line: &str) -> bool {
    line.starts_with('<') && line.ends_with('>')
}

/// Whether the tag at `start` follows text on its line (`HTML 的 <iframe>`)
/// rather than starting it or following another tag.
pub(crate) fn written_in_text(text: &str, start: usize) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
    let before = text[line_start..start].trim_end();
    !before.is_empty() && !before.ends_with('>')
}

#[cfg(test)]
mod helper_tests {
    use super::*;

    #[test]
    fn removal_takes_the_line_only_when_alone_on_it() {
        let text = "a\n  <!-- x -->\r\nb <!-- y -->\n<!-- z -->";
        let x = text.find("<!-- x").unwrap_or(0);
        // Between two lines of text the line stays, blank, so they stay apart.
        assert_eq!(&text[removal_range(text, x..x + 10)], "  <!-- x -->");
        let y = text.find("<!-- y").unwrap_or(0);
        assert_eq!(removal_range(text, y..y + 10), y..y + 10);
        let z = text.find("<!-- z").unwrap_or(0);
        assert_eq!(&text[removal_range(text, z..z + 10)], "<!-- z -->");
    }

    #[test]
    fn a_removed_block_between_paragraphs_leaves_a_blank_line() {
        let text = "one\n<!-- x -->\ntwo\n";
        let x = text.find("<!--").expect("comment");
        assert_eq!(&text[removal_range(text, x..x + 10)], "<!-- x -->");
        let inline = "one\n<span></span>\ntwo\n";
        let span = inline.find("<span").expect("span");
        assert_eq!(
            &inline[removal_range(inline, span..span + 13)],
            "<span></span>\n"
        );
        let crlf = "one\r\n<!-- x -->\r\ntwo\r\n";
        let x = crlf.find("<!--").expect("comment");
        assert_eq!(&crlf[removal_range(crlf, x..x + 10)], "<!-- x -->");
    }
}
