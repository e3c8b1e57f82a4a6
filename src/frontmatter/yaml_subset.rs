//! The plain subset of YAML most front matter is written in, read without saphyr:
//! a mapping at column 0 whose values are one-line plain or simply quoted scalars,
//! nothing, or a block list of such scalars, with blank and comment lines between.
//! Anything else (tabs, CR, flow collections, block scalars, anchors and tags,
//! nested mappings, multi-line scalars, escapes, comments after a value, document
//! markers) is `None`, for saphyr to read. Within the subset the two readings are
//! equal node for node and span for span: the tests compare them on generated
//! front matter and on every post of the shared corpus and sites. Saphyr took about
//! 70,000 instructions for a 12-line front matter, a sixth of `check`.

use std::borrow::Cow;
use std::ops::Range;

use super::{Entry, Node, Parsed, ScalarStyle, Value};

/// Characters that cannot start a plain scalar or key here: YAML's indicators
/// (some may start one when a non-blank follows; those cases are saphyr's).
const INDICATORS: &[u8] = b"-?:,[]{}#&*!|>'\"%@`";

/// A list under the key it belongs to.
struct List {
    key: (String, Range<usize>),
    indent: usize,
    /// Where the node starts, as saphyr has it: at the first dash of an indented
    /// list, at the first value of one at column 0.
    start: usize,
    items: Vec<Node>,
}

/// Reads `content` (a range of the post `text`), or `None` outside the subset.
pub(super) fn parse(text: &str, content: Range<usize>) -> Option<Parsed> {
    let source = text.get(content.clone())?;
    // Tabs and CRs included: saphyr has its own reading of each.
    if !printable(source) {
        return None;
    }
    let mut entries: Vec<Entry> = Vec::new();
    // A key with nothing after it on its line: its value is a list or nothing.
    let mut pending: Option<(String, Range<usize>)> = None;
    let mut list: Option<List> = None;
    let mut line_start = content.start;
    for line in source.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        let body = line.strip_suffix('\n').unwrap_or(line);
        let rest = body.trim_start_matches(' ');
        let indent = body.len() - rest.len();
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        if let Some(after_dash) = rest.strip_prefix('-')
            && (after_dash.is_empty() || after_dash.starts_with(' '))
        {
            let open = match (list.as_mut(), pending.take()) {
                (Some(open), None) if open.indent == indent => open,
                (None, Some((name, key_range))) => list.insert(List {
                    key: (name, key_range),
                    indent,
                    start: start + indent,
                    items: Vec::new(),
                }),
                _ => return None,
            };
            let value = after_dash.trim_start_matches(' ');
            let value_start = start + body.len() - value.len();
            if open.indent == 0 && open.items.is_empty() {
                open.start = value_start;
            }
            open.items.push(scalar(value, value_start)?);
            continue;
        }
        if indent > 0 || rest.starts_with("---") || rest.starts_with("...") {
            return None;
        }
        close(&mut entries, &mut list, &mut pending);
        let (name, value) = match find_pair(rest, b':', b' ') {
            Some(colon) => (&rest[..colon], &rest[colon + 2..]),
            None => (rest.strip_suffix(':')?, ""),
        };
        if !is_key(name) {
            return None;
        }
        let key_range = start..start + name.len();
        let value = value.trim_start_matches(' ');
        if value.is_empty() {
            pending = Some((name.to_owned(), key_range));
        } else {
            let value_start = start + body.len() - value.len();
            entries.push(Entry {
                key: name.to_owned(),
                key_range,
                value: scalar(value, value_start)?,
            });
        }
    }
    close(&mut entries, &mut list, &mut pending);
    let first = entries.first()?;
    let range = first.key_range.start..entries.last()?.value.range.end;
    Some(Parsed {
        root: Some(Node {
            range,
            value: Value::Mapping(entries),
        }),
        error: None,
    })
}

/// Ends the value of the key before a new one: its list, or nothing.
fn close(
    entries: &mut Vec<Entry>,
    list: &mut Option<List>,
    pending: &mut Option<(String, Range<usize>)>,
) {
    if let Some(List {
        key, start, items, ..
    }) = list.take()
    {
        let end = items.last().map_or(start, |item| item.range.end);
        entries.push(Entry {
            key: key.0,
            key_range: key.1,
            value: Node {
                range: start..end,
                value: Value::Sequence(items),
            },
        });
    }
    if let Some((key, key_range)) = pending.take() {
        // Saphyr's empty scalar sits at the colon.
        let colon = key_range.end;
        entries.push(Entry {
            key,
            key_range,
            value: Node {
                range: colon..colon,
                value: Value::Empty,
            },
        });
    }
}

/// A plain key on one line: no indicator first, nothing a key cannot hold plainly.
fn is_key(name: &str) -> bool {
    let Some(&first) = name.as_bytes().first() else {
        return false;
    };
    !INDICATORS.contains(&first)
        && !name.ends_with(' ')
        && !name.contains([':', '#', '\'', '"', '[', ']', '{', '}'])
}

