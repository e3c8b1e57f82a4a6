//! YAML front matter through saphyr-parser's event API. The only module that talks
//! to saphyr: its markers count CHARACTERS (saphyr-rs/saphyr#76), converted here,
//! once, to byte offsets into the post.

use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle, Span};

use super::{Entry, Node, Parsed, ScalarStyle, SyntaxError, Value, inside_quotes};

/// Character index (in the text saphyr reads) → byte offset in the post. Identity
/// plus `base` for ASCII content; a table otherwise.
struct Offsets {
    base: usize,
    len: usize,
    table: Option<Vec<usize>>,
}

impl Offsets {
    fn new(content: &str, base: usize) -> Offsets {
        let table = (!content.is_ascii()).then(|| {
            // Sized once: a chained iterator gives no size hint, so the table
            // was regrown several times per post.
            let mut table = Vec::with_capacity(content.len() + 1);
            table.extend(content.char_indices().map(|(at, _)| at));
            table.push(content.len());
            table
        });
        Offsets {
            base,
            len: content.len(),
            table,
        }
    }

    /// Hexo's reading: every tab that starts a line (after a line break: Hexo leaves
    /// the first line alone) becomes two spaces.
    /// Returns the rewritten text and offsets that map back to the original bytes.
    fn hexo_tabs(content: &str, base: usize) -> Option<(String, Offsets)> {
        if !content.contains("\n\t") {
            return None;
        }
        let mut line_start = false;
        Some(Offsets::rewrite(content, base, |_, c| {
            if c == '\t' && line_start {
                return ("  ", false);
            }
            line_start = c == '\n';
            ("", true)
        }))
    }

    /// js-yaml's, Go's and Psych's reading of a quoted scalar whose continuation
    /// lines start at column 0 (`title: 'first line⏎second line'`), which saphyr
    /// rejects: each such line gets one space in front (mapped to the line's byte).
    fn quoted_continuations(content: &str, base: usize) -> Option<(String, Offsets)> {
        let starts = column_zero_continuations(content);
        if starts.is_empty() {
            return None;
        }
        let mut next = starts.iter().peekable();
        Some(Offsets::rewrite(content, base, |at, _| {
            if next.next_if(|start| **start == at).is_some() {
                (" ", true)
            } else {
                ("", true)
            }
        }))
    }

    /// Rewrites `content` character by character: `edit` says what to write
    /// before the character and whether to keep it; every character written maps
    /// back to the original one's byte, so saphyr's markers land in the post.
    fn rewrite(
        content: &str,
        base: usize,
        mut edit: impl FnMut(usize, char) -> (&'static str, bool),
    ) -> (String, Offsets) {
        let mut rewritten = String::with_capacity(content.len() + 16);
        let mut table = Vec::with_capacity(content.len() + 16);
        for (at, c) in content.char_indices() {
            let (before, keep) = edit(at, c);
            rewritten.push_str(before);
            table.extend(std::iter::repeat_n(at, before.chars().count()));
            if keep {
                rewritten.push(c);
                table.push(at);
            }
        }
        table.push(content.len());
        let offsets = Offsets {
            base,
            len: content.len(),
            table: Some(table),
        };
        (rewritten, offsets)
    }

    fn byte(&self, char_index: usize) -> usize {
        let local = match &self.table {
            Some(table) => table.get(char_index).copied().unwrap_or(self.len),
            None => char_index.min(self.len),
        };
        self.base + local
    }

    fn range(&self, span: &Span) -> Range<usize> {
        self.byte(span.start.index())..self.byte(span.end.index())
    }
}

enum Frame {
    Sequence {
        start: usize,
        items: Vec<Node>,
    },
    Mapping {
        start: usize,
        entries: Vec<Entry>,
        key: Option<(String, Range<usize>)>,
    },
}

impl Frame {
    fn last_end(&self) -> Option<usize> {
        match self {
            Frame::Sequence { items, .. } => items.last().map(|node| node.range.end),
            Frame::Mapping { entries, .. } => entries.last().map(|entry| entry.value.range.end),
        }
    }
}

struct Builder<'a> {
    /// The whole post, for slicing raw text.
    text: &'a str,
    offsets: Offsets,
    stack: Vec<Frame>,
    root: Option<Node>,
    /// End of the previous event, where a block scalar's `|`/`>` header is searched.
    previous_end: usize,
}

