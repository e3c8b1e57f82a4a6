//! kramdown's raw HTML blocks, as Jekyll renders a post (`parse_block_html: false`).
//!
//! A line starting (up to 3 spaces in) with the start tag of an element that is not a
//! span element opens an HTML block that kramdown keeps as raw HTML up to the
//! matching end tag, across blank lines: nested start tags open elements of their
//! own, an end tag that closes none of them is text, an unclosed element runs to the
//! end. CommonMark ends the same block at the first blank line and reads what follows
//! as Markdown, so a `[text](url)` there is a link on Hexo and Hugo but shown as
//! written on Jekyll. `markdown="1"` (or `"block"`, `"span"`) on the opening tag
//! switches Markdown back on inside it.
//!
//! The element lists are kramdown's grammar (`Kramdown::Parser::Html::Constants`),
//! not patterns a site tunes, so they live here rather than in `data/`.

use std::ops::Range;

/// Elements kramdown reads as span-level: at a line start they begin a paragraph.
const SPAN_ELEMENTS: &[&str] = &[
    "a", "abbr", "acronym", "b", "big", "bdo", "br", "button", "cite", "code", "del", "dfn", "em",
    "i", "img", "input", "ins", "kbd", "label", "mark", "option", "q", "rb", "rbc", "rp", "rt",
    "rtc", "ruby", "samp", "select", "small", "span", "strong", "sub", "sup", "tt", "u", "var",
];

/// Elements without an end tag.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen", "link",
    "meta", "param", "source", "track", "wbr",
];

/// Elements whose content is Markdown blocks under `markdown="1"`.
const BLOCK_CONTENT: &[&str] = &[
    "address",
    "applet",
    "article",
    "aside",
    "blockquote",
    "body",
    "dd",
    "details",
    "div",
    "dl",
    "fieldset",
    "figure",
    "figcaption",
    "footer",
    "form",
    "header",
    "hgroup",
    "iframe",
    "li",
    "main",
    "map",
    "menu",
    "nav",
    "noscript",
    "object",
    "section",
    "summary",
    "td",
];

/// Elements whose content is Markdown text (no blocks) under `markdown="1"`.
const SPAN_CONTENT: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdo", "big", "button", "cite", "caption", "del", "dfn", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "i", "ins", "label", "legend", "optgroup", "p", "q",
    "rb", "rbc", "rp", "rt", "rtc", "ruby", "select", "small", "span", "strong", "sub", "sup",
    "th", "tt",
];

/// How kramdown reads an element's content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Content {
    Raw,
    Span,
    Block,
}

/// A start tag as kramdown's `HTML_TAG_RE` matches it.
struct StartTag<'a> {
    /// Lowercased.
    name: String,
    end: usize,
    self_closed: bool,
    markdown: Option<&'a str>,
}

/// The raw HTML blocks of `body` (offsets shifted by `offset`), outside `code`
/// (sorted, absolute): where kramdown shows Markdown syntax as written.
pub fn raw_html_blocks(body: &str, offset: usize, code: &[Range<usize>]) -> Vec<Range<usize>> {
    let in_code = |at: usize| {
        let after = code.partition_point(|region| region.start <= at + offset);
        after > 0 && code[after - 1].contains(&(at + offset))
    };
    let mut blocks = Vec::new();
    let mut line = 0;
    while line < body.len() {
        let at = line + container_prefix(&body[line..]);
        let mut resume = at;
        // A comment block: a tag inside it opens nothing.
        if body[at..].starts_with("<!--")
            && let Some(close) = body[at..].find("-->")
        {
            resume = at + close + 3;
        } else if let Some(tag) = start_tag(body, at).filter(|_| !in_code(at))
            && !SPAN_ELEMENTS.contains(&tag.name.as_str())
        {
            resume = tag.end;
            let closed = tag.self_closed || VOID_ELEMENTS.contains(&tag.name.as_str());
            match content(&tag) {
                _ if closed => {}
                Content::Raw => {
                    let end = raw_end(body, tag.end, tag.name);
                    blocks.push(at + offset..end + offset);
                    resume = end;
                }
                // Markdown text up to the first end tag of the same name.
                Content::Span => resume = close_tag_after(body, tag.end, &tag.name).1,
                // Markdown blocks: the lines inside are read as any others.
                Content::Block => {}
            }
        }
        line = body[resume..]
            .find('\n')
            .map_or(body.len(), |newline| resume + newline + 1);
    }
    blocks
}

