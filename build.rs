//! Names the commit in `copydesk --version` of release builds: `0.1.0 (1a2b3c4)`.
//!
//! From a git checkout the commit comes from `git rev-parse`; from a crate tarball
//! (`cargo package`, crates.io) from the `.cargo_vcs_info.json` cargo writes into it;
//! with neither, the version is the bare package version. Debug builds (the test
//! suite, `cargo run`) print the bare version: watching HEAD there would recompile
//! the crate and every test binary after each commit.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    println!("cargo:rerun-if-changed=build.rs");
    let release = std::env::var("PROFILE").is_ok_and(|profile| profile == "release");
    let commit = if release {
        git_commit(&manifest_dir).or_else(|| {
            println!("cargo:rerun-if-changed=.cargo_vcs_info.json");
            packaged_commit(&manifest_dir)
        })
    } else {
        None
    };
    let long_version = match commit {
        Some(commit) => format!("{version} ({commit})"),
        None => version,
    };
    println!("cargo:rustc-env=COPYDESK_VERSION={long_version}");
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    Some(text.trim().to_owned())
}

/// The short commit of the checkout this crate is the root of. A crate unpacked
/// inside some other repository (a vendor folder) must not take that repository's
/// commit, so the checkout's top level has to be the manifest's folder.
fn git_commit(manifest_dir: &Path) -> Option<String> {
    let top_level = PathBuf::from(git(manifest_dir, &["rev-parse", "--show-toplevel"])?);
    if top_level.canonicalize().ok()? != manifest_dir.canonicalize().ok()? {
        return None;
    }
    let commit = git(manifest_dir, &["rev-parse", "--short", "HEAD"])?;
    // Rebuild when HEAD moves: HEAD itself (branch switch, detached commit), the
    // branch's ref, and packed refs.
    for file in ["HEAD", "packed-refs"] {
        watch_git_path(manifest_dir, file);
    }
    if let Some(branch) = git(manifest_dir, &["symbolic-ref", "-q", "HEAD"]) {
        watch_git_path(manifest_dir, &branch);
    }
    Some(commit)
}

fn watch_git_path(manifest_dir: &Path, name: &str) {
    if let Some(path) = git(
        manifest_dir,
        &["rev-parse", "--path-format=absolute", "--git-path", name],
    ) && Path::new(&path).exists()
    {
        println!("cargo:rerun-if-changed={path}");
    }
}

/// The commit cargo recorded in a packaged crate: `{"git": {"sha1": "…"}, …}`.
fn packaged_commit(manifest_dir: &Path) -> Option<String> {
    let info = std::fs::read_to_string(manifest_dir.join(".cargo_vcs_info.json")).ok()?;
    let after_key = &info[info.find("\"sha1\"")? + "\"sha1\"".len()..];
    let value = after_key
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    let sha1: String = value.chars().take_while(char::is_ascii_hexdigit).collect();
    (sha1.len() >= 7).then(|| sha1[..7].to_owned())
}