/// One scalar that is the rest of its line, trailing blanks aside, starting at
/// `start` in the post.
fn scalar(value: &str, start: usize) -> Option<Node> {
    let value = value.trim_end_matches(' ');
    let range = start..start + value.len();
    let &first = value.as_bytes().first()?;
    let (text, style) = match first {
        b'\'' => {
            let inner = value.strip_prefix('\'')?.strip_suffix('\'')?;
            // `''` is a quote; a lone one would end the scalar early.
            let text = if inner.contains('\'') {
                if inner.replace("''", "").contains('\'') {
                    return None;
                }
                Cow::Owned(inner.replace("''", "'"))
            } else {
                Cow::Borrowed(inner)
            };
            (text, ScalarStyle::SingleQuoted)
        }
        b'"' => {
            let inner = value.strip_prefix('"')?.strip_suffix('"')?;
            if inner.contains(['"', '\\']) {
                return None;
            }
            (Cow::Borrowed(inner), ScalarStyle::DoubleQuoted)
        }
        // `-1`, `:x`: an indicator followed by a non-blank starts a plain scalar.
        b'-' | b'?' | b':' if value.len() > 1 && !value[1..].starts_with(' ') => {
            (Cow::Borrowed(plain(value)?), ScalarStyle::Plain)
        }
        _ if INDICATORS.contains(&first) => return None,
        _ => (Cow::Borrowed(plain(value)?), ScalarStyle::Plain),
    };
    let raw_range = match style {
        ScalarStyle::Plain => range.clone(),
        _ => range.start + 1..range.end - 1,
    };
    Some(Node {
        range,
        value: Value::Scalar {
            text: text.into_owned(),
            style,
            raw_range,
        },
    })
}

/// A plain scalar that is the whole value: no `: ` or ` #` inside, no `:` at its end.
fn plain(value: &str) -> Option<&str> {
    let ends_early = find_pair(value, b':', b' ').is_some()
        || find_pair(value, b' ', b'#').is_some()
        || value.ends_with(':');
    (!ends_early).then_some(value)
}

/// Where `first` followed by `second` starts in `text`: `str::find` with a
/// two-byte pattern builds a searcher per call, which showed in the profile.
fn find_pair(text: &str, first: u8, second: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(first, bytes).find(|&at| bytes.get(at + 1) == Some(&second))
}

