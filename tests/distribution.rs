//! The packages that ship copydesk (crate, wheel, npm packages, VS Code extension)
//! name the same repository and version as the crate, and `--version` names the commit.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(repo_file(relative))
        .unwrap_or_else(|error| panic!("{relative}: {error}"))
}

fn json(relative: &str) -> serde_json::Value {
    serde_json::from_str(&read(relative)).unwrap_or_else(|error| panic!("{relative}: {error}"))
}

fn toml(relative: &str) -> toml::Table {
    read(relative)
        .parse()
        .unwrap_or_else(|error| panic!("{relative}: {error}"))
}

const PACKAGE_JSONS: [&str; 3] = [
    "editors/vscode/package.json",
    "npm/copydesk/package.json",
    "npm/cli-linux-x64/package.json",
];

#[test]
fn every_package_names_the_crates_repository() {
    let cargo = toml("Cargo.toml");
    let repository = cargo["package"]["repository"]
        .as_str()
        .expect("Cargo.toml has a repository");
    assert_eq!(repository, copydesk::REPOSITORY_URL);
    assert!(copydesk::rules::DOCS_URL.starts_with(repository));
    assert!(copydesk::rules::doc_url("MK001").starts_with(repository));

    for manifest in PACKAGE_JSONS {
        let package = json(manifest);
        assert_eq!(package["repository"]["url"], repository, "{manifest}");
        assert_eq!(
            package["license"],
            cargo["package"]["license"].as_str().expect("licence"),
            "{manifest}"
        );
    }
    let pyproject = toml("pyproject.toml");
    assert_eq!(
        pyproject["project"]["urls"]["Repository"].as_str(),
        Some(repository)
    );
}

#[test]
fn every_package_has_the_crates_version() {
    let version = env!("CARGO_PKG_VERSION");
    for manifest in PACKAGE_JSONS {
        assert_eq!(json(manifest)["version"], version, "{manifest}");
    }
    let launcher = json("npm/copydesk/package.json");
    let platforms = launcher["optionalDependencies"]
        .as_object()
        .expect("optionalDependencies");
    assert!(!platforms.is_empty());
    for (name, wanted) in platforms {
        assert_eq!(wanted, version, "{name}");
        let directory = name
            .strip_prefix("@copydesk/")
            .expect("platform packages are @copydesk/*");
        assert_eq!(
            json(&format!("npm/{directory}/package.json"))["name"],
            name.as_str()
        );
    }
    // The wheel takes the crate's version (maturin) instead of writing its own.
    let pyproject = toml("pyproject.toml");
    assert!(pyproject["project"].get("version").is_none());
    assert_eq!(pyproject["project"]["dynamic"][0].as_str(), Some("version"));
}

#[test]
fn version_is_the_packages_and_release_builds_name_the_commit() {
    let output = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .arg("--version")
        .output()
        .expect("run copydesk --version");
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).expect("UTF-8");
    let expected = format!("copydesk {}", env!("CARGO_PKG_VERSION"));
    if cfg!(debug_assertions) {
        // build.rs leaves the commit out of debug builds (a commit must not rebuild them);
        // .ci/wheel-check.sh and .ci/npm-check.sh check the release binary's.
        assert_eq!(printed.trim(), expected);
        return;
    }
    // build.rs takes the commit only from a checkout whose top level is the crate.
    let git = |args: &[&str]| {
        let output = Command::new("git")
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    let crate_is_checkout = git(&["rev-parse", "--show-toplevel"])
        .and_then(|top| Path::new(&top).canonicalize().ok())
        .is_some_and(|top| Some(top) == repo_file("").canonicalize().ok());
    match git(&["rev-parse", "--short", "HEAD"]) {
        Some(commit) if crate_is_checkout => {
            assert_eq!(printed.trim(), format!("{expected} ({commit})"))
        }
        // A tarball build: the bare version or the commit cargo packaged.
        _ => assert!(printed.starts_with(&expected), "{printed}"),
    }
}
