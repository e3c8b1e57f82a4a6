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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
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

/// Front-matter requirements.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrontMatterConfig {
    /// Keys every post must have (FM006). Default: the generator's.
    pub required: Option<Vec<String>>,
    /// Types of front-matter fields (FM007), e.g. { "thumbnail": "url" }.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldType>,
}

/// Closed vocabularies (FM013). When a list is absent, the vocabulary is what the site uses.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    /// Allowed top-level categories.
    pub categories: Option<Vec<String>>,
    /// Allowed tags.
    pub tags: Option<Vec<String>>,
    /// Allowed authors.
    pub authors: Option<Vec<String>>,
}

/// Additions to the built-in pattern lists of the leftover-markup rules (they never replace them).
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkupConfig {
    /// Class names of ad blocks (MK002).
    #[serde(default)]
    pub ad_classes: Vec<String>,
    /// URL query parameters that only track (MK005).
    #[serde(default)]
    pub tracking_params: Vec<String>,
    /// Hosts of tracking pixels and scripts (MK006).
    #[serde(default)]
    pub tracker_hosts: Vec<String>,
    /// Reprint and subscription boilerplate sentences (MK008).
    #[serde(default)]
    pub boilerplate: Vec<String>,
    /// HTML comments a CMS leaves behind (MK001).
    #[serde(default)]
    pub cms_comments: Vec<String>,
    /// Hosts whose iframes are content (video players), not leftovers (MK003).
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
    /// `[per-file-ignores]`: a glob (relative to the site root) and the rule codes,
    /// prefixes or names it turns off, in file order.
    pub per_file_ignores: Vec<(String, Vec<String>)>,
}

// `copydesk.toml` as written; its JSON Schema ([`json_schema`]) is derived from
// this type and its doc comments, so the schema editors use is what the parser accepts.
/// copydesk settings for a static site. Every key is optional: without them
/// copydesk detects the generator and uses its conventions.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// The static-site generator whose conventions apply (content roots, known keys,
    /// date formats). Default: detected from the site.
    // `default`: with `schema_with`, schemars would otherwise list it as required.
    #[serde(default)]
    #[schemars(schema_with = "generator_schema")]
    generator: Option<toml::Spanned<String>>,
    /// Folders to index and check, relative to the site root. Default: the
    /// generator's content folders.
    content: Option<Vec<String>>,
    /// Glob patterns of posts not to check, relative to the site root.
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    frontmatter: FrontMatterConfig,
    #[serde(default)]
    taxonomy: TaxonomyConfig,
    /// Rule severities by rule code, prefix or name, e.g. { "MK011": "off",
    /// "boilerplate": "warning" }.
    #[serde(default)]
    #[schemars(schema_with = "rules_schema")]
    rules: BTreeMap<toml::Spanned<String>, toml::Spanned<String>>,
    #[serde(default)]
    markup: MarkupConfig,
    /// Rules turned off for the posts matching a glob (relative to the site root;
    /// `*` stays in one folder, `**` crosses folders): rule codes, prefixes or
    /// names, e.g. `{"source/_posts/archive/**": ["MK", "FM009"]}`.
    #[serde(default, rename = "per-file-ignores")]
    #[schemars(with = "BTreeMap<String, Vec<String>>")]
    per_file_ignores: BTreeMap<toml::Spanned<String>, Vec<toml::Spanned<String>>>,
}

const GENERATORS: [Generator; 4] = [
    Generator::Hexo,
    Generator::Hugo,
    Generator::Jekyll,
    Generator::Plain,
];

const SEVERITIES: [Severity; 5] = [
    Severity::Off,
    Severity::Hint,
    Severity::Info,
    Severity::Warning,
    Severity::Error,
];

fn generator_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let names: Vec<&str> = GENERATORS
        .iter()
        .map(|generator| generator.name())
        .collect();
    schemars::json_schema!({ "type": "string", "enum": names })
}

fn rules_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let names: Vec<&str> = SEVERITIES
        .iter()
        .map(|severity| severity.as_str())
        .collect();
    schemars::json_schema!({
        "type": "object",
        "additionalProperties": { "type": "string", "enum": names }
    })
}

/// TOML has no null: an optional key is simply absent, so `Option`'s `"null"` type
/// is left out of the schema; descriptions become one line (a doc comment's line
/// breaks are not paragraph breaks in an editor's hover).
fn tidy_for_editors(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(description)) = map.get_mut("description") {
                *description = description.split_whitespace().collect::<Vec<_>>().join(" ");
            }
            if let Some(serde_json::Value::Array(types)) = map.get_mut("type") {
                types.retain(|kind| kind != "null");
                if let [only] = types.as_slice() {
                    let only = only.clone();
                    map.insert("type".to_owned(), only);
                }
            }
            map.values_mut().for_each(tidy_for_editors);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(tidy_for_editors),
        _ => {}
    }
}

