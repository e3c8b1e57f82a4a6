//! HTML inside the body, tokenized once with html5gum and folded into a light
//! element tree. Every token keeps its exact byte span in the post.
//!
//! The tokenizer runs over the raw body text in which Markdown code regions have
//! been blanked out byte for byte (see [`super::parse`]), so offsets are exact even
//! inside lists and blockquotes, and nothing inside code is ever taken for HTML.

use std::ops::Range;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Emitter, Error, ForwardingEmitter, Span, Tokenizer};

/// Deepest nesting the tree tracks. Deeper start tags are still recorded, but as
/// leaves, so pathological input cannot make end-tag matching quadratic.
const MAX_DEPTH: usize = 256;

/// Elements that never have content or an end tag.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements that show something even without text (a `<br>` is a visible line).
const MEDIA_ELEMENTS: &[&str] = &[
    "img", "video", "audio", "iframe", "svg", "embed", "object", "picture", "canvas", "input",
    "select", "textarea", "button", "hr", "math", "table", "br",
];

/// Elements whose content is not rendered as article text.
const RAW_TEXT_ELEMENTS: &[&str] = &["script", "style", "noscript", "template", "title"];

/// One `name="value"` pair of a start tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// Lower-cased name.
    pub name: String,
    pub name_range: Range<usize>,
    /// Value with character references decoded; empty when absent.
    pub value: String,
    /// The raw value, without its quotes; `None` when the attribute has no value.
    pub value_range: Option<Range<usize>>,
    /// From the name to the end of the value, closing quote included.
    pub range: Range<usize>,
    /// `range` plus the whitespace before it: what to delete to remove the attribute.
    pub removal_range: Range<usize>,
}

/// An element: start tag, attributes, and where it ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element {
    /// Lower-cased tag name.
    pub name: String,
    /// `<name …>`.
    pub start_tag: Range<usize>,
    pub attributes: Vec<Attribute>,
    /// `</name>` when the element was closed explicitly.
    pub end_tag: Option<Range<usize>>,
    /// End of the whole element: after its end tag, or where it was implicitly closed.
    pub end: usize,
    /// The enclosing element, if any.
    pub parent: Option<usize>,
    /// Non-whitespace characters of rendered text inside (children included).
    pub text_chars: usize,
    /// Whether the element is or contains an image, video, iframe, form control…
    pub has_media: bool,
    /// Void element (`<img>`) or written self-closing (`<x/>`).
    pub is_void: bool,
    /// Whether the start tag is raw HTML to the generators ([`is_wellformed_open_tag`]),
    /// read once here rather than by every rule.
    pub is_wellformed: bool,
}

impl Element {
    /// The whole element with its children.
    pub fn range(&self) -> Range<usize> {
        self.start_tag.start..self.end
    }

    /// Between the start tag and the end tag.
    pub fn content_range(&self) -> Range<usize> {
        let end = self.end_tag.as_ref().map_or(self.end, |tag| tag.start);
        self.start_tag.end..end.max(self.start_tag.end)
    }

    /// Whether the element is complete: void, or closed by its own end tag.
    pub fn is_complete(&self) -> bool {
        self.is_void || self.end_tag.is_some()
    }

    /// The first attribute called `name` (lower case).
    pub fn attr(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|attribute| attribute.name == name)
    }

    /// The value of the attribute `name`, if present.
    pub fn attr_value(&self, name: &str) -> Option<&str> {
        self.attr(name).map(|attribute| attribute.value.as_str())
    }
}

/// `<!-- … -->`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub range: Range<usize>,
    /// The text between `<!--` and `-->`.
    pub content: String,
}

/// A run of character data between tags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub range: Range<usize>,
    /// The innermost open element, if any.
    pub element: Option<usize>,
    /// Inside `<script>`, `<style>` and the like: not article text.
    pub raw: bool,
}

/// The HTML of a body: elements in document order (by start tag), comments, text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Html {
    pub elements: Vec<Element>,
    pub comments: Vec<Comment>,
    pub texts: Vec<Text>,
}

