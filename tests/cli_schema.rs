//! `copydesk.schema.json` is the one generated from the config types (`copydesk
//! schema`), every example config validates against it, and `--output-format
//! sarif` validates against the SARIF 2.1.0 schema.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn copydesk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(args)
        .current_dir(dir)
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .output()
        .expect("run copydesk")
}

fn generated_schema() -> String {
    let output = copydesk(repo(), &["schema"]);
    assert!(output.status.success(), "copydesk schema failed");
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::validator_for(schema).expect("a valid JSON Schema")
}

/// The validation errors of `instance`, one line each.
fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}

fn toml_as_json(text: &str) -> Value {
    toml::from_str(text).unwrap_or_else(|error| panic!("invalid TOML: {error}\n{text}"))
}

#[test]
fn checked_in_schemas_are_the_generated_one() {
    let generated = generated_schema();
    for path in [
        "copydesk.schema.json",
        "editors/vscode/copydesk.schema.json",
    ] {
        let checked_in = fs::read_to_string(repo().join(path)).unwrap_or_default();
        assert!(
            checked_in == generated,
            "{path} is not what the config types generate: run \
             `cargo run -- schema > copydesk.schema.json && cp copydesk.schema.json editors/vscode/`"
        );
    }
}

/// The ```toml blocks of the README's Configuration section.
fn readme_configs() -> Vec<String> {
    let readme = fs::read_to_string(repo().join("README.md")).expect("README");
    let section = readme
        .split("\n## ")
        .find(|section| section.starts_with("Configuration"))
        .expect("a Configuration section");
    section
        .split("```toml\n")
        .skip(1)
        .filter_map(|block| block.split("\n```").next())
        .map(str::to_owned)
        .collect()
}

fn example_configs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read examples").flatten() {
        let path = entry.path();
        if path.is_dir() {
            example_configs(&path, out);
        } else if path.file_name().is_some_and(|name| name == "copydesk.toml") {
            out.push(path);
        }
    }
}

#[test]
fn every_example_config_validates_and_mistakes_do_not() {
    let schema: Value = serde_json::from_str(&generated_schema()).expect("JSON");
    let validator = validator(&schema);
    let mut configs: Vec<(String, String)> = readme_configs()
        .into_iter()
        .enumerate()
        .map(|(index, text)| (format!("README block {index}"), text))
        .collect();
    assert!(configs.len() >= 2, "the README shows its configs");
    let mut files = Vec::new();
    example_configs(&repo().join("examples"), &mut files);
    assert!(!files.is_empty(), "examples/ holds a copydesk.toml");
    for file in files {
        configs.push((
            file.display().to_string(),
            fs::read_to_string(&file).expect("read"),
        ));
    }
    let site = tempfile::tempdir().expect("temp dir");
    fs::write(site.path().join("_config.yml"), "title: t\n").expect("write");
    fs::create_dir_all(site.path().join("source/_posts")).expect("mkdir");
    let output = copydesk(site.path(), &["init"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let init = fs::read_to_string(site.path().join("copydesk.toml")).expect("init wrote");
    configs.push(("copydesk init".to_owned(), init));
    for (name, text) in &configs {
        let found = errors(&validator, &toml_as_json(text));
        assert!(found.is_empty(), "{name}: {found:?}\n{text}");
    }
    for mistake in [
        "contnet = [\"posts\"]\n",
        "generator = \"gatsby\"\n",
        "[rules]\nMK001 = \"loud\"\n",
        "[frontmatter.fields]\ncover = \"picture\"\n",
        "[markup]\nad_class = [\"x\"]\n",
    ] {
        assert!(
            !errors(&validator, &toml_as_json(mistake)).is_empty(),
            "the schema lets `{mistake}` through"
        );
    }
}

/// The SARIF 2.1.0 schema, from the npm package `.ci/run` unpacks
/// (`COPYDESK_SARIF_SCHEMA`); `None` outside CI when it is absent.
fn sarif_schema() -> Option<Value> {
    let path = std::env::var_os("COPYDESK_SARIF_SCHEMA").map(PathBuf::from);
    match path.as_ref().and_then(|path| fs::read_to_string(path).ok()) {
        Some(text) => Some(serde_json::from_str(&text).expect("the SARIF schema is JSON")),
        None if std::env::var_os("CI").is_some() => {
            panic!(
                "COPYDESK_SARIF_SCHEMA ({path:?}) is not readable: .ci/install-generators.sh unpacks it"
            )
        }
        None => {
            eprintln!(
                "note: skipped, COPYDESK_SARIF_SCHEMA not set (see .ci/install-generators.sh)"
            );
            None
        }
    }
}

fn drop_language_patterns(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(language)) = map.get_mut("language") {
                language.remove("pattern");
            }
            map.values_mut().for_each(drop_language_patterns);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_language_patterns),
        _ => {}
    }
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let Some(schema) = sarif_schema() else {
        return;
    };
    // The published schema's `language` patterns (of `run` and `toolComponent`)
    // are not valid regular expressions (an unbalanced `]`), so the meta-schema
    // refuses the whole schema; those keywords are dropped, and the log is checked
    // to have no `language`.
    let mut schema = schema;
    drop_language_patterns(&mut schema);
    let validator = validator(&schema);
    let site = tempfile::tempdir().expect("temp dir");
    fs::write(site.path().join("_config.yml"), "title: t\n").expect("write");
    let posts = site.path().join("source/_posts");
    fs::create_dir_all(&posts).expect("mkdir");
    fs::write(
        posts.join("leftovers.md"),
        "---\ntitle: L\ndate: 2013/7/13 20:46:25\n---\n\n<!-- 正文下iframe -->\n<p data-sudaclick=\"x\">正文</p>\n",
    )
    .expect("write");
    fs::write(posts.join("broken.md"), "---\ntitle: B\n\nno fence\n").expect("write");
    let output = copydesk(
        site.path(),
        &["check", "--exit-zero", "--output-format", "sarif"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let log: Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
    let results = log["runs"][0]["results"].as_array().map_or(0, Vec::len);
    assert!(results >= 3, "the fixture has findings: {log}");
    assert!(
        !serde_json::to_string(&log)
            .expect("JSON")
            .contains("\"language\"")
    );
    let found = errors(&validator, &log);
    assert!(found.is_empty(), "{found:#?}");
    // The validator does reject a log that breaks the schema.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!errors(&validator, &broken).is_empty());
}
