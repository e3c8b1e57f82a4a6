//! Known front-matter keys and their types, per generator and for common themes.
//!
//! The tables live in `data/frontmatter-keys.toml`, compiled into the binary and
//! read once. A key's type comes from `[frontmatter.fields]` first, then from the
//! site generator's table, then from the themes table.

use std::collections::HashMap;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::config::{Config, FieldType, Generator};
use crate::frontmatter::{ScalarStyle, Value};

/// The type a known key is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    Field(FieldType),
    /// Known, but accepted in any shape (maps, or values themes read several ways).
    Any,
}

/// One table of the data file: key → type. FxHash: looked up for every key of
/// every post, SipHash showed in the profile.
type Table = FxHashMap<String, KeyType>;

struct Schema {
    hexo: Table,
    hugo: Table,
    jekyll: Table,
    themes: Table,
}

const DATA: &str = include_str!("../../data/frontmatter-keys.toml");

fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| parse_schema(DATA).unwrap_or_else(|_| Schema::empty()))
}

impl Schema {
    fn empty() -> Schema {
        Schema {
            hexo: Table::default(),
            hugo: Table::default(),
            jekyll: Table::default(),
            themes: Table::default(),
        }
    }

    fn tables(&self) -> [&Table; 4] {
        [&self.hexo, &self.hugo, &self.jekyll, &self.themes]
    }

    fn generator(&self, generator: Generator) -> Option<&Table> {
        match generator {
            Generator::Hexo => Some(&self.hexo),
            Generator::Hugo => Some(&self.hugo),
            Generator::Jekyll => Some(&self.jekyll),
            // Plain Markdown has no generator of its own; its dates are judged the
            // JavaScript way (see `dates::judge`), so its keys are read Hexo's way too.
            Generator::Plain => Some(&self.hexo),
        }
    }
}

fn parse_schema(text: &str) -> Result<Schema, String> {
    let raw: HashMap<String, HashMap<String, String>> =
        toml::from_str(text).map_err(|error| error.to_string())?;
    let mut schema = Schema::empty();
    for (section, keys) in raw {
        let table = match section.as_str() {
            "hexo" => &mut schema.hexo,
            "hugo" => &mut schema.hugo,
            "jekyll" => &mut schema.jekyll,
            "themes" => &mut schema.themes,
            other => return Err(format!("unknown section `{other}`")),
        };
        for (key, name) in keys {
            table.insert(
                key,
                parse_type(&name).ok_or(format!("unknown type `{name}`"))?,
            );
        }
    }
    Ok(schema)
}

fn parse_type(name: &str) -> Option<KeyType> {
    Some(KeyType::Field(match name {
        "any" => return Some(KeyType::Any),
        "string" => FieldType::String,
        "text" => FieldType::Text,
        "date" => FieldType::Date,
        "bool" => FieldType::Bool,
        "integer" => FieldType::Integer,
        "url" => FieldType::Url,
        "string-list" => FieldType::StringList,
        "string-or-list" => FieldType::StringOrList,
        "category-list" => FieldType::CategoryList,
        _ => return None,
    }))
}

/// Looks `key` up in a table; Hugo reads keys case-insensitively.
fn lookup(table: &Table, key: &str, fold_case: bool) -> Option<KeyType> {
    if let Some(found) = table.get(key) {
        return Some(*found);
    }
    if fold_case {
        return table
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(key))
            .map(|(_, found)| *found);
    }
    None
}

/// The type `key` is checked against on this site, if it is known.
pub fn key_type(config: &Config, key: &str) -> Option<KeyType> {
    if let Some(field) = config.frontmatter.fields.get(key) {
        return Some(KeyType::Field(*field));
    }
    let schema = schema();
    let hugo = config.generator == Generator::Hugo;
    schema
        .generator(config.generator)
        .and_then(|table| lookup(table, key, hugo))
        .or_else(|| lookup(&schema.themes, key, hugo))
}

/// Whether any generator, theme convention or the config knows `key`.
pub fn is_known(config: &Config, key: &str) -> bool {
    config.frontmatter.fields.contains_key(key)
        || schema()
            .tables()
            .iter()
            .any(|table| table.contains_key(key))
        || (config.generator == Generator::Hugo && key_type(config, key).is_some())
}