/// Tokenizes `masked` (the body with code blanked out; same length as the body)
/// and builds the tree. `original` is the post text, `offset` where the body starts.
/// Tokens go straight into the tree: nothing is allocated per token but the
/// names, values and comments the tree keeps.
pub fn parse(original: &str, masked: &str, offset: usize) -> Html {
    let mut builder = Builder::new(original);
    // End-tag names are only compared: lowered into one reused buffer.
    let mut end_name = String::new();
    {
        let mut emitter = CallbackEmitter::new(
            |event: CallbackEvent<'_>, span: Span<usize>| -> Option<()> {
                let range = span.start + offset..span.end + offset;
                match event {
                    CallbackEvent::OpenStartTag { name } => {
                        builder.open_start_tag(lowered(name), range)
                    }
                    CallbackEvent::AttributeName { name } => {
                        builder.add_attribute(lowered(name), range)
                    }
                    CallbackEvent::AttributeValue { value } => {
                        builder.set_attribute_value(owned(value), range)
                    }
                    CallbackEvent::CloseStartTag { self_closing } => {
                        builder.close_start_tag(self_closing, range)
                    }
                    CallbackEvent::EndTag { name } => {
                        end_name.clear();
                        end_name.push_str(&String::from_utf8_lossy(name));
                        end_name.make_ascii_lowercase();
                        builder.end_tag(&end_name, range);
                    }
                    CallbackEvent::String { .. } => builder.add_text(range),
                    CallbackEvent::Comment { value } => builder.html.comments.push(Comment {
                        range,
                        content: owned(value),
                    }),
                    CallbackEvent::Doctype { .. } | CallbackEvent::Error(_) => {}
                }
                None
            },
        );
        // Switches to raw text after <script>, <style>, <textarea>, <title>…
        emitter.naively_switch_states(true);
        for _ in Tokenizer::new_with_emitter(masked, WithoutErrors(emitter)) {}
    }
    builder.build()
}

