//! Known front-matter keys and their types, per generator and for common themes.
//!
//! The tables live in `data/frontmatter-keys.toml`, compiled into the binary and
//! read once. A key's type comes from `[frontmatter.fields]` first, then from the
//! site generator's table, then from the themes table.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::config::{Config, FieldType, Generator};

/// The type a known key is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    Field(FieldType),
    /// Known, but accepted in any shape (maps, or values themes read several ways).
    Any,
}

/// One table of the data file: key → type.
type Table = HashMap<String, KeyType>;

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
            hexo: Table::new(),
            hugo: Table::new(),
            jekyll: Table::new(),
            themes: Table::new(),
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
            Generator::Plain => None,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_file_parses() {
        let schema = parse_schema(DATA).unwrap();
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
}