/// The length of what opens a line before its first block: up to 3 spaces, then
/// any blockquote markers (`> `) and list markers (`- `, `1. `), each with up to 3
/// spaces after it, since kramdown reads a quote's or list item's content as blocks.
fn container_prefix(line: &str) -> usize {
    let spaces = |at: usize| {
        line.as_bytes()[at..]
            .iter()
            .take(3)
            .take_while(|&&b| b == b' ')
            .count()
    };
    let mut at = spaces(0);
    loop {
        let rest = &line.as_bytes()[at..];
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let marker = match rest {
            [b'>', ..] => 1,
            [b'-' | b'*' | b'+', b' ' | b'\t', ..] => 2,
            _ if (1..=9).contains(&digits)
                && matches!(rest.get(digits), Some(b'.' | b')'))
                && matches!(rest.get(digits + 1), Some(b' ' | b'\t')) =>
            {
                digits + 2
            }
            _ => return at,
        };
        at += marker;
        at += spaces(at);
    }
}

/// The content model of an element opening a block, `markdown` attribute included.
fn content(tag: &StartTag) -> Content {
    let default = || {
        if BLOCK_CONTENT.contains(&tag.name.as_str()) {
            Content::Block
        } else if SPAN_CONTENT.contains(&tag.name.as_str()) {
            Content::Span
        } else {
            Content::Raw
        }
    };
    match tag.markdown {
        Some("1") => default(),
        Some("block") => Content::Block,
        Some("span") => Content::Span,
        _ => Content::Raw,
    }
}

/// The end of the end tag closing `name`, whose content starts at `from`: nested
/// elements close first, stray end tags are text; unclosed, the end of `body`.
fn raw_end(body: &str, from: usize, name: String) -> usize {
    let mut open = vec![name];
    let mut cursor = from;
    while let Some(found) = body[cursor..].find('<') {
        let at = cursor + found;
        let rest = &body[at..];
        cursor = at + 1;
        if rest.starts_with("<!--") {
            if let Some(close) = rest.find("-->") {
                cursor = at + close + 3;
            }
        } else if rest.starts_with("<?") {
            if let Some(close) = rest.find("?>") {
                cursor = at + close + 2;
            }
        } else if let Some(tag) = start_tag(body, at) {
            cursor = tag.end;
            if tag.name == "script" || tag.name == "style" {
                cursor = close_tag_after(body, tag.end, &tag.name).1;
            } else if !tag.self_closed && !VOID_ELEMENTS.contains(&tag.name.as_str()) {
                open.push(tag.name);
            }
        } else if let Some((closed, end)) = close_tag(body, at) {
            cursor = end;
            if open.last().is_some_and(|innermost| *innermost == closed) {
                open.pop();
                if open.is_empty() {
                    return end;
                }
            }
        }
    }
    body.len()
}

/// The first `</name>` at or after `from`: its start and end, or the end of `body` twice.
fn close_tag_after(body: &str, from: usize, name: &str) -> (usize, usize) {
    let mut cursor = from;
    while let Some(found) = body[cursor..].find("</") {
        let at = cursor + found;
        if let Some((closed, end)) = close_tag(body, at)
            && closed == name
        {
            return (at, end);
        }
        cursor = at + 2;
    }
    (body.len(), body.len())
}

/// `</name\s*>` at `at`: the lowercased name and the end.
fn close_tag(body: &str, at: usize) -> Option<(String, usize)> {
    let rest = body[at..].strip_prefix("</")?;
    let tag_len = name_len(rest)?;
    let after = rest[tag_len..].trim_start();
    after.starts_with('>').then(|| {
        let end = body.len() - after.len() + 1;
        (rest[..tag_len].to_ascii_lowercase(), end)
    })
}

