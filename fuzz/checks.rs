//! What each fuzz target checks, as plain functions over the input bytes: the
//! cargo-fuzz targets in `fuzz_targets/` call them, and `tests/fuzz_inputs.rs` (a
//! normal `cargo test`, no nightly toolchain) replays the seed posts and every saved
//! crash input in `fuzz/regressions/<target>/` through the same functions.
//! A failed check panics, which is what libFuzzer reports as a crash.

use copydesk::Linter;
use copydesk::config::{Config, Generator};
use copydesk::fix::fix_to_fixed_point;
use copydesk::frontmatter::{self, Entry, Node, Value};
use copydesk::line_index::{Encoding, LineCol, LineIndex};
use copydesk::lsp::transport::{Event, FrameReader};
use copydesk::site::SiteIndex;
use tower_lsp_server::jsonrpc::{Request, Response};

const GENERATORS: [Generator; 4] = [
    Generator::Hexo,
    Generator::Hugo,
    Generator::Jekyll,
    Generator::Plain,
];

fn check_range(text: &str, range: &std::ops::Range<usize>) {
    assert!(
        range.start <= range.end && range.end <= text.len(),
        "{range:?}"
    );
    assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "{range:?} not on char boundaries"
    );
}

/// Any text, any generator (the first byte picks it): analysis never panics and
/// every range lies inside the text on character boundaries.
pub fn analyse(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let config = Config {
        generator: GENERATORS[usize::from(selector) % GENERATORS.len()],
        ..Config::default()
    };
    let linter = Linter::new(config);
    let path = "source/_posts/fuzz.md".into();
    for diagnostic in linter.check(text, Some(&path), &SiteIndex::default()) {
        check_range(text, &diagnostic.range);
        for related in &diagnostic.related {
            check_range(text, &related.range);
        }
        for edit in diagnostic.fix.iter().flat_map(|f| &f.edits) {
            check_range(text, &edit.range);
        }
    }
}

/// Fixing any text (the first byte's low bit: unsafe fixes too): the result lints
/// again without panicking, and a second run of the fixer changes nothing.
pub fn fix(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let include_unsafe = selector & 1 == 1;
    let linter = Linter::new(Config::default());
    let site = SiteIndex::default();
    let path = "source/_posts/fuzz.md".into();
    let lint = |t: &str| linter.check(t, Some(&path), &site);
    let first = fix_to_fixed_point(text, include_unsafe, lint);
    let second = fix_to_fixed_point(&first.text, include_unsafe, lint);
    assert!(
        second.applied.is_empty(),
        "second run applied {:?}",
        second.applied
    );
    assert_eq!(second.text, first.text);
}

fn check_node(text: &str, node: &Node) {
    check_range(text, &node.range);
    match &node.value {
        Value::Scalar { raw_range, .. } => check_range(text, raw_range),
        Value::Sequence(nodes) => nodes.iter().for_each(|n| check_node(text, n)),
        Value::Mapping(entries) => entries.iter().for_each(|e| check_entry(text, e)),
        Value::Empty => {}
    }
}

fn check_entry(text: &str, entry: &Entry) {
    check_range(text, &entry.key_range);
    check_node(text, &entry.value);
}

/// The front-matter parsers (YAML, TOML, JSON, Hexo's fence-less form): no panic,
/// and every span they report lies inside the text on character boundaries.
pub fn frontmatter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for generator in GENERATORS {
        let Some(front_matter) = frontmatter::parse_for(text, generator) else {
            continue;
        };
        check_range(text, &front_matter.content);
        front_matter
            .entries
            .iter()
            .for_each(|e| check_entry(text, e));
        let body = frontmatter::body_start(text, Some(&front_matter));
        assert!(body <= text.len() && text.is_char_boundary(body));
    }
}

/// Offset ⇄ line/column in UTF-8, UTF-16 and UTF-32 agrees with counting code units
/// from the line start, round-trips, and clamps any position a client may send.
pub fn positions(data: &[u8]) {
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
}

/// The JSON-RPC frame reader over any byte stream, cut into reads of any size (the
/// first byte): no panic, bounded memory, and every message it forwards is one
/// tower-lsp-server decodes (anything else would stop the protocol layer reading).
pub fn frames(data: &[u8]) {
    let Some((&chunk, stream)) = data.split_first() else {
        return;
    };
    let mut reader = FrameReader::new();
    let mut events = Vec::new();
    for piece in stream.chunks(usize::from(chunk).max(1)) {
        reader.push(piece);
        while let Some(event) = reader.next_event() {
            events.push(event);
        }
    }
    events.extend(reader.finish());
    for event in events {
        match event {
            Event::Forward(message) | Event::Repaired { message, .. } => {
                let body = &message.body;
                let decodes = serde_json::from_slice::<Response>(body).is_ok()
                    || serde_json::from_slice::<Request>(body).is_ok();
                assert!(decodes, "forwarded {:?}", String::from_utf8_lossy(body));
            }
            Event::Rejected { replies, .. } => {
                for reply in replies {
                    assert!(serde_json::from_value::<Response>(reply).is_ok());
                }
            }
        }
    }
}