/// Every key the tables and the config know, each once, the site generator's first.
pub fn known_keys(config: &Config) -> Vec<&str> {
    let schema = schema();
    let mut keys: Vec<&str> = Vec::new();
    let own = schema.generator(config.generator);
    let tables = own.into_iter().chain(schema.tables());
    for key in config
        .frontmatter
        .fields
        .keys()
        .map(String::as_str)
        .chain(tables.flat_map(|table| table.keys().map(String::as_str)))
    {
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// Whether `key` holds a date on this site (typed `date` anywhere it is looked up).
pub fn is_date_field(config: &Config, key: &str) -> bool {
    key_type(config, key) == Some(KeyType::Field(FieldType::Date))
}

/// What a value is once YAML (or TOML) has typed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `key:` with nothing, `~`, `null`.
    Null,
    Bool,
    Integer,
    Float,
    /// Any other scalar, quoted or not (plain timestamps included).
    String,
    List,
    Map,
}

impl Shape {
    pub fn describe(self) -> &'static str {
        match self {
            Shape::Null => "nothing",
            Shape::Bool => "a boolean",
            Shape::Integer => "an integer",
            Shape::Float => "a number",
            Shape::String => "a string",
            Shape::List => "a list",
            Shape::Map => "a mapping",
        }
    }
}

/// The shape of `value`. Plain scalars are resolved with YAML 1.2's core schema
/// (what js-yaml and Hugo use); Jekyll's YAML 1.1 also reads `yes`/`no`/`on`/`off`
/// as booleans. TOML's bare values resolve the same way.
pub fn shape_of(value: &Value, generator: Generator) -> Shape {
    match value {
        Value::Empty => Shape::Null,
        Value::Sequence(_) => Shape::List,
        Value::Mapping(_) => Shape::Map,
        Value::Scalar { text, style, .. } => {
            if *style != ScalarStyle::Plain {
                Shape::String
            } else {
                plain_shape(text, generator)
            }
        }
    }
}

fn plain_shape(text: &str, generator: Generator) -> Shape {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Shape::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => return Shape::Bool,
        _ => {}
    }
    // Psych's YAML 1.1 booleans (any case); `y` and `n` stay strings there.
    // Compared without a lower-cased copy: every plain scalar of a post comes here.
    let is = |word: &str| text.eq_ignore_ascii_case(word);
    if generator == Generator::Jekyll && (is("yes") || is("no") || is("on") || is("off")) {
        return Shape::Bool;
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let bytes = unsigned.as_bytes();
    if !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit) {
        return Shape::Integer;
    }
    let hex_or_octal = unsigned
        .strip_prefix("0x")
        .map(|digits| digits.bytes().all(|b| b.is_ascii_hexdigit()))
        .or_else(|| {
            unsigned
                .strip_prefix("0o")
                .map(|digits| digits.bytes().all(|b| (b'0'..=b'7').contains(&b)))
        });
    if hex_or_octal == Some(true) && unsigned.len() > 2 {
        return Shape::Integer;
    }
    let is_float = unsigned.eq_ignore_ascii_case(".inf")
        || unsigned.eq_ignore_ascii_case(".nan")
        || (unsigned.bytes().any(|b| b.is_ascii_digit())
            && unsigned.parse::<f64>().is_ok()
            && unsigned
                .bytes()
                .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b)));
    if is_float {
        return Shape::Float;
    }
    Shape::String
}

/// Whether a value of `shape` (with its items) fits `field`.
pub fn fits(field: FieldType, value: &Value, generator: Generator) -> bool {
    let shape = shape_of(value, generator);
    let scalar = |shape: Shape| !matches!(shape, Shape::List | Shape::Map);
    let items_fit = |check: &dyn Fn(&Value) -> bool| match value {
        Value::Sequence(items) => items.iter().all(|item| check(&item.value)),
        _ => true,
    };
    match shape {
        // Empty values are FM011's business.
        Shape::Null => true,
        _ => match field {
            FieldType::String | FieldType::Text => scalar(shape),
            FieldType::Date => shape == Shape::String,
            FieldType::Bool => shape == Shape::Bool,
            FieldType::Integer => {
                shape == Shape::Integer
                    || (shape == Shape::String && value_text(value).parse::<i64>().is_ok())
            }
            // Themes hide a picture with `cover: false`.
            FieldType::Url => {
                shape == Shape::String || (shape == Shape::Bool && value_text(value) == "false")
            }
            FieldType::StringList => {
                shape == Shape::List && items_fit(&|item: &Value| scalar(shape_of(item, generator)))
            }
            FieldType::StringOrList => match shape {
                Shape::List => items_fit(&|item: &Value| scalar(shape_of(item, generator))),
                other => scalar(other),
            },
            FieldType::CategoryList => match value {
                Value::Sequence(items) => items.iter().all(|item| match &item.value {
                    Value::Sequence(path) => path
                        .iter()
                        .all(|segment| scalar(shape_of(&segment.value, generator))),
                    other => scalar(shape_of(other, generator)),
                }),
                _ => scalar(shape),
            },
        },
    }
}

