//! Settings: `copydesk.toml` (parsed here, from text) plus what the site's generator implies.
//!
//! Finding the file and detecting the generator is I/O and lives in `workspace`.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::line_index::{Encoding, LineIndex};

/// The static-site generator whose conventions apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Generator {
    Hexo,
    Hugo,
    Jekyll,
    #[default]
    Plain,
}

impl Generator {
    pub fn name(self) -> &'static str {
        match self {
            Generator::Hexo => "hexo",
            Generator::Hugo => "hugo",
            Generator::Jekyll => "jekyll",
            Generator::Plain => "plain",
        }
    }
}

/// Types a front-matter field can be declared with in `[frontmatter.fields]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldType {
    String,
    Text,
    Date,
    Bool,
    Integer,
    Url,
    StringList,
    StringOrList,
    CategoryList,
}

impl FieldType {
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Text => "text",
            FieldType::Date => "date",
            FieldType::Bool => "bool",
            FieldType::Integer => "integer",
            FieldType::Url => "url",
            FieldType::StringList => "string-list",
            FieldType::StringOrList => "string-or-list",
            FieldType::CategoryList => "category-list",
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatterConfig {
    /// Keys every post must have; `None` means the generator's default.
    pub required: Option<Vec<String>>,
    #[serde(default)]
    pub fields: BTreeMap<String, FieldType>,
}

/// Closed vocabularies; `None` means "whatever the site uses".
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    pub categories: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
    pub authors: Option<Vec<String>>,
}

/// Additions to the built-in pattern lists.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkupConfig {
    #[serde(default)]
    pub ad_classes: Vec<String>,
    #[serde(default)]
    pub tracking_params: Vec<String>,
    #[serde(default)]
    pub tracker_hosts: Vec<String>,
    #[serde(default)]
    pub boilerplate: Vec<String>,
    #[serde(default)]
    pub cms_comments: Vec<String>,
    #[serde(default)]
    pub allowed_iframe_hosts: Vec<String>,
}

/// Everything the analysis needs to know about the site besides its posts.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub generator: Generator,
    pub content: Vec<String>,
    pub exclude: Vec<String>,
    pub frontmatter: FrontMatterConfig,
    pub taxonomy: TaxonomyConfig,
    pub rules: BTreeMap<String, Severity>,
    pub markup: MarkupConfig,
    /// The current time in the site's time zone, filled by the shells (the core has
    /// no clock). FM006 inserts it as a missing `date`; `None` means no such fix.
    pub now: Option<jiff::Zoned>,
}

/// `copydesk.toml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    generator: Option<String>,
    content: Option<Vec<String>>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    frontmatter: FrontMatterConfig,
    #[serde(default)]
    taxonomy: TaxonomyConfig,
    #[serde(default)]
    rules: BTreeMap<String, toml::Spanned<String>>,
    #[serde(default)]
    markup: MarkupConfig,
}

/// An invalid setting, with a one-based line and column into the config text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct ConfigError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl ConfigError {
    fn at(text: &str, offset: usize, message: String) -> ConfigError {
        let index = LineIndex::new(text);
        let position = index.position(text, offset, Encoding::Utf32);
        ConfigError {
            line: position.line as usize + 1,
            column: position.col as usize + 1,
            message,
        }
    }
}

