//! Offset ⇄ line/column in UTF-8, UTF-16 and UTF-32 agrees with counting code units
//! from the line start, round-trips, and clamps any position a client may send.
#![no_main]

use copydesk::line_index::{Encoding, LineCol, LineIndex};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let index = LineIndex::new(&text);
    for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let position = index.position(&text, offset, encoding);
            let line = position.line as usize;
            let prefix = &text[index.full_line_range(line).start..offset];
            let expected = match encoding {
                Encoding::Utf8 => prefix.len(),
                Encoding::Utf16 => prefix.encode_utf16().count(),
                Encoding::Utf32 => prefix.chars().count(),
            };
            assert_eq!(position.col as usize, expected);
            let clamped = offset.min(index.line_range(&text, line).end);
            assert_eq!(index.offset(&text, position, encoding), clamped);
        }
        // Arbitrary positions from the input's bytes: always a char boundary in range.
        for pair in data.chunks_exact(2) {
            let position = LineCol {
                line: u32::from(pair[0] % 8),
                col: u32::from(pair[1]),
            };
            let offset = index.offset(&text, position, encoding);
            assert!(offset <= text.len() && text.is_char_boundary(offset));
        }
    }
});
