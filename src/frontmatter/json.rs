//! Hexo's JSON front matter (`;;;`): the block holds the members of an object
//! WITHOUT the outer braces (Hexo parses `{` + block + `}`). serde_json decides
//! validity and gives the error position; a small span reader then walks the
//! (known valid) text to give every key and value its byte range.

use std::ops::Range;

use super::{Entry, Node, Parsed, ScalarStyle, SyntaxError, Value, inside_quotes};

/// Deeper nesting than this is kept as one opaque scalar (no recursion limit hit).
const MAX_DEPTH: usize = 64;

/// Parses the JSON members in `content` (a range of the post `text`).
pub(crate) fn parse(text: &str, content: Range<usize>) -> Parsed {
    let source = text.get(content.clone()).unwrap_or("");
    let wrapped = format!("{{{source}}}");
    if let Err(error) = serde_json::from_str::<serde_json::Value>(&wrapped) {
        // Position in `wrapped`, minus the `{` we added.
        let at = byte_of_line_column(&wrapped, error.line(), error.column())
            .saturating_sub(1)
            .min(source.len());
        // Errors found at the closing brace we added belong to the last character.
        let content_end = source.trim_end().len();
        let at = if at >= content_end {
            source[..content_end]
                .char_indices()
                .last()
                .map_or(0, |(at, _)| at)
        } else {
            floor_char_boundary(source, at)
        };
        let end = source[at..]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8());
        let message = error.to_string();
        let message = match message.find(" at line ") {
            Some(cut) => message[..cut].to_owned(),
            None => message,
        };
        return Parsed {
            root: None,
            error: Some(SyntaxError {
                range: content.start + at..content.start + end,
                message,
            }),
        };
    }
    let mut reader = Reader {
        text,
        at: content.start,
        end: content.end,
    };
    let entries = reader.members(b'}', 0);
    Parsed {
        root: Some(Node {
            range: content,
            value: Value::Mapping(entries),
        }),
        error: None,
    }
}

/// serde_json counts lines from 1 and columns in bytes from 1 (0 = before the line).
fn byte_of_line_column(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(at, _)| at + 1)
    };
    (line_start + column.saturating_sub(1)).min(text.len())
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Walks JSON already known to be valid, recording spans.
struct Reader<'a> {
    text: &'a str,
    at: usize,
    end: usize,
}

impl Reader<'_> {
    fn skip_space(&mut self) {
        let bytes = self.text.as_bytes();
        while self.at < self.end && bytes.get(self.at).is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        (self.at < self.end)
            .then(|| self.text.as_bytes().get(self.at).copied())
            .flatten()
    }

    /// `"key": value` pairs up to `close` (or the end of the block).
    fn members(&mut self, close: u8, depth: usize) -> Vec<Entry> {
        let mut entries = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                Some(b'"') => {}
                Some(b',') => {
                    self.at += 1;
                    continue;
                }
                Some(byte) if byte == close => {
                    self.at += 1;
                    return entries;
                }
                _ => return entries,
            }
            let key_range = self.string_range();
            let key = decode_string(self.text, key_range.clone());
            self.skip_space();
            if self.peek() == Some(b':') {
                self.at += 1;
            }
            let value = self.value(depth);
            entries.push(Entry {
                key,
                key_range,
                value,
            });
        }
    }

    fn value(&mut self, depth: usize) -> Node {
        self.skip_space();
        let start = self.at;
        let value = match self.peek() {
            Some(b'"') => {
                let range = self.string_range();
                Value::Scalar {
                    text: decode_string(self.text, range.clone()),
                    style: ScalarStyle::DoubleQuoted,
                    raw_range: inside_quotes(self.text, range, "\""),
                }
            }
            Some(open @ (b'[' | b'{')) if depth < MAX_DEPTH => {
                self.at += 1;
                if open == b'{' {
                    Value::Mapping(self.members(b'}', depth + 1))
                } else {
                    Value::Sequence(self.items(depth + 1))
                }
            }
            _ => {
                self.skip_token();
                let raw = self.text.get(start..self.at).unwrap_or("");
                Value::Scalar {
                    text: raw.to_owned(),
                    style: ScalarStyle::Plain,
                    raw_range: start..self.at,
                }
            }
        };
        Node {
            range: start..self.at,
            value,
        }
    }

    fn items(&mut self, depth: usize) -> Vec<Node> {
        let mut items = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return items;
                }
                None => return items,
                Some(_) => items.push(self.value(depth)),
            }
        }
    }

    /// The range of the string starting at `self.at`, quotes included.
    fn string_range(&mut self) -> Range<usize> {
        let start = self.at;
        let bytes = self.text.as_bytes();
        let mut at = start + 1;
        while at < self.end {
            match bytes.get(at) {
                Some(b'\\') => at += 2,
                Some(b'"') => {
                    at += 1;
                    break;
                }
                _ => at += 1,
            }
        }
        self.at = at.min(self.end);
        start..self.at
    }

    /// A number, literal, or (past `MAX_DEPTH`) a whole nested container.
    fn skip_token(&mut self) {
        let bytes = self.text.as_bytes();
        let mut nesting = 0usize;
        while self.at < self.end {
            match bytes.get(self.at) {
                Some(b'"') => {
                    self.string_range();
                    continue;
                }
                Some(b'[' | b'{') => nesting += 1,
                Some(b']' | b'}') if nesting > 0 => nesting -= 1,
                Some(b',' | b']' | b'}') if nesting == 0 => return,
                Some(b) if b.is_ascii_whitespace() && nesting == 0 => return,
                _ => {}
            }
            self.at += 1;
        }
    }
}

fn decode_string(text: &str, range: Range<usize>) -> String {
    let raw = text.get(range).unwrap_or("");
    serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.trim_matches('"').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_members_with_spans() {
        let text =
            "\"title\": \"标题 \\\"🚀\\\"\",\n\"tags\": [\"a\", 2],\n\"meta\": {\"k\": true}\n";
        let parsed = parse(text, 0..text.len());
        assert_eq!(parsed.error, None);
        let Some(Value::Mapping(entries)) = parsed.root.map(|n| n.value) else {
            panic!("no mapping")
        };
        assert_eq!(entries[0].key, "title");
        assert_eq!(&text[entries[0].key_range.clone()], "\"title\"");
        let Value::Scalar { text: title, .. } = &entries[0].value.value else {
            panic!("not a scalar")
        };
        assert_eq!(title, "标题 \"🚀\"");
        let Value::Sequence(tags) = &entries[1].value.value else {
            panic!("not a list")
        };
        assert_eq!(&text[tags[1].range.clone()], "2");
        assert_eq!(&text[entries[2].value.range.clone()], "{\"k\": true}");
    }

    #[test]
    fn error_position_is_in_the_block() {
        let text = ";;;\n\"title\": \"x\",\n\"date\" 2020\n;;;\n";
        let content = 4..text.len() - 4;
        let parsed = parse(text, content);
        let error = parsed.error.expect("invalid");
        let date_line = text.find("\"date\"").expect("date");
        assert!(error.range.start >= date_line, "{error:?}");
        assert!(!error.message.contains("line"), "{}", error.message);
    }

    #[test]
    fn braces_inside_the_block_are_invalid_for_hexo() {
        let text = "{\"title\": \"x\"}";
        assert!(parse(text, 0..text.len()).error.is_some());
    }
}