impl Builder<'_> {
    fn push(&mut self, node: Node) {
        let Some(frame) = self.stack.last_mut() else {
            if self.root.is_none() {
                self.root = Some(node);
            }
            return;
        };
        match frame {
            Frame::Sequence { items, .. } => items.push(node),
            Frame::Mapping { entries, key, .. } => match key.take() {
                None => {
                    let name = match &node.value {
                        Value::Scalar { text, .. } => text.clone(),
                        Value::Empty => String::new(),
                        // A complex key (`? [a, b]`): keep its source text.
                        _ => self.text.get(node.range.clone()).unwrap_or("").to_owned(),
                    };
                    *key = Some((name, node.range));
                }
                Some((name, key_range)) => entries.push(Entry {
                    key: name,
                    key_range,
                    value: node,
                }),
            },
        }
    }

    /// Closes the innermost container. Block containers report an empty end span
    /// on the next line: their node ends with their last child instead.
    fn close(&mut self, end_span: Range<usize>) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let end = if end_span.is_empty() {
            None
        } else {
            Some(end_span.end)
        };
        let (start, value, last_end) = match frame {
            Frame::Sequence { start, items } => {
                let last = items.last().map(|node| node.range.end);
                (start, Value::Sequence(items), last)
            }
            Frame::Mapping { start, entries, .. } => {
                let last = entries.last().map(|entry| entry.value.range.end);
                (start, Value::Mapping(entries), last)
            }
        };
        let end = end.or(last_end).unwrap_or(start).max(start);
        self.push(Node {
            range: start..end,
            value,
        });
    }

    fn scalar(&mut self, text: String, style: SaphyrStyle, range: Range<usize>) -> Node {
        // Saphyr's span starts at the anchor or tag; the node is the value itself.
        let range = skip_properties(self.text, range.start, range.end)..range.end;
        if style == SaphyrStyle::Plain && range.is_empty() {
            return Node {
                range,
                value: Value::Empty,
            };
        }
        let (style, range, raw_range) = match style {
            SaphyrStyle::Plain => (ScalarStyle::Plain, range.clone(), range),
            SaphyrStyle::SingleQuoted | SaphyrStyle::DoubleQuoted => {
                let (style, quote) = if style == SaphyrStyle::SingleQuoted {
                    (ScalarStyle::SingleQuoted, "'")
                } else {
                    (ScalarStyle::DoubleQuoted, "\"")
                };
                let inner = inside_quotes(self.text, range.clone(), quote);
                (style, range, inner)
            }
            SaphyrStyle::Literal | SaphyrStyle::Folded => {
                let style = if style == SaphyrStyle::Literal {
                    ScalarStyle::Literal
                } else {
                    ScalarStyle::Folded
                };
                // The span covers the content lines; the node starts at the header.
                let header = self
                    .text
                    .get(self.previous_end.min(range.start)..range.start)
                    .and_then(|between| between.find(['|', '>']))
                    .map_or(range.start, |at| self.previous_end + at);
                let content_end = trim_end_position(self.text, range.clone());
                (style, header..content_end, range.start..content_end)
            }
        };
        Node {
            range,
            value: Value::Scalar {
                text,
                style,
                raw_range,
            },
        }
    }

    /// Wraps up after the end of the document or an error: closes what is open so
    /// everything complete so far is kept.
    fn finish(mut self) -> Option<Node> {
        while let Some(frame) = self.stack.last() {
            let end = frame.last_end().unwrap_or(self.previous_end);
            self.close(end..end);
        }
        self.root
    }
}