/// The JSON Schema of `copydesk.toml` (draft-07, every subschema inline, which
/// VS Code's settings and its TOML extensions read best), generated from the
/// types the parser reads.
pub fn json_schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft07()
        .with(|settings| settings.inline_subschemas = true)
        .into_generator();
    let mut schema = generator.into_root_schema_for::<ConfigFile>().to_value();
    tidy_for_editors(&mut schema);
    if let Some(root) = schema.as_object_mut() {
        root.insert(
            "$id".to_owned(),
            format!("{}/copydesk.schema.json", crate::REPOSITORY_URL).into(),
        );
        root.insert("title".to_owned(), "copydesk.toml".into());
    }
    schema
}

/// The keys `copydesk.toml` accepts, per table, for "did you mean".
const KNOWN_KEYS: &[&str] = &[
    "generator",
    "content",
    "exclude",
    "frontmatter",
    "taxonomy",
    "rules",
    "markup",
    "per-file-ignores",
    "required",
    "fields",
    "categories",
    "tags",
    "authors",
    "ad_classes",
    "tracking_params",
    "tracker_hosts",
    "boilerplate",
    "cms_comments",
    "allowed_iframe_hosts",
];

/// A rule as settings may name it: by code, code prefix or name.
#[derive(Clone, Copy, Debug)]
pub struct RuleKey<'a> {
    pub code: &'a str,
    pub name: &'a str,
}

impl RuleKey<'_> {
    /// `MK008`, `mk008`, a prefix (`MK`, `FM01`) or the name (`boilerplate`).
    pub fn matches(&self, pattern: &str) -> bool {
        let pattern = pattern.trim();
        (!pattern.is_empty()
            && pattern.is_ascii()
            && self.code.len() >= pattern.len()
            && self.code[..pattern.len()].eq_ignore_ascii_case(pattern))
            || (!self.name.is_empty() && self.name.eq_ignore_ascii_case(pattern))
    }
}

