//! TOML front matter (`+++`, Hugo) through the `toml` crate's spanned document
//! tree. Spans are bytes already; entries are put back in file order.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Entry, Node, Parsed, ScalarStyle, SyntaxError, Value, inside_quotes};

/// Parses TOML `content` (a range of the post `text`).
pub(crate) fn parse(text: &str, content: Range<usize>) -> Parsed {
    let source = text.get(content.clone()).unwrap_or("");
    let (table, errors) = DeTable::parse_recoverable(source);
    let base = content.start;
    let error = errors.first().map(|error| {
        let span = error.span().unwrap_or(0..0);
        SyntaxError {
            range: base + span.start..base + span.end,
            message: error.message().to_owned(),
        }
    });
    let span = table.span();
    let root = Node {
        range: base + span.start..base + span.end,
        value: Value::Mapping(entries(text, base, table.get_ref())),
    };
    Parsed {
        root: Some(root),
        error,
    }
}

fn entries(text: &str, base: usize, table: &DeTable<'_>) -> Vec<Entry> {
    let mut entries: Vec<Entry> = table
        .iter()
        .map(|(key, value)| {
            let span = key.span();
            Entry {
                key: key.get_ref().to_string(),
                key_range: base + span.start..base + span.end,
                value: node(text, base, value),
            }
        })
        .collect();
    entries.sort_by_key(|entry| entry.key_range.start);
    entries
}

fn node(text: &str, base: usize, value: &Spanned<DeValue<'_>>) -> Node {
    let span = value.span();
    let range = base + span.start..base + span.end;
    let raw = text.get(range.clone()).unwrap_or("");
    let value = match value.get_ref() {
        DeValue::String(string) => {
            let (style, quote) = if raw.starts_with("'''") {
                (ScalarStyle::SingleQuoted, "'''")
            } else if raw.starts_with("\"\"\"") {
                (ScalarStyle::DoubleQuoted, "\"\"\"")
            } else if raw.starts_with('\'') {
                (ScalarStyle::SingleQuoted, "'")
            } else if raw.starts_with('"') {
                (ScalarStyle::DoubleQuoted, "\"")
            } else {
                (ScalarStyle::Plain, "")
            };
            Value::Scalar {
                text: string.to_string(),
                style,
                raw_range: inside_quotes(text, range.clone(), quote),
            }
        }
        DeValue::Integer(_) | DeValue::Float(_) | DeValue::Boolean(_) | DeValue::Datetime(_) => {
            Value::Scalar {
                text: raw.to_owned(),
                style: ScalarStyle::Plain,
                raw_range: range.clone(),
            }
        }
        DeValue::Array(items) => {
            Value::Sequence(items.iter().map(|item| node(text, base, item)).collect())
        }
        DeValue::Table(table) => Value::Mapping(entries(text, base, table)),
    };
    Node { range, value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hugo_front_matter_with_spans() {
        let text =
            "+++\ntitle = \"标题 🚀\"\ndate = 2022-06-14T15:00:49Z\ntags = ['a', \"b\"]\n+++\n";
        let parsed = parse(text, 4..text.len() - 4);
        assert_eq!(parsed.error, None);
        let Some(Value::Mapping(entries)) = parsed.root.map(|n| n.value) else {
            panic!("no mapping")
        };
        let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["title", "date", "tags"]);
        assert_eq!(&text[entries[0].key_range.clone()], "title");
        assert_eq!(&text[entries[0].value.range.clone()], "\"标题 🚀\"");
        let Value::Scalar { raw_range, .. } = &entries[0].value.value else {
            panic!("title not a scalar")
        };
        assert_eq!(&text[raw_range.clone()], "标题 🚀");
        assert_eq!(
            &text[entries[1].value.range.clone()],
            "2022-06-14T15:00:49Z"
        );
        let Value::Sequence(tags) = &entries[2].value.value else {
            panic!("tags not a list")
        };
        assert_eq!(&text[tags[0].range.clone()], "'a'");
    }

    #[test]
    fn reports_errors_with_position() {
        let text = "title = \"x\"\ndate = \n";
        let parsed = parse(text, 0..text.len());
        let error = parsed.error.expect("error");
        assert!(error.range.start >= text.find("date").expect("date"));
    }

    #[test]
    fn tables_and_arrays_of_tables() {
        let text = "title = 'x'\nauthor = { name = \"张三\" }\n[params]\ncover = \"a.png\"\n[[links]]\nurl = \"u\"\n";
        let parsed = parse(text, 0..text.len());
        assert_eq!(parsed.error, None);
        let Some(Value::Mapping(entries)) = parsed.root.map(|n| n.value) else {
            panic!("no mapping")
        };
        let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["title", "author", "params", "links"]);
        let Value::Mapping(author) = &entries[1].value.value else {
            panic!("author not a table")
        };
        assert_eq!(&text[author[0].value.range.clone()], "\"张三\"");
        let Value::Mapping(params) = &entries[2].value.value else {
            panic!("params not a table")
        };
        assert_eq!(&text[params[0].key_range.clone()], "cover");
        assert_eq!(&text[params[0].value.range.clone()], "\"a.png\"");
        let Value::Sequence(links) = &entries[3].value.value else {
            panic!("links not an array")
        };
        let Value::Mapping(link) = &links[0].value else {
            panic!("link not a table")
        };
        assert_eq!(&text[link[0].value.range.clone()], "\"u\"");
    }
}
