//! The client's settings (`initializationOptions`, `workspace/didChangeConfiguration`,
//! same keys as `copydesk.toml`) as an overlay for the shared resolver
//! ([`crate::resolve`]), under the site's `copydesk.toml`, which wins.

use crate::resolve::Overlay;

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

/// The overlay the client's settings make, or why they make none.
pub fn overlay(settings: Option<&serde_json::Value>) -> Result<Option<Overlay>, String> {
    let Some(section) = settings.and_then(client_section) else {
        return Ok(None);
    };
    let toml = json_to_toml(section).map_err(|message| format!("client settings: {message}"))?;
    Ok(Some(Overlay {
        source: "client settings".to_owned(),
        toml,
    }))
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
    fn client_settings_become_toml() {
        let client = serde_json::json!({
            "copydesk": { "content": ["posts"], "exclude": null, "taxonomy": { "tags": ["a"] } }
        });
        let made = overlay(Some(&client))
            .expect("valid")
            .expect("some settings");
        let table: toml::Table = toml::from_str(&made.toml).expect("TOML");
        assert_eq!(table["content"].as_array().map(Vec::len), Some(1));
        assert!(!table.contains_key("exclude"));
        assert!(overlay(Some(&serde_json::json!(["x"]))).is_err());
    }
}