impl Config {
    /// Applies the settings of a `copydesk.toml` on top of `self` (the generator's defaults).
    pub fn merge_toml(&mut self, text: &str, known_codes: &[&str]) -> Result<(), ConfigError> {
        let file: ConfigFile = toml::from_str(text).map_err(|error| {
            let offset = error.span().map_or(0, |span| span.start);
            ConfigError::at(text, offset, error.message().trim().to_owned())
        })?;
        for (code, severity) in &file.rules {
            if !known_codes.contains(&code.as_str()) {
                let offset = text.find(code.as_str()).unwrap_or(severity.span().start);
                return Err(ConfigError::at(
                    text,
                    offset,
                    format!("unknown rule code `{code}`"),
                ));
            }
            let Some(parsed) = Severity::parse(severity.get_ref()) else {
                return Err(ConfigError::at(
                    text,
                    severity.span().start,
                    format!(
                        "invalid severity `{}`: expected off, hint, info, warning or error",
                        severity.get_ref()
                    ),
                ));
            };
            self.rules.insert(code.clone(), parsed);
        }
        if let Some(generator) = &file.generator {
            self.generator = match generator.as_str() {
                "hexo" => Generator::Hexo,
                "hugo" => Generator::Hugo,
                "jekyll" => Generator::Jekyll,
                "plain" => Generator::Plain,
                other => {
                    let offset = text.find("generator").unwrap_or(0);
                    return Err(ConfigError::at(
                        text,
                        offset,
                        format!(
                            "unknown generator `{other}`: expected hexo, hugo, jekyll or plain"
                        ),
                    ));
                }
            };
        }
        if let Some(content) = file.content {
            self.content = content;
        }
        self.exclude.extend(file.exclude);
        if file.frontmatter.required.is_some() {
            self.frontmatter.required = file.frontmatter.required;
        }
        self.frontmatter.fields.extend(file.frontmatter.fields);
        let taxonomy = file.taxonomy;
        if taxonomy.categories.is_some() {
            self.taxonomy.categories = taxonomy.categories;
        }
        if taxonomy.tags.is_some() {
            self.taxonomy.tags = taxonomy.tags;
        }
        if taxonomy.authors.is_some() {
            self.taxonomy.authors = taxonomy.authors;
        }
        let markup = file.markup;
        self.markup.ad_classes.extend(markup.ad_classes);
        self.markup.tracking_params.extend(markup.tracking_params);
        self.markup.tracker_hosts.extend(markup.tracker_hosts);
        self.markup.boilerplate.extend(markup.boilerplate);
        self.markup.cms_comments.extend(markup.cms_comments);
        self.markup
            .allowed_iframe_hosts
            .extend(markup.allowed_iframe_hosts);
        Ok(())
    }

    /// The severity a rule runs at: the configured one, else its default.
    pub fn severity(&self, code: &str, default: Severity) -> Severity {
        self.rules.get(code).copied().unwrap_or(default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODES: &[&str] = &["MK008", "FM010"];

    #[test]
    fn reads_every_section() {
        let mut config = Config::default();
        let text = r#"
content = ["source/_posts"]
[frontmatter]
required = ["title", "date"]
[frontmatter.fields]
headimg = "url"
[taxonomy]
categories = ["金融"]
[rules]
MK008 = "off"
[markup]
ad_classes = ["promo-box"]
"#;
        config.merge_toml(text, CODES).expect("valid config");
        assert_eq!(config.content, ["source/_posts"]);
        assert_eq!(config.frontmatter.fields["headimg"], FieldType::Url);
        assert_eq!(config.severity("MK008", Severity::Info), Severity::Off);
        assert_eq!(config.markup.ad_classes, ["promo-box"]);
    }

    #[test]
    fn errors_point_at_line_and_column() {
        let mut config = Config::default();
        let error = config
            .merge_toml("[rules]\nMK008 = \"loud\"\n", CODES)
            .expect_err("invalid config");
        assert_eq!((error.line, error.column), (2, 9));
        let error = config
            .merge_toml("[rules]\nXX999 = \"off\"\n", CODES)
            .expect_err("invalid config");
        assert_eq!((error.line, error.column), (2, 1));
        let error = config
            .merge_toml("contnet = []\n", CODES)
            .expect_err("invalid config");
        assert_eq!(error.line, 1);
        assert!(error.message.contains("contnet"), "{}", error.message);
        let error = config
            .merge_toml("[frontmatter.fields]\nx = \"colour\"\n", CODES)
            .expect_err("invalid config");
        assert_eq!(error.line, 2);
    }
}