/// The decoded text of a scalar; empty for anything else.
pub fn value_text(value: &Value) -> &str {
    match value {
        Value::Scalar { text, .. } => text,
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_file_parses() {
        let schema = parse_schema(DATA).expect("data file parses");
        assert!(schema.hexo.len() > 10 && schema.hugo.len() > 20 && schema.themes.len() > 40);
        assert!(parse_schema("[hexo]\ntitle = \"colour\"\n").is_err());
    }

    #[test]
    fn types_follow_generator_then_themes_then_config() {
        let mut config = Config {
            generator: Generator::Hexo,
            ..Config::default()
        };
        assert_eq!(
            key_type(&config, "published"),
            Some(KeyType::Field(FieldType::Bool))
        );
        assert_eq!(
            key_type(&config, "headimg"),
            Some(KeyType::Field(FieldType::Url))
        );
        config.generator = Generator::Hugo;
        assert!(is_date_field(&config, "published"));
        assert!(is_date_field(&config, "PublishDate"));
        config.generator = Generator::Jekyll;
        assert_eq!(key_type(&config, "image"), Some(KeyType::Any));
        config
            .frontmatter
            .fields
            .insert("image".into(), FieldType::Url);
        assert_eq!(
            key_type(&config, "image"),
            Some(KeyType::Field(FieldType::Url))
        );
        assert!(is_known(&config, "lastmod"));
        assert!(!is_known(&config, "catagories"));
    }

    fn scalar(text: &str, style: ScalarStyle) -> Value {
        Value::Scalar {
            text: text.into(),
            style,
            raw_range: 0..0,
        }
    }

    fn list(items: Vec<Value>) -> Value {
        Value::Sequence(
            items
                .into_iter()
                .map(|value| crate::frontmatter::Node { range: 0..0, value })
                .collect(),
        )
    }

    #[test]
    fn plain_scalars_resolve_like_yaml() {
        use ScalarStyle::*;
        let hexo = Generator::Hexo;
        assert_eq!(shape_of(&scalar("false", Plain), hexo), Shape::Bool);
        assert_eq!(
            shape_of(&scalar("false", SingleQuoted), hexo),
            Shape::String
        );
        assert_eq!(shape_of(&scalar("no", Plain), hexo), Shape::String);
        assert_eq!(
            shape_of(&scalar("no", Plain), Generator::Jekyll),
            Shape::Bool
        );
        assert_eq!(shape_of(&scalar("-12", Plain), hexo), Shape::Integer);
        assert_eq!(shape_of(&scalar("0x1F", Plain), hexo), Shape::Integer);
        assert_eq!(shape_of(&scalar("1.5e3", Plain), hexo), Shape::Float);
        assert_eq!(shape_of(&scalar("2022-06-14", Plain), hexo), Shape::String);
        assert_eq!(shape_of(&scalar("~", Plain), hexo), Shape::Null);
        assert_eq!(shape_of(&scalar("科技", Plain), hexo), Shape::String);
        assert_eq!(shape_of(&scalar("-.INF", Plain), hexo), Shape::Float);
        assert_eq!(shape_of(&scalar(".NaN", Plain), hexo), Shape::Float);
        assert_eq!(shape_of(&scalar(".nano", Plain), hexo), Shape::String);
        let jekyll = Generator::Jekyll;
        assert_eq!(shape_of(&scalar("OFF", Plain), jekyll), Shape::Bool);
        assert_eq!(shape_of(&scalar("Yes", Plain), jekyll), Shape::Bool);
        assert_eq!(shape_of(&scalar("yess", Plain), jekyll), Shape::String);
    }

    #[test]
    fn fits_checks_items_too() {
        use ScalarStyle::*;
        let hexo = Generator::Hexo;
        let nested = list(vec![
            scalar("金融", Plain),
            list(vec![scalar("科技", Plain), scalar("AI", Plain)]),
        ]);
        assert!(fits(FieldType::CategoryList, &nested, hexo));
        assert!(!fits(FieldType::StringOrList, &nested, hexo));
        assert!(fits(FieldType::StringOrList, &scalar("a", Plain), hexo));
        assert!(!fits(FieldType::StringList, &scalar("a", Plain), hexo));
        assert!(!fits(FieldType::Bool, &scalar("false", DoubleQuoted), hexo));
        assert!(fits(FieldType::Url, &scalar("false", Plain), hexo));
        assert!(!fits(FieldType::Url, &scalar("true", Plain), hexo));
        assert!(!fits(FieldType::Date, &scalar("20220614", Plain), hexo));
        assert!(fits(FieldType::Integer, &scalar("3", SingleQuoted), hexo));
        assert!(!fits(FieldType::String, &list(vec![]), hexo));
    }
}