/// `<name attributes>` or `<name attributes/>` at `at`, as kramdown's `HTML_TAG_RE`:
/// attribute values quoted or made of word characters.
fn start_tag(body: &str, at: usize) -> Option<StartTag<'_>> {
    let rest = body[at..].strip_prefix('<')?;
    let tag_len = name_len(rest)?;
    let name = rest[..tag_len].to_ascii_lowercase();
    let mut cursor = &rest[tag_len..];
    let mut markdown = None;
    loop {
        let trimmed = cursor.trim_start();
        if let Some(after) = trimmed.strip_prefix("/>") {
            return Some(StartTag {
                name,
                end: body.len() - after.len(),
                self_closed: true,
                markdown,
            });
        }
        if let Some(after) = trimmed.strip_prefix('>') {
            return Some(StartTag {
                name,
                end: body.len() - after.len(),
                self_closed: false,
                markdown,
            });
        }
        // An attribute needs whitespace before it.
        if trimmed.len() == cursor.len() {
            return None;
        }
        let attribute_len = name_len(trimmed)?;
        let attribute = &trimmed[..attribute_len];
        let after_name = &trimmed[attribute_len..];
        let Some(value_part) = after_name.trim_start().strip_prefix('=') else {
            cursor = after_name;
            continue;
        };
        let value_part = value_part.trim_start();
        let (value, after) = match value_part.chars().next()? {
            quote @ ('"' | '\'') => {
                let close = value_part[1..].find(quote)? + 1;
                (&value_part[1..close], &value_part[close + 1..])
            }
            _ => {
                let len = value_part
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(value_part.len());
                if len == 0 {
                    return None;
                }
                value_part.split_at(len)
            }
        };
        if attribute.eq_ignore_ascii_case("markdown") {
            markdown = Some(value);
        }
        cursor = after;
    }
}

/// The length of an XML name at the start of `text` (REXML's `UNAME_STR`, loosely:
/// a letter or `_` first, then letters, digits, `-`, `.`, `_`, `:`).
fn name_len(text: &str) -> Option<usize> {
    let first = text.chars().next()?;
    if !(first.is_alphabetic() || first == '_') {
        return None;
    }
    Some(
        text.find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | ':')))
            .unwrap_or(text.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Vec<&str> {
        raw_html_blocks(text, 0, &[])
            .into_iter()
            .map(|block| &text[block])
            .collect()
    }

    #[test]
    fn a_block_element_holds_raw_html_across_blank_lines_to_its_end_tag() {
        let text = "<div class=\"x\">\n<div>\ninner\n\n</div>\n\nafter\n</div>\n\nout\n";
        assert_eq!(
            raw(text),
            ["<div class=\"x\">\n<div>\ninner\n\n</div>\n\nafter\n</div>"]
        );
    }

    #[test]
    fn details_tables_and_unknown_elements_are_blocks_and_case_does_not_matter() {
        let text = "<details><summary>s</summary>\n\nx\n\n</details>\n<TABLE>\n\n</table>\n  <center>\n\n</center>\n";
        assert_eq!(
            raw(text),
            [
                "<details><summary>s</summary>\n\nx\n\n</details>",
                "<TABLE>\n\n</table>",
                "<center>\n\n</center>"
            ]
        );
    }

    #[test]
    fn span_elements_void_elements_and_indented_code_start_no_block() {
        let text = "<span>a\n\nb</span>\n<img src=\"x\">\n<hr/>\n    <div>\n\nc\n";
        assert!(raw(text).is_empty());
    }

    #[test]
    fn markdown_attribute_switches_markdown_back_on_but_a_nested_block_is_raw_again() {
        let text = "<div markdown=\"1\">\nmd\n\n<div>\n\nraw\n</div>\n\nmd\n</div>\n<p markdown=1>p\n\n</p>\n";
        assert_eq!(raw(text), ["<div>\n\nraw\n</div>"]);
    }

    #[test]
    fn a_stray_end_tag_is_text_and_an_unclosed_element_runs_to_the_end() {
        let text = "<div><p>open\n\n</div>\n\ntail\n";
        assert_eq!(raw(text), [text]);
    }

    #[test]
    fn end_tags_in_comments_and_scripts_close_nothing() {
        let text = "<div>\n<!-- </div> -->\n<script>\"</div>\"</script>\n\nx\n</div>\ny\n";
        assert_eq!(
            raw(text),
            ["<div>\n<!-- </div> -->\n<script>\"</div>\"</script>\n\nx\n</div>"]
        );
    }

    #[test]
    fn blocks_open_inside_quotes_and_list_items() {
        let text = "> > <div>\n> >\n> > a\n> > </div>\n\n- <div>\n\n  b\n  </div>\n\n10. <p>c\n\n    </p>\n";
        assert_eq!(
            raw(text),
            [
                "<div>\n> >\n> > a\n> > </div>",
                "<div>\n\n  b\n  </div>",
                "<p>c\n\n    </p>"
            ]
        );
    }

    #[test]
    fn blocks_inside_code_and_comments_are_not_blocks() {
        let text = "```\n<div>\n```\n\n<!--\n<div>\n-->\n[a](b)\n";
        let fence = 10..23;
        assert!(raw_html_blocks(text, 10, std::slice::from_ref(&fence)).is_empty());
    }
}
