//! Byte offset ⇄ line/column conversion in UTF-8, UTF-16 or UTF-32 code units.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r` (as LSP defines them); U+2028 and
//! U+0085 are ordinary characters.
//!
//! UTF-16 and UTF-32 columns come from cumulative counts kept every
//! [`CHECKPOINT_BYTES`] bytes (built on the first such query), so a conversion costs
//! at most one checkpoint's worth of counting, however long the line: a 1 MB
//! single-line post converts as fast in UTF-16 as in UTF-8.

use std::ops::Range;
use std::sync::OnceLock;

/// Distance between two cumulative counts: bounds the counting per conversion.
const CHECKPOINT_BYTES: usize = 128;

/// Up to this far from its line start a column is counted from there: counting a
/// kilobyte byte by byte costs less than building the checkpoints of a whole post,
/// which a post of short lines then never needs.
const COUNT_FROM_LINE_START_BYTES: usize = 1024;

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
    /// Cumulative code-unit counts; empty for ASCII text, where every unit is a byte.
    checkpoints: OnceLock<Vec<Checkpoint>>,
}

/// Code units before `byte` (a char boundary) in the whole text.
#[derive(Clone, Copy, Debug)]
struct Checkpoint {
    byte: usize,
    utf16: usize,
    chars: usize,
}

impl Checkpoint {
    /// The start of a text (or, counting from there, of a line).
    const START: Checkpoint = Checkpoint {
        byte: 0,
        utf16: 0,
        chars: 0,
    };

    fn units(&self, encoding: Encoding) -> usize {
        match encoding {
            Encoding::Utf8 => self.byte,
            Encoding::Utf16 => self.utf16,
            Encoding::Utf32 => self.chars,
        }
    }

    /// This checkpoint moved forward over `text` (which starts at it).
    fn advanced(self, text: &str) -> Checkpoint {
        // Counting bytes rather than decoding chars: every char has one non-continuation
        // byte, and the ones outside the BMP (4-byte leaders) take two UTF-16 units.
        let bytes = text.as_bytes();
        let chars = count_bytes(bytes, |byte| (byte & 0xC0) != 0x80);
        let astral = count_bytes(bytes, |byte| byte >= 0xF0);
        Checkpoint {
            byte: self.byte + bytes.len(),
            utf16: self.utf16 + chars + astral,
            chars: self.chars + chars,
        }
    }
}

/// How many of `bytes` are `counted`, summed in u8 lanes, which the compiler
/// vectorizes (a chunk cannot overflow them): `filter().count()` went byte by byte.
pub(crate) fn count_bytes(bytes: &[u8], counted: impl Fn(u8) -> bool) -> usize {
    bytes
        .chunks(usize::from(u8::MAX))
        .map(|chunk| {
            let lane = chunk
                .iter()
                .fold(0u8, |sum, &byte| sum.wrapping_add(u8::from(counted(byte))));
            usize::from(lane)
        })
        .sum()
}

