//! The one configuration resolver both shells call: what the site implies (its
//! generator and content roots), then an overlay (the editor's settings), then the
//! site's `copydesk.toml`, which wins. The CLI passes no overlay and stops at the
//! first error; the server shows the errors and keeps what loaded.

use std::path::PathBuf;

use crate::config::{Config, ConfigError, RuleKey};
use crate::workspace::{self, Site, WorkspaceError};

/// Settings laid under `copydesk.toml`, in its own syntax (TOML with the same keys).
#[derive(Clone, Debug)]
pub struct Overlay {
    /// Where the settings come from, for error messages ("client settings").
    pub source: String,
    pub toml: String,
}

/// A resolved site and what went wrong on the way (each source that failed is left out).
pub struct Resolved {
    pub site: Site,
    pub errors: Vec<WorkspaceError>,
}

/// Resolves the settings of the site rooted at `root` (canonical), with its
/// `copydesk.toml` when there is one.
pub fn resolve(root: PathBuf, config_file: Option<PathBuf>, overlay: Option<&Overlay>) -> Resolved {
    let detected = workspace::detect_generator(&root);
    let default_content = workspace::default_content_for(&root, detected);
    let mut config = Config {
        generator: detected,
        content: default_content.clone(),
        ..Config::default()
    };
    let mut errors = Vec::new();
    apply_overlay(&mut config, overlay, &mut errors);
    if let Some(path) = &config_file {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let mut with_file = config.clone();
                match with_file.merge_toml_with_rules(&text, &rule_keys()) {
                    Ok(()) => config = with_file,
                    Err(ConfigError {
                        line,
                        column,
                        message,
                    }) => errors.push(WorkspaceError::Config {
                        path: path.clone(),
                        line,
                        column,
                        message,
                    }),
                }
            }
            Err(error) => errors.push(WorkspaceError::io(path, error)),
        }
    }
    // A generator named in the settings brings its own content roots unless they
    // are named too.
    if config.generator != detected && config.content == default_content {
        config.content = workspace::default_content_for(&root, config.generator);
    }
    Resolved {
        site: Site {
            root,
            config_file,
            config,
        },
        errors,
    }
}

/// The settings of a post outside every site: the defaults under the overlay.
pub fn without_site(overlay: Option<&Overlay>) -> (Config, Vec<WorkspaceError>) {
    let mut config = Config::default();
    let mut errors = Vec::new();
    apply_overlay(&mut config, overlay, &mut errors);
    (config, errors)
}

/// Every rule's code and name: settings accept either.
fn rule_keys() -> Vec<RuleKey<'static>> {
    crate::rules::all()
        .map(|rule| RuleKey {
            code: rule.meta.code,
            name: rule.meta.name,
        })
        .collect()
}

fn apply_overlay(config: &mut Config, overlay: Option<&Overlay>, errors: &mut Vec<WorkspaceError>) {
    let Some(overlay) = overlay else {
        return;
    };
    let mut with_overlay = config.clone();
    match with_overlay.merge_toml_with_rules(&overlay.toml, &rule_keys()) {
        Ok(()) => *config = with_overlay,
        Err(error) => errors.push(WorkspaceError::Overlay {
            origin: overlay.source.clone(),
            message: error.message,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlay(toml: &str) -> Overlay {
        Overlay {
            source: "client settings".to_owned(),
            toml: toml.to_owned(),
        }
    }

    #[test]
    fn config_file_wins_over_the_overlay() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join(workspace::CONFIG_FILE);
        std::fs::write(&file, "content = [\"source/_posts\"]\n").expect("write");
        let resolved = resolve(
            dir.path().to_owned(),
            Some(file),
            Some(&overlay(
                "content = [\"posts\"]\n[taxonomy]\ntags = [\"a\"]\n",
            )),
        );
        assert!(resolved.errors.is_empty());
        let config = resolved.site.config;
        assert_eq!(config.content, ["source/_posts"]);
        assert_eq!(config.taxonomy.tags, Some(vec!["a".to_owned()]));
    }

    #[test]
    fn a_bad_source_is_reported_and_left_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join(workspace::CONFIG_FILE);
        std::fs::write(&file, "[rules]\nMK008 = \"loud\"\n").expect("write");
        let resolved = resolve(
            dir.path().to_owned(),
            Some(file),
            Some(&overlay("[frontmatter]\nnonsense = 1\n")),
        );
        let messages: Vec<String> = resolved.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].starts_with("client settings: "), "{messages:?}");
        assert!(messages[1].contains(":2:9: "), "{messages:?}");
        assert!(resolved.site.config.rules.is_empty());
    }

    #[test]
    fn a_broken_hexo_config_cannot_fail_the_run() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("source/_posts")).expect("mkdir");
        std::fs::write(dir.path().join("_config.yml"), "title: [unclosed\n").expect("write");
        let resolved = resolve(dir.path().to_owned(), None, None);
        assert!(resolved.errors.is_empty());
        assert_eq!(
            resolved.site.config.generator,
            crate::config::Generator::Hexo
        );
    }
}