/// A tag or attribute name, lower-cased.
fn lowered(name: &[u8]) -> String {
    let name = name.to_ascii_lowercase();
    String::from_utf8(name)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

/// Bytes of the tokenizer as a string: they come from a `&str` and are UTF-8 but for
/// character references the tokenizer decoded, which it writes as UTF-8 too; lossy
/// only in case. Validated with SIMD: std's validation of every value and comment
/// (CMS comments run long) showed in the profile, as `from_utf8_lossy` did before.
fn owned(bytes: &[u8]) -> String {
    simdutf8::basic::from_utf8(bytes).map_or_else(
        |_| String::from_utf8_lossy(bytes).into_owned(),
        str::to_owned,
    )
}

/// The characters of `text` that are not white space (`char::is_whitespace`), counted
/// on the bytes: decoding every char of a CJK body showed in the profile. Every char
/// has one byte that is not a continuation byte; the white space outside ASCII is a
/// few fixed sequences, looked for only where their first byte occurs.
fn visible_chars(text: &str) -> usize {
    let bytes = text.as_bytes();
    // Continuation bytes are 0x80..=0xBF, ASCII white space is b' ' and b'\t'..=b'\r'.
    let starts_not_ascii_space = crate::line_index::count_bytes(bytes, |byte| {
        let continues = (byte & 0xC0) == 0x80;
        let ascii_space = byte == b' ' || byte.wrapping_sub(b'\t') < 5;
        !continues && !ascii_space
    });
    if text.is_ascii() {
        return starts_not_ascii_space;
    }
    let wide_space = memchr::memchr3_iter(0xC2, 0xE1, 0xE2, bytes)
        .chain(memchr::memchr_iter(0xE3, bytes))
        .filter(|&at| is_wide_space(&bytes[at..]))
        .count();
    starts_not_ascii_space - wide_space
}

/// Whether `bytes` begin with the UTF-8 of a white-space char outside ASCII: U+0085,
/// U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
fn is_wide_space(bytes: &[u8]) -> bool {
    matches!(
        bytes,
        [0xC2, 0x85 | 0xA0, ..]
            | [0xE1, 0x9A, 0x80, ..]
            | [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF, ..]
            | [0xE2, 0x81, 0x9F, ..]
            | [0xE3, 0x80, 0x80, ..]
    )
}

/// An emitter that tells the tokenizer no parse errors are wanted: the tree ignores
/// them, and asking for none skips html5gum's check of every input byte for control
/// characters and noncharacters (a tenth of a `check` run's instructions).
struct WithoutErrors<E>(E);

impl<E: Emitter> ForwardingEmitter for WithoutErrors<E> {
    type Token = E::Token;

    fn inner(&mut self) -> &mut impl Emitter<Token = Self::Token> {
        &mut self.0
    }

    fn should_emit_errors(&mut self) -> bool {
        false
    }

    fn emit_error(&mut self, _error: Error) {}
}

struct Builder<'a> {
    text: &'a str,
    html: Html,
    stack: Vec<usize>,
    /// The start tag being read: its element, not yet pushed.
    pending: Option<Element>,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str) -> Builder<'a> {
        Builder {
            text,
            html: Html::default(),
            stack: Vec::new(),
            pending: None,
        }
    }

    /// Closes what is still open at the end of the text.
    fn build(mut self) -> Html {
        let end = self.text.len();
        while let Some(index) = self.stack.pop() {
            self.finish(index, end);
        }
        self.html
    }

    fn open_start_tag(&mut self, name: String, range: Range<usize>) {
        self.pending = Some(Element {
            name,
            start_tag: range.start..range.end,
            attributes: Vec::new(),
            end_tag: None,
            end: range.end,
            parent: self.stack.last().copied(),
            text_chars: 0,
            has_media: false,
            is_void: false,
            is_wellformed: false,
        });
    }

    fn add_attribute(&mut self, name: String, range: Range<usize>) {
        let Some(element) = self.pending.as_mut() else {
            return;
        };
        let bytes = self.text.as_bytes();
        let mut space_start = range.start;
        while space_start > element.start_tag.start
            && bytes
                .get(space_start - 1)
                .is_some_and(u8::is_ascii_whitespace)
        {
            space_start -= 1;
        }
        let name_end = range.end;
        // An attribute written `a=""` has no value event; take the quotes too.
        let mut end = name_end;
        let mut cursor = name_end;
        while bytes.get(cursor).is_some_and(u8::is_ascii_whitespace) {
            cursor += 1;
        }
        if bytes.get(cursor) == Some(&b'=') {
            cursor += 1;
            while bytes.get(cursor).is_some_and(u8::is_ascii_whitespace) {
                cursor += 1;
            }
            if let Some(&quote @ (b'"' | b'\'')) = bytes.get(cursor)
                && bytes.get(cursor + 1) == Some(&quote)
            {
                end = cursor + 2;
            }
        }
        element.attributes.push(Attribute {
            name,
            name_range: range.clone(),
            value: String::new(),
            value_range: None,
            range: range.start..end,
            removal_range: space_start..end,
        });
    }

    fn set_attribute_value(&mut self, value: String, range: Range<usize>) {
        let Some(attribute) = self
            .pending
            .as_mut()
            .and_then(|element| element.attributes.last_mut())
        else {
            return;
        };
        let bytes = self.text.as_bytes();
        let before = range.start.checked_sub(1).and_then(|at| bytes.get(at));
        let mut end = range.end;
        if let Some(&quote @ (b'"' | b'\'')) = before
            && bytes.get(range.end) == Some(&quote)
        {
            end += 1;
        }
        attribute.value = value;
        attribute.value_range = Some(range);
        attribute.range.end = end;
        attribute.removal_range.end = end;
    }

    fn close_start_tag(&mut self, self_closing: bool, range: Range<usize>) {
        let Some(mut element) = self.pending.take() else {
            return;
        };
        element.start_tag.end = range.end;
        element.end = range.end;
        element.is_void = self_closing || VOID_ELEMENTS.contains(&element.name.as_str());
        element.has_media = MEDIA_ELEMENTS.contains(&element.name.as_str());
        element.is_wellformed = self
            .text
            .get(element.start_tag.clone())
            .is_some_and(is_wellformed_open_tag);
        let index = self.html.elements.len();
        let is_void = element.is_void;
        self.html.elements.push(element);
        if is_void {
            self.finish(index, range.end);
        } else if self.stack.len() < MAX_DEPTH {
            self.stack.push(index);
        }
    }

    fn end_tag(&mut self, name: &str, range: Range<usize>) {
        let Some(depth) = self
            .stack
            .iter()
            .rposition(|&index| self.html.elements[index].name == name)
        else {
            return; // a stray end tag closes nothing
        };
        while self.stack.len() > depth + 1 {
            if let Some(inner) = self.stack.pop() {
                self.finish(inner, range.start);
            }
        }
        if let Some(index) = self.stack.pop() {
            self.html.elements[index].end_tag = Some(range.clone());
            self.finish(index, range.end);
        }
    }

    fn add_text(&mut self, range: Range<usize>) {
        let element = self.stack.last().copied();
        let raw = element.is_some_and(|index| {
            RAW_TEXT_ELEMENTS.contains(&self.html.elements[index].name.as_str())
        });
        if !raw && let Some(index) = element {
            let chars = self.text.get(range.clone()).map_or(0, visible_chars);
            self.html.elements[index].text_chars += chars;
        }
        self.html.texts.push(Text {
            range,
            element,
            raw,
        });
    }

    /// Closes element `index` at `end` and hands its text and media up to its parent.
    fn finish(&mut self, index: usize, end: usize) {
        let Some(element) = self.html.elements.get_mut(index) else {
            return;
        };
        element.end = end.max(element.start_tag.end);
        let (chars, media, parent) = (element.text_chars, element.has_media, element.parent);
        let raw = RAW_TEXT_ELEMENTS.contains(&element.name.as_str());
        if let Some(parent) = parent.and_then(|p| self.html.elements.get_mut(p))
            && !raw
        {
            parent.text_chars += chars;
            parent.has_media |= media;
        }
    }
}