/// The closest of `candidates` to `word`, when close enough to be a typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| {
            (
                strsim::jaro_winkler(&word.to_ascii_lowercase(), &candidate.to_ascii_lowercase()),
                candidate,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

fn suggestion(word: &str, candidates: impl IntoIterator<Item = &'static str>) -> String {
    did_you_mean(word, candidates)
        .map_or_else(String::new, |hint| format!(" (did you mean `{hint}`?)"))
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

/// A `[per-file-ignores]` glob, matched against a post's site-relative path (`*`
/// stays inside one folder, `**` crosses folders).
pub fn compile_glob(glob: &str) -> Result<globset::GlobMatcher, globset::Error> {
    globset::GlobBuilder::new(glob)
        .literal_separator(true)
        .build()
        .map(|glob| glob.compile_matcher())
}

impl Config {
    /// Applies the settings of a `copydesk.toml` on top of `self` (the generator's
    /// defaults); rules are named by code or prefix only.
    pub fn merge_toml(&mut self, text: &str, known_codes: &[&str]) -> Result<(), ConfigError> {
        let rules: Vec<RuleKey> = known_codes
            .iter()
            .map(|code| RuleKey { code, name: "" })
            .collect();
        self.merge_toml_with_rules(text, &rules)
    }

    /// Applies the settings of a `copydesk.toml`; rules are named by code, prefix or
    /// name. Every error points at the offending key or value (the parser's spans).
    pub fn merge_toml_with_rules(
        &mut self,
        text: &str,
        known: &[RuleKey],
    ) -> Result<(), ConfigError> {
        let file: ConfigFile = toml::from_str(text).map_err(|error| {
            let offset = error.span().map_or(0, |span| span.start);
            let mut message = error.message().trim().to_owned();
            if let Some(unknown) = unknown_field(&message) {
                message = format!(
                    "unknown key `{unknown}`{}",
                    suggestion(&unknown, KNOWN_KEYS.iter().copied())
                );
            }
            ConfigError::at(text, offset, message)
        })?;
        let unknown_rule = |key: &toml::Spanned<String>| {
            let word = key.get_ref();
            let hint = did_you_mean(word, known.iter().flat_map(|rule| [rule.code, rule.name]))
                .map_or_else(String::new, |hint| format!(" (did you mean `{hint}`?)"));
            ConfigError::at(
                text,
                key.span().start,
                format!("unknown rule code, prefix or name `{word}`{hint}"),
            )
        };
        for (key, severity) in &file.rules {
            let matching: Vec<&RuleKey> = known
                .iter()
                .filter(|rule| rule.matches(key.get_ref()))
                .collect();
            if matching.is_empty() {
                return Err(unknown_rule(key));
            }
            let Some(parsed) = Severity::parse(severity.get_ref()) else {
                return Err(ConfigError::at(
                    text,
                    severity.span().start,
                    format!(
                        "invalid severity `{}`: expected off, hint, info, warning or error{}",
                        severity.get_ref(),
                        suggestion(
                            severity.get_ref(),
                            ["off", "hint", "info", "warning", "error"]
                        )
                    ),
                ));
            };
            for rule in matching {
                self.rules.insert(rule.code.to_owned(), parsed);
            }
        }
        for (glob, patterns) in &file.per_file_ignores {
            if let Err(error) = compile_glob(glob.get_ref()) {
                return Err(ConfigError::at(
                    text,
                    glob.span().start,
                    format!(
                        "invalid [per-file-ignores] glob `{}`: {}",
                        glob.get_ref(),
                        error.kind()
                    ),
                ));
            }
            for pattern in patterns {
                if !known.iter().any(|rule| rule.matches(pattern.get_ref())) {
                    return Err(unknown_rule(pattern));
                }
            }
            self.per_file_ignores.push((
                glob.get_ref().clone(),
                patterns.iter().map(|p| p.get_ref().clone()).collect(),
            ));
        }
        if let Some(generator) = &file.generator {
            self.generator = match generator.get_ref().as_str() {
                "hexo" => Generator::Hexo,
                "hugo" => Generator::Hugo,
                "jekyll" => Generator::Jekyll,
                "plain" => Generator::Plain,
                other => {
                    return Err(ConfigError::at(
                        text,
                        generator.span().start,
                        format!(
                            "unknown generator `{other}`: expected hexo, hugo, jekyll or plain{}",
                            suggestion(other, ["hexo", "hugo", "jekyll", "plain"])
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

/// `X` of serde's "unknown field `X`, expected ..." message.
fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest[..rest.find('`')?].to_owned())
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

    const RULES: &[RuleKey] = &[
        RuleKey {
            code: "MK008",
            name: "boilerplate",
        },
        RuleKey {
            code: "MK001",
            name: "cms-comment",
        },
        RuleKey {
            code: "FM010",
            name: "unknown-category",
        },
    ];

    #[test]
    fn positions_come_from_the_parser_never_from_a_text_search() {
        let mut config = Config::default();
        // The misspelt code also appears in a comment above the key.
        let text = "# MK00X is not a code\n[rules]\nMK00X = \"off\"\n";
        let error = config
            .merge_toml_with_rules(text, RULES)
            .expect_err("unknown code");
        assert_eq!((error.line, error.column), (3, 1), "{error}");
        assert!(
            error.message.contains("did you mean `MK00"),
            "{}",
            error.message
        );
        let text = "# generator = \"hugo\"\ngenerator = \"hugoo\"\n";
        let error = config
            .merge_toml_with_rules(text, RULES)
            .expect_err("unknown generator");
        assert_eq!((error.line, error.column), (2, 13), "{error}");
        assert!(
            error.message.contains("did you mean `hugo`"),
            "{}",
            error.message
        );
        let error = config
            .merge_toml_with_rules("contnet = []\n", RULES)
            .expect_err("typo");
        assert!(
            error.message.contains("did you mean `content`"),
            "{}",
            error.message
        );
        let error = config
            .merge_toml_with_rules("[rules]\nMK008 = \"warnign\"\n", RULES)
            .expect_err("typo");
        assert!(
            error.message.contains("did you mean `warning`"),
            "{}",
            error.message
        );
    }

    #[test]
    fn rules_accept_codes_names_and_prefixes() {
        let mut config = Config::default();
        let text = "[rules]\nboilerplate = \"off\"\nmk001 = \"error\"\nFM = \"hint\"\n";
        config.merge_toml_with_rules(text, RULES).expect("valid");
        assert_eq!(config.rules["MK008"], Severity::Off);
        assert_eq!(config.rules["MK001"], Severity::Error);
        assert_eq!(config.rules["FM010"], Severity::Hint);
    }

    #[test]
    fn per_file_ignores_are_read_and_checked() {
        let mut config = Config::default();
        let text =
            "[per-file-ignores]\n\"source/_posts/archive/**\" = [\"MK\", \"unknown-category\"]\n";
        config.merge_toml_with_rules(text, RULES).expect("valid");
        assert_eq!(config.per_file_ignores.len(), 1);
        assert_eq!(config.per_file_ignores[0].1, ["MK", "unknown-category"]);
        let error = config
            .merge_toml_with_rules("[per-file-ignores]\n\"a/**\" = [\"ZZ9\"]\n", RULES)
            .expect_err("unknown code");
        assert_eq!((error.line, error.column), (2, 11), "{error}");
    }
}
