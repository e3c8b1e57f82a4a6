//! The only place byte offsets meet LSP positions: every conversion goes through
//! `crate::line_index` (or, for the rope of an open document, the same counting rules)
//! in the encoding negotiated at `initialize`.

use std::ops::Range;

use ropey::Rope;
use tower_lsp_server::ls_types::{self as lsp, Position, PositionEncodingKind};

use crate::line_index::{Encoding, LineCol, LineIndex};

/// Picks the first encoding the client offers that we support; UTF-16 when it offers none.
pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
    let Some(offered) = offered else {
        return Encoding::Utf16;
    };
    for kind in offered {
        match kind.as_str() {
            "utf-8" => return Encoding::Utf8,
            "utf-16" => return Encoding::Utf16,
            "utf-32" => return Encoding::Utf32,
            _ => {}
        }
    }
    Encoding::Utf16
}

pub fn encoding_kind(encoding: Encoding) -> PositionEncodingKind {
    match encoding {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

/// Converts between byte offsets and positions for one snapshot of a text.
pub struct Positions<'a> {
    text: &'a str,
    lines: LineIndex,
    encoding: Encoding,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> Positions<'a> {
        Positions {
            text,
            lines: LineIndex::new(text),
            encoding,
        }
    }

    /// Reuses a line index that was already built for `text`.
    pub fn with_lines(text: &'a str, lines: LineIndex, encoding: Encoding) -> Positions<'a> {
        Positions {
            text,
            lines,
            encoding,
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        let LineCol { line, col } = self.lines.position(self.text, offset, self.encoding);
        Position::new(line, col)
    }

    pub fn range(&self, range: Range<usize>) -> lsp::Range {
        lsp::Range::new(self.position(range.start), self.position(range.end))
    }

    /// Byte offset of a client position; out-of-range positions clamp.
    pub fn offset(&self, position: Position) -> usize {
        let at = LineCol {
            line: position.line,
            col: position.character,
        };
        self.lines.offset(self.text, at, self.encoding)
    }

    pub fn offsets(&self, range: lsp::Range) -> Range<usize> {
        let start = self.offset(range.start);
        let end = self.offset(range.end).max(start);
        start..end
    }
}

/// Byte offset of `position` in an open document's rope, with the same rules as
/// `LineIndex::offset`: lines past the end clamp to the end of the text, columns past
/// the end of a line to the end of that line, columns inside a character to its start.
/// Every step is one of the rope's own O(log n) index conversions, so applying an
/// edit costs the same at the end of a 1 MB line as at its start.
pub fn rope_offset(rope: &Rope, position: Position, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let start = rope.line_to_char(line);
    let mut end = if line + 1 < rope.len_lines() {
        rope.line_to_char(line + 1)
    } else {
        rope.len_chars()
    };
    // The line's content ends before its terminator (`\n`, `\r\n` or a lone `\r`).
    for terminator in ['\n', '\r'] {
        if end > start && rope.char(end - 1) == terminator {
            end -= 1;
        }
    }
    let wanted = position.character as usize;
    let char_index = match encoding {
        // A byte or code unit inside a character rounds down to that character.
        Encoding::Utf8 => {
            let byte = (rope.char_to_byte(start) + wanted).min(rope.char_to_byte(end));
            rope.byte_to_char(byte)
        }
        Encoding::Utf16 => {
            let unit = (rope.char_to_utf16_cu(start) + wanted).min(rope.char_to_utf16_cu(end));
            rope.utf16_cu_to_char(unit)
        }
        Encoding::Utf32 => (start + wanted).min(end),
    };
    rope.char_to_byte(char_index)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "ab\r\n金融😀x\rlast\n";

    #[test]
    fn negotiates_the_first_supported_encoding() {
        let offered = [
            PositionEncodingKind::new("utf-7"),
            PositionEncodingKind::UTF8,
        ];
        assert_eq!(negotiate(Some(&offered)), Encoding::Utf8);
        assert_eq!(negotiate(None), Encoding::Utf16);
        assert_eq!(negotiate(Some(&[])), Encoding::Utf16);
    }

    #[test]
    fn rope_offsets_agree_with_the_line_index() {
        let rope = Rope::from_str(TEXT);
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let positions = Positions::new(TEXT, encoding);
            for line in 0..5 {
                for col in 0..12 {
                    let position = Position::new(line, col);
                    assert_eq!(
                        rope_offset(&rope, position, encoding),
                        positions.offset(position),
                        "{encoding:?} {line}:{col}"
                    );
                }
            }
        }
    }

    #[test]
    fn emoji_columns_in_utf16_count_surrogate_pairs() {
        let positions = Positions::new(TEXT, Encoding::Utf16);
        let x = TEXT.find('x').unwrap_or(0);
        assert_eq!(positions.position(x), Position::new(1, 4));
        let positions = Positions::new(TEXT, Encoding::Utf8);
        assert_eq!(positions.position(x), Position::new(1, 10));
    }
}