fn build_checkpoints(text: &str) -> Vec<Checkpoint> {
    if text.is_ascii() {
        return Vec::new();
    }
    let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT_BYTES + 1);
    let mut current = Checkpoint::START;
    checkpoints.push(current);
    let mut target = CHECKPOINT_BYTES;
    while target < text.len() {
        let boundary = floor_char_boundary(text, target);
        if boundary > current.byte {
            current = current.advanced(&text[current.byte..boundary]);
            checkpoints.push(current);
        }
        target += CHECKPOINT_BYTES;
    }
    checkpoints
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        // memchr jumps between line breaks instead of matching every byte.
        let breaks = memchr::memchr2_iter(b'\n', b'\r', bytes).filter_map(|at| match bytes[at] {
            b'\r' if bytes.get(at + 1) == Some(&b'\n') => Some(at + 2),
            // The `\n` of a CRLF: its line was started at the `\r`.
            b'\n' if at > 0 && bytes[at - 1] == b'\r' => None,
            _ => Some(at + 1),
        });
        let starts = std::iter::once(0).chain(breaks).collect();
        LineIndex {
            starts,
            len: text.len(),
            checkpoints: OnceLock::new(),
        }
    }

    fn checkpoints(&self, text: &str) -> &[Checkpoint] {
        self.checkpoints.get_or_init(|| build_checkpoints(text))
    }

    /// The last checkpoint at or before `offset` (a char boundary); `None` for ASCII text.
    fn checkpoint_before(&self, text: &str, offset: usize) -> Option<Checkpoint> {
        let checkpoints = self.checkpoints(text);
        let after = checkpoints.partition_point(|c| c.byte <= offset);
        checkpoints.get(after.checked_sub(1)?).copied()
    }

    /// Code units in `encoding` from the start of the text to `offset` (a char boundary).
    fn units_before(&self, text: &str, offset: usize, encoding: Encoding) -> usize {
        if encoding == Encoding::Utf8 {
            return offset;
        }
        match self.checkpoint_before(text, offset) {
            Some(checkpoint) => checkpoint
                .advanced(&text[checkpoint.byte..offset])
                .units(encoding),
            None => offset,
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
        let col = if offset - start <= COUNT_FROM_LINE_START_BYTES {
            Checkpoint::START
                .advanced(&text[start..offset])
                .units(encoding)
        } else {
            self.units_before(text, offset, encoding) - self.units_before(text, start, encoding)
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
        let line_units = self.units_before(text, range.start, encoding);
        let target = line_units + position.col as usize;
        // Start counting at the last checkpoint inside the line that is not past the column.
        if encoding == Encoding::Utf8 {
            return floor_char_boundary(text, target.min(range.end));
        }
        let (mut byte, mut units) = (range.start, line_units);
        {
            let checkpoints = self.checkpoints(text);
            let after =
                checkpoints.partition_point(|c| c.byte <= range.end && c.units(encoding) <= target);
            if let Some(checkpoint) = after.checked_sub(1).and_then(|i| checkpoints.get(i)) {
                if checkpoint.byte > range.start {
                    (byte, units) = (checkpoint.byte, checkpoint.units(encoding));
                }
            } else if checkpoints.is_empty() {
                // ASCII: one unit per byte.
                byte = target.min(range.end);
                units = byte;
            }
        }
        for ch in text[byte..range.end].chars() {
            if units >= target {
                return byte;
            }
            units += match encoding {
                Encoding::Utf8 => ch.len_utf8(),
                Encoding::Utf16 => ch.len_utf16(),
                Encoding::Utf32 => 1,
            };
            if units > target {
                return byte;
            }
            byte += ch.len_utf8();
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
    fn count_bytes_counts_across_its_lanes() {
        for len in [0, 1, 254, 255, 256, 510, 511, 1000] {
            let bytes: Vec<u8> = (0..len).map(|at| (at % 7) as u8).collect();
            let by_filter = bytes.iter().filter(|&&byte| byte != 3).count();
            assert_eq!(count_bytes(&bytes, |byte| byte != 3), by_filter, "{len}");
            assert_eq!(count_bytes(&bytes, |_| true), len, "{len}");
        }
    }

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr() {
        let index = LineIndex::new(TEXT);
        assert_eq!(index.line_count(), 4);
        assert_eq!(&TEXT[index.line_range(TEXT, 1)], "金融😀x");
        assert_eq!(&TEXT[index.line_range(TEXT, 2)], "last");
        assert_eq!(&TEXT[index.line_range(TEXT, 3)], "");
        let runs = "a\r\r\nb\n\n\r";
        let index = LineIndex::new(runs);
        assert_eq!(index.line_count(), 6);
        assert_eq!(&runs[index.line_range(runs, 1)], "");
        assert_eq!(&runs[index.line_range(runs, 2)], "b");
        assert_eq!(LineIndex::new("\n\r\n").line_count(), 3);
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

    /// The definition: count code units from the start of the line.
    fn naive_position(text: &str, offset: usize, encoding: Encoding) -> LineCol {
        let index = LineIndex::new(text);
        let offset = floor_char_boundary(text, offset);
        let line = index.line_of(offset);
        let prefix = &text[index.full_line_range(line).start..offset];
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

    #[test]
    fn checkpoints_give_the_same_columns_as_counting_from_the_line_start() {
        // Long enough for many checkpoints, with characters of every width across them.
        let line: String = "a金😀é".repeat(300);
        let text = format!("{line}\r\n{line}\nx");
        let index = LineIndex::new(&text);
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for offset in 0..=text.len() {
                let position = index.position(&text, offset, encoding);
                assert_eq!(
                    position,
                    naive_position(&text, offset, encoding),
                    "{encoding:?} {offset}"
                );
                let line_end = index.line_range(&text, position.line as usize).end;
                // Offsets inside a CRLF terminator clamp to the line's end.
                if text.is_char_boundary(offset) && offset <= line_end {
                    assert_eq!(
                        index.offset(&text, position, encoding),
                        offset,
                        "{encoding:?} {offset}"
                    );
                }
            }
        }
    }

    /// `cargo test --lib line_index -- --ignored --nocapture` prints how long
    /// converting 100,000 offsets on one 1 MB line takes in each encoding.
    #[test]
    #[ignore = "a measurement, not a check"]
    fn measure_a_one_megabyte_line() {
        let text = "金融 news 😀 ".repeat(1 << 20 >> 4);
        let offsets: Vec<usize> = (0..100_000)
            .map(|i| floor_char_boundary(&text, i * (text.len() / 100_000)))
            .collect();
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let started = std::time::Instant::now();
            let index = LineIndex::new(&text);
            let mut total = 0u64;
            for &offset in &offsets {
                let position = index.position(&text, offset, encoding);
                total += u64::from(position.col);
                total += index.offset(&text, position, encoding) as u64;
            }
            println!(
                "{encoding:?}: {:?} for {} round trips ({total})",
                started.elapsed(),
                offsets.len()
            );
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
