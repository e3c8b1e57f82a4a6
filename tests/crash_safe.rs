//! `copydesk fix` killed with SIGKILL at arbitrary moments across a 1,000-post site:
//! every post is either the original or the fully fixed version, with its
//! permissions, line ends, byte-order mark and final newline; read-only posts are
//! reported and left alone.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const POSTS: usize = 1000;
const KILLS: usize = 6;

struct Post {
    bytes: Vec<u8>,
    mode: u32,
}

/// Small posts with leftover CMS markup, in every layout a site has.
fn site_posts() -> BTreeMap<String, Post> {
    (0..POSTS)
        .map(|i| {
            let eol = if i % 3 == 0 { "\r\n" } else { "\n" };
            let junk = match i % 4 {
                0 => "<!-- 正文下iframe -->",
                1 => "<!--article_adlist[x]article_adlist-->",
                2 => "<!-- 文末二维码 start -->",
                _ => "",
            };
            let lines = [
                "---".to_owned(),
                format!("title: 第{i}篇"),
                "date: 2024-01-02 10:00:00".to_owned(),
                "---".to_owned(),
                format!("段落 {i} {junk}"),
                "more text".to_owned(),
            ];
            let mut text = lines.join(eol);
            if i % 5 != 0 {
                text.push_str(eol);
            }
            let mut bytes = if i % 7 == 0 {
                "\u{FEFF}".as_bytes().to_vec()
            } else {
                Vec::new()
            };
            bytes.extend_from_slice(text.as_bytes());
            let mode = match i {
                _ if i % 50 == 4 => 0o444,
                _ if i % 9 == 0 => 0o600,
                _ => 0o644,
            };
            (format!("post-{i:04}.md"), Post { bytes, mode })
        })
        .collect()
}

fn write_site(root: &Path, posts: &BTreeMap<String, Post>) -> PathBuf {
    let dir = root.join("source/_posts");
    std::fs::create_dir_all(&dir).expect("create site");
    std::fs::write(root.join("_config.yml"), "title: crash test\n").expect("config");
    for (name, post) in posts {
        let path = dir.join(name);
        std::fs::write(&path, &post.bytes).expect("write post");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(post.mode)).expect("chmod");
    }
    dir
}

fn fix_command(root: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_copydesk"));
    command.arg("fix").arg(root).env("NO_COLOR", "1");
    command
}

fn read_posts(dir: &Path) -> BTreeMap<String, (Vec<u8>, u32)> {
    std::fs::read_dir(dir)
        .expect("read site")
        .map(|entry| {
            let entry = entry.expect("entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            let mode = entry.metadata().expect("metadata").permissions().mode() & 0o777;
            (
                name,
                (std::fs::read(entry.path()).expect("read post"), mode),
            )
        })
        .collect()
}

/// A fixed-seed sequence in [0, 1).
fn fractions(mut state: u64) -> impl Iterator<Item = f64> {
    std::iter::from_fn(move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        Some((state >> 11) as f64 / (1u64 << 53) as f64)
    })
}

#[test]
fn fix_killed_at_any_moment_leaves_every_post_whole() {
    let posts = site_posts();
    let read_only = posts.values().filter(|p| p.mode == 0o444).count();

    // The reference: one run to completion.
    let reference = tempfile::tempdir().expect("tempdir");
    let dir = write_site(reference.path(), &posts);
    let started = Instant::now();
    let Output { stdout, stderr, .. } = fix_command(reference.path()).output().expect("run fix");
    let full_run = started.elapsed();
    let stdout = String::from_utf8_lossy(&stdout);
    let stderr = String::from_utf8_lossy(&stderr);
    let fixed = read_posts(&dir);
    let mut changed = 0;
    for (name, post) in &posts {
        let (bytes, mode) = &fixed[name];
        assert_eq!(*mode, post.mode, "{name}: permissions changed");
        let text = String::from_utf8_lossy(bytes);
        assert_eq!(
            bytes.starts_with("\u{FEFF}".as_bytes()),
            post.bytes.starts_with("\u{FEFF}".as_bytes()),
            "{name}: BOM"
        );
        let original = String::from_utf8_lossy(&post.bytes);
        assert_eq!(
            text.contains("\r\n"),
            original.contains("\r\n"),
            "{name}: line ends"
        );
        assert_eq!(
            text.ends_with('\n'),
            original.ends_with('\n'),
            "{name}: final newline"
        );
        if post.mode == 0o444 {
            assert_eq!(bytes, &post.bytes, "{name}: a read-only post was changed");
            assert!(
                stderr.contains(name.as_str()) || stdout.contains(name.as_str()),
                "{name}: read-only post not reported"
            );
        } else if *bytes != post.bytes {
            changed += 1;
        }
    }
    assert!(changed > POSTS / 2, "only {changed} posts fixed: {stdout}");
    assert!(
        stdout.contains(&format!("in {changed} files")),
        "the count of fixed files must leave out the {read_only} read-only ones: {stdout}"
    );

    // Killed runs: every post is the original or the reference's fixed version.
    let mut stray_temp_files = 0;
    for (run, fraction) in fractions(12).take(KILLS).enumerate() {
        let site = tempfile::tempdir().expect("tempdir");
        let dir = write_site(site.path(), &posts);
        let mut child = fix_command(site.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn fix");
        std::thread::sleep(Duration::from_secs_f64(full_run.as_secs_f64() * fraction));
        let _ = child.kill();
        let _ = child.wait();
        let mut whole = 0;
        let mut left_behind = 0;
        for (name, (bytes, mode)) in read_posts(&dir) {
            let Some(post) = posts.get(&name) else {
                assert!(
                    name.starts_with(".copydesk-fix-") && name.ends_with(".tmp"),
                    "run {run}: a file copydesk does not own: {name}"
                );
                left_behind += 1;
                continue;
            };
            assert_eq!(mode, post.mode, "run {run}: {name}: permissions changed");
            let is_fixed = bytes == fixed[&name].0;
            assert!(
                bytes == post.bytes || is_fixed,
                "run {run}: {name} is neither the original nor the fixed post"
            );
            whole += usize::from(is_fixed);
        }
        eprintln!(
            "run {run}: killed after {:.0}% of a full run, {whole} posts fixed, \
             {left_behind} temporary files left",
            fraction * 100.0
        );
        stray_temp_files += left_behind;
        // Finishing the job reaches the same result, removes what the kill left
        // behind and says so.
        let rerun = fix_command(site.path()).output().expect("rerun fix");
        let said = String::from_utf8_lossy(&rerun.stderr)
            .matches("removed a temporary file left by an interrupted `copydesk fix`")
            .count();
        assert_eq!(
            said, left_behind,
            "run {run}: the rerun must report each temporary file it removes"
        );
        let after = read_posts(&dir);
        assert_eq!(
            after.len(),
            posts.len(),
            "run {run}: files left after the rerun: {:?}",
            after
                .keys()
                .filter(|name| !posts.contains_key(*name))
                .collect::<Vec<_>>()
        );
        for (name, (bytes, _)) in after {
            assert_eq!(
                bytes, fixed[&name].0,
                "run {run}: {name} differs after a rerun"
            );
        }
    }
    eprintln!(
        "{KILLS} kills left no partial post and {stray_temp_files} temporary files, \
         all removed by the next run"
    );
}