/// Whether `tag` (`<name attr="v" …>`) is an open tag as CommonMark defines raw
/// HTML, which marked, goldmark and kramdown follow closely: a tag that is not
/// (`<li onClick={(e) => f(e)}>` in JSX) is shown as text, so it is the post's
/// text, not markup to edit.
pub fn is_wellformed_open_tag(tag: &str) -> bool {
    // Read on the bytes: every delimiter is ASCII, and a UTF-8 sequence has no ASCII
    // byte, so a multi-byte character is one run of "other" bytes. Decoding every
    // character of every tag showed in the profile.
    let bytes = tag.as_bytes();
    let is_blank = |byte: u8| matches!(byte, b' ' | b'\t' | b'\n' | b'\r');
    // Where the run of bytes from `from` that `keep` keeps ends.
    fn run_end(bytes: &[u8], from: usize, keep: impl Fn(u8) -> bool) -> usize {
        bytes[from..]
            .iter()
            .position(|&byte| !keep(byte))
            .map_or(bytes.len(), |len| from + len)
    }
    if bytes.first() != Some(&b'<') || !bytes.get(1).is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    let mut at = run_end(bytes, 1, |byte| {
        byte.is_ascii_alphanumeric() || byte == b'-'
    });
    loop {
        let after_blanks = run_end(bytes, at, is_blank);
        let had_space = after_blanks > at;
        at = after_blanks;
        if matches!(&bytes[at..], b">" | b"/>") {
            return true;
        }
        let starts_well = bytes
            .get(at)
            .is_some_and(|&byte| byte.is_ascii_alphabetic() || byte == b'_' || byte == b':');
        if !had_space || !starts_well {
            return false;
        }
        at = run_end(bytes, at, |byte| {
            byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b':' | b'-')
        });
        let before_equals = run_end(bytes, at, is_blank);
        if bytes.get(before_equals) != Some(&b'=') {
            continue;
        }
        let value = run_end(bytes, before_equals + 1, is_blank);
        at = match bytes.get(value) {
            Some(&quote @ (b'"' | b'\'')) => match memchr::memchr(quote, &bytes[value + 1..]) {
                Some(end) => value + end + 2,
                None => return false,
            },
            _ => {
                let end = run_end(bytes, value, |byte| {
                    !(byte.is_ascii_whitespace() || b"\"'=<>`".contains(&byte))
                });
                if end == value {
                    return false;
                }
                end
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// The definition `is_wellformed_open_tag` reads on the bytes, on characters.
    fn reference(tag: &str) -> bool {
        let Some(rest) = tag.strip_prefix('<') else {
            return false;
        };
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        if name_len == 0 || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return false;
        }
        let mut rest = &rest[name_len..];
        loop {
            let trimmed = rest.trim_start_matches([' ', '\t', '\n', '\r']);
            let had_space = trimmed.len() < rest.len();
            rest = trimmed;
            if rest == ">" || rest == "/>" {
                return true;
            }
            let attribute_len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-')))
                .unwrap_or(rest.len());
            let starts_well =
                rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == ':');
            if !had_space || attribute_len == 0 || !starts_well {
                return false;
            }
            rest = &rest[attribute_len..];
            let before_equals = rest.trim_start_matches([' ', '\t', '\n', '\r']);
            let Some(value) = before_equals.strip_prefix('=') else {
                continue;
            };
            let value = value.trim_start_matches([' ', '\t', '\n', '\r']);
            rest = match value.chars().next() {
                Some(quote @ ('"' | '\'')) => match value[1..].find(quote) {
                    Some(end) => &value[end + 2..],
                    None => return false,
                },
                _ => {
                    let end = value
                        .find(|c: char| c.is_ascii_whitespace() || "\"'=<>`".contains(c))
                        .unwrap_or(value.len());
                    if end == 0 {
                        return false;
                    }
                    &value[end..]
                }
            };
        }
    }

    proptest! {
        #[test]
        fn the_byte_reading_of_open_tags_is_the_character_reading(
            tag in "<[a-z]{0,2}[a-zé1_:.\\-]{0,3}([ \t\n\r]{0,2}[a-z_:é][a-z0-9_:.\\-é]{0,3}([ \n]?=[ \n]?(\"[^\"]{0,4}\"|'[^']{0,4}'|[^ \t\n\r\"'=<>`]{0,4}|[\"'=<>`]))?){0,3}[ /]{0,2}>?[>x]?",
        ) {
            prop_assert_eq!(super::is_wellformed_open_tag(&tag), reference(&tag), "{:?}", tag);
        }
    }

    #[test]
    fn visible_chars_counts_what_is_whitespace_leaves() {
        for text in [
            "",
            " a\tb\n",
            "\u{85}\u{a0}x\u{1680}\u{2000}\u{200a}\u{2028}\u{2029}",
            "\u{202f}\u{205f}\u{3000}中\u{3001}文",
            "\u{b}\u{c}\r",
            "🙂 é",
        ] {
            let by_char = text.chars().filter(|c| !c.is_whitespace()).count();
            assert_eq!(visible_chars(text), by_char, "{text:?}");
        }
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = format!("a{c}\u{3000}{c}");
            let by_char = text.chars().filter(|c| !c.is_whitespace()).count();
            assert_eq!(visible_chars(&text), by_char, "{c:?}");
        }
    }

    #[test]
    fn open_tags_as_commonmark_reads_them() {
        assert!(is_wellformed_open_tag(
            "<a href=\"x\" class=keyword data-x>"
        ));
        assert!(is_wellformed_open_tag("<img\n  src='a.png' />"));
        assert!(is_wellformed_open_tag("<span>"));
        assert!(!is_wellformed_open_tag(
            "<li onClick={(e) => this.f(e, item)}>"
        ));
        assert!(!is_wellformed_open_tag("<a href=\"x>"));
        assert!(!is_wellformed_open_tag("<a href=\"x\"class=y>"));
    }

    use super::*;

    fn html(text: &str) -> Html {
        parse(text, text, 0)
    }

    #[test]
    fn spans_of_tags_attributes_and_values_are_exact() {
        let text = r#"<p a="x&amp;y" b=z  c d = 'q' e="">海</p>"#;
        let doc = html(text);
        let p = &doc.elements[0];
        assert_eq!(
            &text[p.start_tag.clone()],
            r#"<p a="x&amp;y" b=z  c d = 'q' e="">"#
        );
        let ranges: Vec<&str> = p
            .attributes
            .iter()
            .map(|a| &text[a.removal_range.clone()])
            .collect();
        assert_eq!(
            ranges,
            [r#" a="x&amp;y""#, " b=z", "  c", " d = 'q'", r#" e="""#]
        );
        assert_eq!(p.attributes[0].value, "x&y");
        assert_eq!(&text[p.range()], text);
        assert_eq!(p.text_chars, 1);
    }

    #[test]
    fn unclosed_and_misnested_tags_are_tolerated() {
        let text = "<div><span><b>x</div><i>y";
        let doc = html(text);
        let names: Vec<(&str, &str, bool)> = doc
            .elements
            .iter()
            .map(|e| (e.name.as_str(), &text[e.range()], e.is_complete()))
            .collect();
        assert_eq!(
            names,
            [
                ("div", "<div><span><b>x</div>", true),
                ("span", "<span><b>x", false),
                ("b", "<b>x", false),
                ("i", "<i>y", false),
            ]
        );
    }

    #[test]
    fn script_content_is_raw_text() {
        let text = "<script>if (a<b) { x('</p>') }</script><p>t</p>";
        let doc = html(text);
        assert_eq!(doc.elements.len(), 2);
        assert!(doc.texts[0].raw);
        assert_eq!(doc.elements[0].end, text.find("<p>").unwrap_or(0));
    }

    #[test]
    fn deep_nesting_does_not_blow_up() {
        let text = "<div>".repeat(100_000) + &"</span>".repeat(100_000);
        let doc = html(&text);
        assert_eq!(doc.elements.len(), 100_000);
    }
}