/// Skips the node properties (`&anchor`, `!tag`, `!!str`) at `start`, with the
/// whitespace after them: neither a plain nor a quoted scalar can start with `&` or
/// `!`, so what remains is the value.
fn skip_properties(text: &str, mut start: usize, end: usize) -> usize {
    while let Some(rest) = text.get(start..end) {
        if !rest.starts_with(['&', '!']) {
            break;
        }
        let token = rest.find([' ', '\t', '\r', '\n']).unwrap_or(rest.len());
        let after = &rest[token..];
        let spaces = after.len() - after.trim_start().len();
        start += token + spaces;
    }
    start.min(end)
}

/// The position before the trailing whitespace and line breaks of `range`.
fn trim_end_position(text: &str, range: Range<usize>) -> usize {
    text.get(range.clone())
        .map_or(range.end, |s| range.start + s.trim_end().len())
}

/// The byte offsets of the lines that continue a quoted scalar from column 0.
fn column_zero_continuations(content: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut open: Option<char> = None;
    let mut at = 0;
    for line in content.split_inclusive('\n') {
        let mut rest = line;
        if let Some(quote) = open {
            if line.starts_with(|c: char| !c.is_whitespace()) {
                starts.push(at);
            }
            match closing_quote(line, quote) {
                Some(_) => open = None,
                None => {
                    at += line.len();
                    continue;
                }
            }
            rest = "";
        }
        // A value that opens a quote on this line: `key: '…` or `- "…`.
        let trimmed = rest.trim_start();
        let value = trimmed
            .strip_prefix("- ")
            .or_else(|| {
                let plain_key = !trimmed.starts_with(['#', '"', '\'', '[', '{']);
                plain_key
                    .then(|| trimmed.split_once(": ").map(|(_, value)| value))
                    .flatten()
            })
            .map(str::trim_start);
        if let Some(value) = value
            && let Some(quote) = value.chars().next().filter(|c| matches!(c, '\'' | '"'))
            && closing_quote(&value[1..], quote).is_none()
        {
            open = Some(quote);
        }
        at += line.len();
    }
    starts
}

/// Where `quote` closes in `text` (`''` inside single quotes and `\"` inside double
/// quotes do not close).
fn closing_quote(text: &str, quote: char) -> Option<usize> {
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek().is_some_and(|&(_, next)| next == '\'') {
                chars.next();
                continue;
            }
            return Some(at);
        }
    }
    None
}

/// js-yaml, Go's YAML and Psych all take a tab as the blank after `key:`
/// (`title:\tText`), which saphyr rejects: such tabs become spaces, one for one.
/// `None` when there is none.
fn tabs_after_keys(source: &str) -> Option<String> {
    let mut out: Option<String> = None;
    let mut at = 0;
    for line in source.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        let plain_key = !rest.starts_with(['#', '"', '\'', '-', '[', '{', '\t']);
        // The first colon of the line ends the key; a tab there is the blank.
        let colon = rest.find(':').filter(|&c| rest[c + 1..].starts_with('\t'));
        if plain_key && let Some(colon) = colon {
            let tabs_start = indent + colon + 1;
            let tabs = line[tabs_start..].len() - line[tabs_start..].trim_start_matches('\t').len();
            let text = out.get_or_insert_with(|| source.to_owned());
            let from = at + tabs_start;
            text.replace_range(from..from + tabs, &" ".repeat(tabs));
        }
        at += line.len();
    }
    out
}

/// Parses the YAML in `content` (a range of the post `text`). `hexo_tabs`: read
/// indenting tabs as Hexo does (two spaces each) instead of rejecting them.
/// Quoted scalars continued at column 0 are read as js-yaml, Go's YAML and Psych
/// read them. Front matter in the plain subset [`super::yaml_subset`] reads is
/// read there, alike and without saphyr's cost.
pub(crate) fn parse(text: &str, content: Range<usize>, hexo_tabs: bool) -> Parsed {
    super::yaml_subset::parse(text, content.clone())
        .unwrap_or_else(|| parse_with_saphyr(text, content, hexo_tabs))
}

