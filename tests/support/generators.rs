//! Where the real generators are, for the suites that use them as judges.
//!
//! `.ci/install-generators.sh` installs them and prints `COPYDESK_HEXO_DIR`,
//! `COPYDESK_HUGO` and `COPYDESK_JEKYLL`; without those variables the default
//! install location is tried. A suite skips (with a note on stderr) when a
//! generator is missing, except under `CI`, where a missing judge is a failure.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

fn cache() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("COPYDESK_GENERATORS_CACHE") {
        return Some(PathBuf::from(dir));
    }
    std::env::var_os("HOME").map(|home| Path::new(&home).join(".cache/copydesk-generators"))
}

fn from_env_or(var: &str, fallback: impl FnOnce() -> Option<PathBuf>) -> Option<PathBuf> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .or_else(fallback)
        .filter(|path| path.exists())
}

/// A folder whose `node_modules` holds Hexo 8 and hexo-renderer-marked.
pub fn hexo_dir() -> Option<PathBuf> {
    from_env_or("COPYDESK_HEXO_DIR", || {
        cache()
            .map(|c| c.join("hexo"))
            .filter(|d| d.join(".complete").exists())
    })
}

/// The Hugo binary.
pub fn hugo() -> Option<PathBuf> {
    from_env_or("COPYDESK_HUGO", || {
        let venv = cache()?.join("hugo-venv/lib");
        std::fs::read_dir(venv).ok()?.flatten().find_map(|python| {
            let bin = python.path().join("site-packages/hugo/binaries/hugo");
            bin.exists().then_some(bin)
        })
    })
}

/// The Jekyll binary.
pub fn jekyll() -> Option<PathBuf> {
    from_env_or("COPYDESK_JEKYLL", || {
        let bin = PathBuf::from("/usr/bin/jekyll");
        bin.exists().then_some(bin)
    })
}

/// Returns the judge, or `None` after a note when the suite should skip;
/// panics under `CI`, where every judge must be installed.
pub fn require(name: &str, found: Option<PathBuf>) -> Option<PathBuf> {
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{name} is not installed: run .ci/install-generators.sh"
        );
        eprintln!("skipping: {name} is not installed (run .ci/install-generators.sh)");
    }
    found
}
