//! Byte offset ⇄ line/column conversion in UTF-8, UTF-16 or UTF-32 code units.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r` (as LSP defines them); U+2028 and
//! U+0085 are ordinary characters.

use std::ops::Range;

/// The unit LSP columns are counted in, as negotiated with the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

/// A zero-based line and column (in the chosen encoding's code units).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Start offsets of every line of one text.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte range of line `line` without its line terminator.
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let start = self.starts.get(line).copied().unwrap_or(self.len);
        let mut end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }

    /// Byte range of line `line` including its terminator.
    pub fn full_line_range(&self, line: usize) -> Range<usize> {
        let start = self.starts.get(line).copied().unwrap_or(self.len);
        let end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        start..end
    }

    /// The zero-based line that contains `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Position of `offset` with the column counted in `encoding`. Offsets inside a
    /// character are rounded down to its start; offsets past the end clamp to the end.
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        let prefix = &text[start..offset];
        let col = match encoding {
            Encoding::Utf8 => prefix.len(),
            Encoding::Utf16 => prefix.encode_utf16().count(),
            Encoding::Utf32 => prefix.chars().count(),
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// Byte offset of a line/column; out-of-range lines clamp to the end of the text,
    /// out-of-range columns to the end of the line, columns inside a character to its start.
    pub fn offset(&self, text: &str, position: LineCol, encoding: Encoding) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return self.len;
        }
        let range = self.line_range(text, line);
        let line_text = &text[range.clone()];
        let wanted = position.col as usize;
        let mut units = 0;
        for (byte, ch) in line_text.char_indices() {
            if units >= wanted {
                return range.start + byte;
            }
            units += match encoding {
                Encoding::Utf8 => ch.len_utf8(),
                Encoding::Utf16 => ch.len_utf16(),
                Encoding::Utf32 => 1,
            };
            if units > wanted {
                return range.start + byte;
            }
        }
        range.end
    }
}

/// The largest char boundary at or below `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "ab\r\n金融😀x\rlast\n";

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr() {
        let index = LineIndex::new(TEXT);
        assert_eq!(index.line_count(), 4);
        assert_eq!(&TEXT[index.line_range(TEXT, 1)], "金融😀x");
        assert_eq!(&TEXT[index.line_range(TEXT, 2)], "last");
        assert_eq!(&TEXT[index.line_range(TEXT, 3)], "");
    }

    #[test]
    fn columns_in_every_encoding() {
        let index = LineIndex::new(TEXT);
        let x = TEXT.find('x').expect("x in text");
        assert_eq!(
            index.position(TEXT, x, Encoding::Utf8),
            LineCol { line: 1, col: 10 }
        );
        assert_eq!(
            index.position(TEXT, x, Encoding::Utf16),
            LineCol { line: 1, col: 4 }
        );
        assert_eq!(
            index.position(TEXT, x, Encoding::Utf32),
            LineCol { line: 1, col: 3 }
        );
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let pos = index.position(TEXT, x, encoding);
            assert_eq!(index.offset(TEXT, pos, encoding), x);
        }
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let index = LineIndex::new(TEXT);
        assert_eq!(
            index.offset(TEXT, LineCol { line: 99, col: 0 }, Encoding::Utf16),
            TEXT.len()
        );
        assert_eq!(
            index.offset(TEXT, LineCol { line: 0, col: 99 }, Encoding::Utf16),
            2
        );
        // Column in the middle of a surrogate pair rounds down to the emoji.
        let emoji = TEXT.find('😀').expect("emoji in text");
        assert_eq!(
            index.offset(TEXT, LineCol { line: 1, col: 3 }, Encoding::Utf16),
            emoji
        );
        assert_eq!(
            index.position(TEXT, emoji + 1, Encoding::Utf16),
            LineCol { line: 1, col: 2 }
        );
    }
}
