//! The front-matter parsers (YAML, TOML, JSON, Hexo's fence-less form): no panic,
//! and every span they report lies inside the text on character boundaries.
#![no_main]

use copydesk::config::Generator;
use copydesk::frontmatter::{self, Entry, Node, Value};
use libfuzzer_sys::fuzz_target;

fn check_range(text: &str, range: &std::ops::Range<usize>) {
    assert!(range.start <= range.end && range.end <= text.len(), "{range:?}");
    assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
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

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for generator in [Generator::Hexo, Generator::Hugo, Generator::Jekyll, Generator::Plain] {
        let Some(front_matter) = frontmatter::parse_for(text, generator) else {
            continue;
        };
        check_range(text, &front_matter.content);
        front_matter.entries.iter().for_each(|e| check_entry(text, e));
        let body = frontmatter::body_start(text, Some(&front_matter));
        assert!(body <= text.len() && text.is_char_boundary(body));
    }
});