/// No control characters (tabs and line breaks but `\n` included), byte-order marks
/// or non-characters, which YAML rejects or reads as breaks. Read on the bytes:
/// decoding every character of a CJK title showed in the profile.
fn printable(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(at, &byte)| match byte {
        b'\n' | b' '..=b'~' => true,
        0..=0x1f | 0x7f => false,
        // U+0080..U+009F, the C1 controls.
        0xc2 => !matches!(bytes.get(at + 1), Some(0x80..=0x9f)),
        // U+2028, U+2029.
        0xe2 => !matches!(bytes.get(at + 1..at + 3), Some([0x80, 0xa8 | 0xa9])),
        // U+FEFF, U+FFFE, U+FFFF.
        0xef => !matches!(
            bytes.get(at + 1..at + 3),
            Some([0xbb, 0xbf] | [0xbf, 0xbe | 0xbf])
        ),
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::*;

    /// The subset's reading of `source` inside a fenced post, and saphyr's.
    fn both(source: &str) -> (Option<Parsed>, Parsed) {
        let text = format!("---\n{source}---\n");
        let content = 4..4 + source.len();
        (
            parse(&text, content.clone()),
            super::super::yaml::parse_with_saphyr(&text, content, true),
        )
    }

    #[test]
    fn the_usual_front_matter_is_in_the_subset_and_read_as_saphyr_reads_it() {
        for source in [
            "title: a\ncomments:\ndate: Mon, 20 Sep 2021 08:28:50 GMT\n",
            "title: '003航母的舰载机会是哪个？'\ncategories: \n - 社交媒体\n - 知乎\nauthor: 知乎\n",
            "tags:\n- a\n-   b c\n\nlayout: post\n",
            "a: 'x'\nb: \"y z\"\nc:   \n\n# a comment\nd: 1\n",
            "url: https://example.com/a?b=c#d\ntitle: C# tips\nweight: -1.5e3\n",
            "title: 'It''s ''quoted'''\n",
        ] {
            let (subset, saphyr) = both(source);
            assert_eq!(subset, Some(saphyr), "{source:?}");
        }
    }

    #[test]
    fn what_only_saphyr_reads_is_left_to_it() {
        for source in [
            "tags: [a, b]\n",
            "a:\n  b: c\n",
            "title: first\n  second\n",
            "a: 'it's'\n",
            "a: \"x\\ty\"\n",
            "a: |\n  text\n",
            "a: &x 1\n",
            "a: b # comment\n",
            "a:\tb\n",
            "a: b\r\n",
            "- a\n",
            "a: b: c\n",
            "---\n",
            "",
            "plain\n",
        ] {
            assert_eq!(both(source).0, None, "{source:?}");
        }
    }

    /// Front matter near the subset's edges: entries whose values are plain or
    /// quoted text, lists under keys at several indents, and now and then a line
    /// or value only saphyr reads (tabs, indicators, nesting, comments, markers).
    fn front_matter() -> impl Strategy<Value = String> {
        let key = prop_oneof![
            9 => prop::sample::select(vec!["a", "title", "标题", "a b", "a-b", "_a"]),
            1 => prop::sample::select(vec!["-a", "a:", "#a", "?a", "", "a'", "a "]),
        ];
        let blank = prop_oneof![
            9 => prop::sample::select(vec![" ", "  "]),
            1 => prop::sample::select(vec!["", "\t"]),
        ];
        let tricky = "[a-c 标:#'\"\\\\\\-\\[\\]{}&*!|>%@`,?~\\t.0-9\u{feff}\u{85}]{0,8}";
        let value = || {
            prop_oneof![
                5 => "[a-c 标.,0-9]{1,6}",
                2 => "'[a-c 标:#' -]{0,5}'",
                2 => "\"[a-c 标:#' -]{0,5}\"",
                1 => "[-?:][a-c :#-]{0,4}",
                1 => "[a-c ]{0,3}[:#][a-c ]{0,3}",
                1 => tricky,
            ]
        };
        let indent = prop::sample::select(vec!["", " ", "  ", "   "]);
        let entry = prop_oneof![
            5 => (key.clone(), blank.clone(), value()).prop_map(|(k, b, v)| format!("{k}:{b}{v}")),
            3 => (key.clone(), prop::sample::select(vec!["", " ", "  "]), indent.clone(), prop::collection::vec((blank, value()), 1..4))
                .prop_map(|(k, trailing, i, items)| {
                    let mut entry = format!("{k}:{trailing}");
                    for (b, v) in items {
                        entry.push_str(&format!("\n{i}-{b}{v}"));
                    }
                    entry
                }),
            1 => (indent, key, value()).prop_map(|(i, k, v)| format!("{i}{k}: {v}")),
            1 => prop::sample::select(vec!["", "  ", "# c", "  # c", "---", "...", "a: b #c", "a:  x  ", "- x"])
                .prop_map(str::to_owned),
        ];
        (
            prop::collection::vec(entry, 0..6),
            prop::bool::weighted(0.05),
        )
            .prop_map(|(lines, crlf)| {
                let mut source = lines.join("\n");
                if crlf {
                    source = source.replace('\n', "\r\n");
                }
                source.push('\n');
                source
            })
    }

    proptest! {
        #[test]
        fn printable_reads_the_bytes_as_the_characters_read(text in "\\PC*|[\u{0}-\u{a0}\u{2027}-\u{202a}\u{feff}\u{fffd}-\u{ffff}]*") {
            let by_char = text.chars().all(|c| {
                c == '\n'
                    || !(c.is_control()
                        || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}' | '\u{2028}' | '\u{2029}'))
            });
            prop_assert_eq!(printable(&text), by_char);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn what_the_subset_reads_saphyr_reads_alike(source in front_matter()) {
            if let (Some(subset), saphyr) = both(&source) {
                prop_assert_eq!(subset, saphyr, "{:?}", source);
            }
        }
    }

    /// Every YAML front matter of the shared corpus and sites (skipped without
    /// them): read alike wherever the subset reads it, and most read by the subset.
    /// `SHOW_REJECTED=1` prints those left to saphyr, to see what the subset could take.
    #[test]
    fn the_shared_posts_are_read_alike() {
        let shared = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared"));
        let shared = if shared.is_dir() {
            shared.to_path_buf()
        } else {
            Path::new("/work/shared").to_path_buf()
        };
        let mut posts = Vec::new();
        for dir in ["corpus", "sites"] {
            let mut stack = vec![shared.join(dir)];
            while let Some(dir) = stack.pop() {
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                for entry in entries.flatten() {
                    let path = entry.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if path.extension().is_some_and(|ext| ext == "md") {
                        posts.push(path);
                    }
                }
            }
        }
        let (mut yaml, mut in_subset) = (0, 0);
        for path in &posts {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let Some(block) = super::super::locate::fenced(&text) else {
                continue;
            };
            if block.format != super::super::Format::Yaml {
                continue;
            }
            yaml += 1;
            if let Some(subset) = parse(&text, block.content.clone()) {
                in_subset += 1;
                let saphyr = super::super::yaml::parse_with_saphyr(&text, block.content, true);
                assert_eq!(subset, saphyr, "{}", path.display());
            } else if std::env::var_os("SHOW_REJECTED").is_some() {
                eprintln!(
                    "REJECTED {}\n{}",
                    path.display(),
                    &text[block.content.clone()]
                );
            }
        }
        eprintln!("{in_subset} of {yaml} YAML front matters in the subset");
        if yaml > 0 {
            assert!(in_subset * 2 > yaml, "{in_subset} of {yaml} in the subset");
        }
    }
}
