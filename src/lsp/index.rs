//! Workspace indexing for the server, over the shared workspace layer
//! (`crate::workspace`: walking with `.gitignore` and `exclude`, reading with BOM and
//! UTF-8 handling, summarizing with the rules' own parser).
//!
//! Only files inside a workspace folder are read: a path is canonicalized first, so a
//! symbolic link pointing out of the folders is refused.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::site::{PostKey, PostSummary};
use crate::workspace::{self, Site};

/// Whether `path` is a post copydesk indexes.
pub fn is_post(path: &Path) -> bool {
    workspace::is_markdown(path)
}

/// Every post under the site's content roots.
pub fn collect_posts(site: &Site) -> Vec<PathBuf> {
    site.walk(&site.content_roots()).files
}

/// Reads a post that lies (after resolving links) inside one of `folders`
/// (canonical paths); `None` when it is outside, unreadable, binary or not UTF-8.
pub fn read_post(folders: &[PathBuf], path: &Path) -> Option<String> {
    read_post_file(folders, path).map(|file| file.text)
}

/// [`read_post`], saying also whether a byte-order mark was removed.
pub fn read_post_file(folders: &[PathBuf], path: &Path) -> Option<workspace::SourceFile> {
    let real = path.canonicalize().ok()?;
    if !folders.iter().any(|folder| real.starts_with(folder)) {
        return None;
    }
    workspace::read_post(&real).ok()
}

/// Reads and summarizes `paths` of `site` in parallel, keyed as the CLI keys them;
/// unreadable files are left out.
pub fn summarize_files(
    folders: &[PathBuf],
    paths: &[PathBuf],
    site: &Site,
) -> Vec<(PostKey, PostSummary)> {
    paths
        .par_iter()
        .with_max_len(workspace::PARALLEL_CHUNK)
        .filter_map(|path| {
            let text = read_post(folders, path)?;
            Some((
                site.post_key(path),
                workspace::summarize(&text, &site.config),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_inside_the_folders() {
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
        let folders = [root.canonicalize().expect("canonical")];
        assert!(read_post(&folders, &root.join("posts/a.md")).is_some());
        assert!(read_post(&folders, &root.join("posts/bad.md")).is_none());
        assert!(read_post(&folders, &root.join("posts/link/secret.md")).is_none());
        assert!(read_post(&folders, &outside.join("secret.md")).is_none());
        let site = Site::load(folders[0].clone(), None).expect("site");
        let posts = collect_posts(&site);
        assert!(posts.iter().all(|p| !p.ends_with("secret.md")), "{posts:?}");
    }
}
