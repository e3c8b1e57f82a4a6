//! Workspace indexing: which files are posts, reading them safely, and summarizing
//! them for the site index. Pure of LSP types; the server drives it with progress.
//!
//! Only files under a workspace folder are read, and symbolic links are never
//! followed: a post that is a link (or sits below a linked directory) is skipped.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::site::PostSummary;

use super::taxonomy::summarize;

/// Extensions of the files copydesk treats as posts.
pub const POST_EXTENSIONS: &[&str] = &["md", "markdown"];

pub fn is_post(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| POST_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext)))
}

/// Every post under the content roots of `root` (the whole folder when the config names none).
pub fn collect_posts(root: &Path, config: &Config) -> Vec<PathBuf> {
    let roots: Vec<PathBuf> = if config.content.is_empty() {
        vec![root.to_path_buf()]
    } else {
        config.content.iter().map(|c| root.join(c)).collect()
    };
    let mut overrides = ignore::overrides::OverrideBuilder::new(root);
    for pattern in &config.exclude {
        // An invalid pattern excludes nothing rather than everything.
        let _ = overrides.add(&format!("!{pattern}"));
    }
    let overrides = overrides
        .build()
        .unwrap_or_else(|_| ignore::overrides::Override::empty());
    let mut posts = Vec::new();
    for content_root in roots {
        if !content_root.starts_with(root) || !content_root.is_dir() {
            continue;
        }
        let walker = ignore::WalkBuilder::new(&content_root)
            .follow_links(false)
            .overrides(overrides.clone())
            .build();
        for entry in walker.flatten() {
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            if is_file && is_post(entry.path()) {
                posts.push(entry.into_path());
            }
        }
    }
    posts.sort();
    posts.dedup();
    posts
}

/// Whether `path` lies inside `root` without passing through a symbolic link.
pub fn is_inside(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let mut current = root.to_path_buf();
    for component in relative.components() {
        match component {
            std::path::Component::Normal(name) => current.push(name),
            _ => return false,
        }
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => return false,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    true
}

/// Reads a post under one of `roots`; `None` when it is outside them, behind a
/// symbolic link, unreadable or not UTF-8.
pub fn read_post(roots: &[PathBuf], path: &Path) -> Option<String> {
    if !roots.iter().any(|root| is_inside(root, path)) {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    String::from_utf8(bytes).ok()
}

/// The index summary of one post's text.
pub fn summarize_text(text: &str) -> PostSummary {
    let front_matter = crate::frontmatter::parse(text);
    summarize(front_matter.as_ref())
}

/// Index key of a post: its absolute path.
pub fn key(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Reads and summarizes `paths` in parallel, calling `progress` with the number done
/// after each batch. Unreadable files are left out.
pub fn summarize_files(
    roots: &[PathBuf],
    paths: &[PathBuf],
    mut progress: impl FnMut(usize),
) -> Vec<(String, PostSummary)> {
    const BATCH: usize = 2048;
    let mut out = Vec::with_capacity(paths.len());
    for (batch_number, batch) in paths.chunks(BATCH).enumerate() {
        let summaries: Vec<(String, PostSummary)> = batch
            .par_iter()
            .filter_map(|path| {
                let text = read_post(roots, path)?;
                Some((key(path), summarize_text(&text)))
            })
            .collect();
        out.extend(summaries);
        progress((batch_number * BATCH + batch.len()).min(paths.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_symlinks_and_foreign_paths() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("site");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(root.join("posts")).expect("mkdir");
        std::fs::create_dir_all(&outside).expect("mkdir");
        std::fs::write(root.join("posts/a.md"), "---\ntitle: a\n---\n").expect("write");
        std::fs::write(root.join("posts/bad.md"), [0xff, 0xfe]).expect("write");
        std::fs::write(outside.join("secret.md"), "secret").expect("write");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, root.join("posts/link")).expect("symlink");
        let posts = collect_posts(&root, &Config::default());
        assert_eq!(posts, [root.join("posts/a.md"), root.join("posts/bad.md")]);
        let roots = [root.clone()];
        assert!(read_post(&roots, &root.join("posts/a.md")).is_some());
        assert!(read_post(&roots, &root.join("posts/bad.md")).is_none());
        assert!(read_post(&roots, &root.join("posts/link/secret.md")).is_none());
        assert!(read_post(&roots, &outside.join("secret.md")).is_none());
    }
}