/// [`parse`] through saphyr, for any YAML.
pub(crate) fn parse_with_saphyr(text: &str, content: Range<usize>, hexo_tabs: bool) -> Parsed {
    let original = text.get(content.clone()).unwrap_or("");
    let rewritten = if hexo_tabs {
        Offsets::hexo_tabs(original, content.start)
    } else {
        None
    };
    let rewritten = match rewritten {
        None => Offsets::quoted_continuations(original, content.start),
        other => other,
    };
    let (source, offsets) = match rewritten {
        Some((rewritten, offsets)) => (std::borrow::Cow::Owned(rewritten), offsets),
        None => (
            std::borrow::Cow::Borrowed(original),
            Offsets::new(original, content.start),
        ),
    };
    // Same length in characters, so the offsets still hold.
    let source = match tabs_after_keys(&source) {
        Some(spaced) => std::borrow::Cow::Owned(spaced),
        None => source,
    };
    let mut builder = Builder {
        text,
        offsets,
        stack: Vec::new(),
        root: None,
        previous_end: content.start,
    };
    let mut error = None;
    let mut parser = Parser::new_from_str(&source);
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(event) => event,
            Err(scan_error) => {
                let at = builder.offsets.byte(scan_error.marker().index());
                let end = text
                    .get(at..)
                    .and_then(|rest| rest.chars().next())
                    .map_or(at, |c| at + c.len_utf8());
                error = Some(SyntaxError {
                    range: at..end,
                    message: scan_error.info().to_owned(),
                });
                break;
            }
        };
        let range = builder.offsets.range(&span);
        match event {
            Event::Scalar(value, style, _, _) => {
                let node = builder.scalar(value.into_owned(), style, range.clone());
                builder.push(node);
            }
            Event::Alias(_) => {
                // Not resolved: the alias text stands for itself.
                let raw = text.get(range.clone()).unwrap_or("").to_owned();
                builder.push(Node {
                    range: range.clone(),
                    value: Value::Scalar {
                        text: raw,
                        style: ScalarStyle::Plain,
                        raw_range: range.clone(),
                    },
                });
            }
            Event::SequenceStart(..) => builder.stack.push(Frame::Sequence {
                start: skip_properties(text, range.start, range.end.max(range.start)),
                items: Vec::new(),
            }),
            Event::MappingStart(..) => builder.stack.push(Frame::Mapping {
                start: skip_properties(text, range.start, range.end.max(range.start)),
                entries: Vec::new(),
                key: None,
            }),
            Event::SequenceEnd | Event::MappingEnd => builder.close(range.clone()),
            // One document: a second `---` inside front matter is not ours to read.
            Event::DocumentEnd | Event::StreamEnd => break,
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => {}
        }
        builder.previous_end = builder.previous_end.max(range.end);
    }
    Parsed {
        root: builder.finish(),
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_scalars_continued_at_column_zero() {
        let text = "title: '4images 跨站脚本漏洞\n【CVE-2021-27308】'\ndate: x\n";
        let parsed = parse(text, 0..text.len(), false);
        assert_eq!(parsed.error, None);
        let (entries, _) = parsed.into_entries();
        assert_eq!(entries.len(), 2);
        let title = &entries[0].value;
        assert!(
            matches!(&title.value, Value::Scalar { text, .. } if text == "4images 跨站脚本漏洞 【CVE-2021-27308】")
        );
        assert_eq!(
            &text[title.range.clone()],
            "'4images 跨站脚本漏洞\n【CVE-2021-27308】'"
        );
        assert_eq!(&text[entries[1].key_range.clone()], "date");
        assert_eq!(
            column_zero_continuations("a: 'it''s'\nb: \"x\\\"\"\n"),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn a_tab_after_a_key_is_a_blank() {
        let text = "title:\tTabbed 标题\ntags:\t[a, b]\n";
        let parsed = parse_all(text);
        assert_eq!(parsed.error, None);
        let (entries, _) = parsed.into_entries();
        assert_eq!(entries.len(), 2);
        assert_eq!(&text[entries[0].value.range.clone()], "Tabbed 标题");
        assert_eq!(tabs_after_keys("a: 'x:\ty'\n"), None);
    }

    fn parse_all(text: &str) -> Parsed {
        parse(text, 0..text.len(), false)
    }

    fn entries(text: &str) -> Vec<Entry> {
        match parse_all(text).root.map(|node| node.value) {
            Some(Value::Mapping(entries)) => entries,
            other => panic!("not a mapping: {other:?}"),
        }
    }

    fn scalar(node: &Node) -> (&str, ScalarStyle, Range<usize>) {
        match &node.value {
            Value::Scalar {
                text,
                style,
                raw_range,
            } => (text, *style, raw_range.clone()),
            other => panic!("not a scalar: {other:?}"),
        }
    }

    #[test]
    fn cjk_and_emoji_spans_are_bytes() {
        let text = "标题: \"新浪财经 🚀 头条\"\ntags: [金融, 😀]\n作者: 张三\n";
        let entries = entries(text);
        assert_eq!(&text[entries[0].key_range.clone()], "标题");
        assert_eq!(
            &text[entries[0].value.range.clone()],
            "\"新浪财经 🚀 头条\""
        );
        let (value, style, raw) = scalar(&entries[0].value);
        assert_eq!(value, "新浪财经 🚀 头条");
        assert_eq!(style, ScalarStyle::DoubleQuoted);
        assert_eq!(&text[raw], "新浪财经 🚀 头条");
        let Value::Sequence(items) = &entries[1].value.value else {
            panic!("tags not a list")
        };
        assert_eq!(&text[entries[1].value.range.clone()], "[金融, 😀]");
        assert_eq!(&text[items[1].range.clone()], "😀");
        assert_eq!(&text[entries[2].value.range.clone()], "张三");
    }

    #[test]
    fn spans_are_offset_by_the_content_start() {
        let text = "---\r\ntitle: 标题\r\ntags:\r\n\t- a\r\n---\r\n";
        let content = 5..text.len() - 5;
        let parsed = parse(text, content.clone(), false);
        // A tab before a block item is not valid YAML: reported, earlier keys kept.
        let error = parsed.error.expect("tab error");
        assert!(error.range.start > text.find("tags").expect("tags"));
        let Some(Value::Mapping(entries)) = parsed.root.map(|n| n.value) else {
            panic!("no mapping")
        };
        assert_eq!(&text[entries[0].value.range.clone()], "标题");
        // Hexo reads the tab as two spaces: valid, and spans still point at the post.
        let parsed = parse(text, content, true);
        assert_eq!(parsed.error, None);
        let Some(Value::Mapping(entries)) = parsed.root.map(|n| n.value) else {
            panic!("no mapping")
        };
        let Value::Sequence(tags) = &entries[1].value.value else {
            panic!("tags not a list")
        };
        assert_eq!(&text[tags[0].range.clone()], "a");
        assert_eq!(&text[entries[1].value.range.clone()], "- a");
    }

    #[test]
    fn crlf_block_list_and_empty_values() {
        let text = "categories:\r\n  - 金融\r\n  - '新浪 财经'\r\nempty:\r\nnull_list: []\r\n";
        let entries = entries(text);
        let Value::Sequence(items) = &entries[0].value.value else {
            panic!("not a list")
        };
        assert_eq!(&text[items[0].range.clone()], "金融");
        assert_eq!(&text[items[1].range.clone()], "'新浪 财经'");
        assert_eq!(
            &text[entries[0].value.range.clone()],
            "- 金融\r\n  - '新浪 财经'"
        );
        assert_eq!(entries[1].value.value, Value::Empty);
        assert_eq!(entries[2].value.value, Value::Sequence(Vec::new()));
    }

    #[test]
    fn block_scalars_and_multiline_strings() {
        let text = "a: |\n  one\n  two\nb: >-\n  x\n  y\nc: \"multi\n  line\"\nd: plain\n  more\n";
        let entries = entries(text);
        let (value, style, raw) = scalar(&entries[0].value);
        assert_eq!((value, style), ("one\ntwo\n", ScalarStyle::Literal));
        assert_eq!(&text[entries[0].value.range.clone()], "|\n  one\n  two");
        assert_eq!(&text[raw], "one\n  two");
        assert_eq!(&text[entries[1].value.range.clone()], ">-\n  x\n  y");
        assert_eq!(scalar(&entries[2].value).0, "multi line");
        assert_eq!(&text[entries[2].value.range.clone()], "\"multi\n  line\"");
        assert_eq!(scalar(&entries[3].value).0, "plain more");
        assert_eq!(&text[entries[3].value.range.clone()], "plain\n  more");
    }

    #[test]
    fn nested_lists_and_duplicates() {
        let text = "categories:\n- [A, B]\n- C\ntitle: x\ntitle: y\nmeta: {k: v}\n";
        let entries = entries(text);
        let Value::Sequence(items) = &entries[0].value.value else {
            panic!("not a list")
        };
        assert_eq!(&text[items[0].range.clone()], "[A, B]");
        assert!(matches!(&items[0].value, Value::Sequence(inner) if inner.len() == 2));
        assert_eq!(entries[1].key, "title");
        assert_eq!(entries[2].key, "title");
        let Value::Mapping(meta) = &entries[3].value.value else {
            panic!("not a mapping")
        };
        assert_eq!(&text[entries[3].value.range.clone()], "{k: v}");
        assert_eq!(meta[0].key, "k");
    }

    #[test]
    fn anchors_aliases_and_tags_do_not_break_the_tree() {
        let text = "a: &x 1\nb: *x\nc: !!str 2\n";
        let entries = entries(text);
        assert_eq!(entries.len(), 3);
        assert_eq!(scalar(&entries[1].value).0, "*x");
        assert_eq!(scalar(&entries[2].value).0, "2");
        let values: Vec<&str> = entries
            .iter()
            .map(|entry| &text[entry.value.range.clone()])
            .collect();
        assert_eq!(values, ["1", "*x", "2"]);
        let quoted = "t: !!str '标题'\nl: &l [a]\n";
        let entries = super::tests::entries(quoted);
        assert_eq!(&quoted[entries[0].value.range.clone()], "'标题'");
        assert_eq!(&quoted[scalar(&entries[0].value).2], "标题");
        assert_eq!(&quoted[entries[1].value.range.clone()], "[a]");
    }

    #[test]
    fn lists_of_mappings_and_trailing_empty_key() {
        let text = "links:\n  - name: 新浪\n    url: https://x\n  - {name: b}\nlast:";
        let entries = entries(text);
        let Value::Sequence(links) = &entries[0].value.value else {
            panic!("not a list")
        };
        assert_eq!(
            &text[links[0].range.clone()],
            "name: 新浪\n    url: https://x"
        );
        assert_eq!(&text[links[1].range.clone()], "{name: b}");
        assert_eq!(entries[1].key, "last");
        assert_eq!(entries[1].value.value, Value::Empty);
    }

    #[test]
    fn syntax_error_keeps_earlier_entries_at_exact_position() {
        let text = "date: 2020-01-01\ntitle: 标题: 副标题\nauthor: x\n";
        let parsed = parse_all(text);
        let error = parsed.error.expect("error");
        assert!(!error.message.is_empty());
        let line_two = text.find("title").expect("title");
        assert!(error.range.start >= line_two, "{error:?}");
        assert!(text.is_char_boundary(error.range.start));
        assert!(text.is_char_boundary(error.range.end));
        let Some(Value::Mapping(entries)) = parsed.root.map(|n| n.value) else {
            panic!("no mapping")
        };
        assert_eq!(entries[0].key, "date");
    }
}
