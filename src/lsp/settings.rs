//! Settings: the client's (`initializationOptions`, `workspace/didChangeConfiguration`,
//! same keys as `copydesk.toml`) overlaid by the site's `copydesk.toml`, which wins.

use std::path::Path;

use crate::config::{Config, ConfigError};

pub use crate::workspace::CONFIG_FILE;

/// Client settings may come bare or under a `copydesk` key (VS Code's section).
pub fn client_section(settings: &serde_json::Value) -> Option<&serde_json::Value> {
    match settings {
        serde_json::Value::Null => None,
        serde_json::Value::Object(map) if map.contains_key("copydesk") => map.get("copydesk"),
        serde_json::Value::Object(map) if map.is_empty() => None,
        // Lua clients encode an empty table as `[]`.
        serde_json::Value::Array(items) if items.is_empty() => None,
        other => Some(other),
    }
}

/// Builds the configuration: what the site implies (`base`: generator, content roots,
/// Hexo settings), then client settings, then `copydesk.toml`. Errors name their
/// source and position; the caller shows them and keeps what loaded.
pub fn build(
    base: Config,
    client: Option<&serde_json::Value>,
    config_file: Option<(&Path, &str)>,
) -> (Config, Vec<String>) {
    let codes = crate::rules::codes();
    let detected = (base.generator, base.content.clone());
    let mut config = base;
    let mut errors = Vec::new();
    if let Some(settings) = client.and_then(client_section) {
        match json_to_toml(settings) {
            Ok(text) => {
                if let Err(error) = config.merge_toml(&text, &codes) {
                    errors.push(format!("client settings: {}", error.message));
                }
            }
            Err(message) => errors.push(format!("client settings: {message}")),
        }
    }
    if let Some((path, text)) = config_file {
        let mut with_file = config.clone();
        match with_file.merge_toml(text, &codes) {
            Ok(()) => config = with_file,
            Err(ConfigError {
                line,
                column,
                message,
            }) => errors.push(format!("{}:{line}:{column}: {message}", path.display())),
        }
    }
    // A generator named in the settings brings its own content roots unless they
    // are named too.
    if config.generator != detected.0 && config.content == detected.1 {
        config.content = crate::workspace::generator_content(config.generator)
            .iter()
            .map(|root| (*root).to_owned())
            .collect();
    }
    // FM006 inserts `date: <now>`; the clock is read when the settings are (re)built.
    config.now = Some(jiff::Zoned::now());
    (config, errors)
}

fn json_to_toml(settings: &serde_json::Value) -> Result<String, String> {
    let value = toml::Value::try_from(strip_nulls(settings)).map_err(|e| e.to_string())?;
    match value {
        toml::Value::Table(table) => toml::to_string(&table).map_err(|e| e.to_string()),
        _ => Err("expected an object with copydesk.toml keys".to_owned()),
    }
}

/// TOML has no null: an unset setting is simply absent.
fn strip_nulls(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => serde_json::Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), strip_nulls(v)))
                .collect(),
        ),
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.iter().map(strip_nulls).collect())
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_settings_in_any_encoding_are_no_settings() {
        for empty in [
            serde_json::json!(null),
            serde_json::json!({}),
            serde_json::json!([]),
        ] {
            assert_eq!(client_section(&empty), None);
        }
    }

    #[test]
    fn config_file_wins_over_client_settings() {
        let client = serde_json::json!({
            "copydesk": { "content": ["posts"], "exclude": null, "taxonomy": { "tags": ["a"] } }
        });
        let file = "content = [\"source/_posts\"]\n";
        let (config, errors) = build(
            Config::default(),
            Some(&client),
            Some((Path::new("copydesk.toml"), file)),
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(config.content, ["source/_posts"]);
        assert_eq!(config.taxonomy.tags, Some(vec!["a".to_owned()]));
    }

    #[test]
    fn bad_settings_are_reported_not_fatal() {
        let client = serde_json::json!({ "frontmatter": { "nonsense": 1 } });
        let (config, errors) = build(Config::default(), Some(&client), None);
        assert_eq!(errors.len(), 1);
        assert!(config.content.is_empty());
    }
}
