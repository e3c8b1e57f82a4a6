//! `.pre-commit-hooks.yaml` run by the real `pre-commit` (from PyPI, installed in a
//! virtual environment under the target folder; the test skips when it cannot be
//! installed) on a temporary git repository holding two sites and a README.
//!
//! The hooks are taken from the checked-in file with `language: rust` swapped for
//! `language: system` and `copydesk` for the binary under test, so pre-commit does
//! not rebuild the crate; ids, entries and file filters are the shipped ones.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BINARY: &str = env!("CARGO_BIN_EXE_copydesk");

/// A post with a CMS comment (MK001, safe fix) between blank lines.
const COMMENTED: &str = "---\ntitle: Commented\ndate: 2024-01-02 10:00:00\n---\n\nfirst\n\n<!-- 正文下iframe -->\n\nsecond\n";

fn run(dir: &Path, program: &str, args: &[&str], env: &[(&str, &Path)]) -> Option<Output> {
    let mut command = Command::new(program);
    command.args(args).current_dir(dir).env_remove("NO_COLOR");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().ok()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `pre-commit` on PATH, else one installed in a virtual environment; `None` when
/// neither works (no Python, no network).
fn pre_commit() -> Option<PathBuf> {
    let found = Command::new("pre-commit").arg("--version").output();
    if found.is_ok_and(|output| output.status.success()) {
        return Some(PathBuf::from("pre-commit"));
    }
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-venv");
    let binary = venv.join("bin/pre-commit");
    if !binary.exists() {
        let here = Path::new(".");
        let created = run(
            here,
            "python3",
            &["-m", "venv", &venv.to_string_lossy()],
            &[],
        )?;
        if !created.status.success() {
            return None;
        }
        let pip = venv.join("bin/pip");
        let installed = run(
            here,
            &pip.to_string_lossy(),
            &["install", "-q", "pre-commit"],
            &[],
        )?;
        if !installed.status.success() {
            return None;
        }
    }
    binary.exists().then_some(binary)
}

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", text(&output));
}

fn write(path: &Path, contents: &str) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(path, contents).expect("write");
}

#[test]
fn hooks_give_each_staged_file_the_result_it_gets_alone() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("note: skipped, git is not installed");
        return;
    }
    let Some(pre_commit) = pre_commit() else {
        eprintln!("note: skipped, pre-commit could not be installed");
        return;
    };
    let root = tempfile::tempdir().expect("temp dir");
    // The hook repository: the shipped hooks, run from the binary under test.
    let hooks = root.path().join("hooks");
    let shipped =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"))
            .expect("the hooks file");
    assert!(shipped.contains("entry: copydesk check") && shipped.contains("entry: copydesk fix"));
    let local = shipped
        .replace("language: rust", "language: system")
        .replace("entry: copydesk ", &format!("entry: {BINARY} "));
    write(&hooks.join(".pre-commit-hooks.yaml"), &local);
    git(&hooks, &["init", "-q"]);
    git(&hooks, &["add", "."]);
    git(&hooks, &["commit", "-qm", "hooks"]);
    let rev = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(&hooks)
        .output()
        .expect("git runs");
    let rev = String::from_utf8_lossy(&rev.stdout).trim().to_owned();

    // The project: a Hexo site where MK001 is an error, a Hugo site with defaults,
    // and a README outside both.
    let project = root.path().join("project");
    write(&project.join("blog/_config.yml"), "title: x\n");
    write(
        &project.join("blog/copydesk.toml"),
        "[rules]\nMK001 = \"error\"\n",
    );
    write(&project.join("blog/source/_posts/post.md"), COMMENTED);
    write(&project.join("docs/hugo.toml"), "title = \"x\"\n");
    write(&project.join("docs/content/page.md"), COMMENTED);
    write(&project.join("README.md"), "# Project\n\nTwo sites.\n");
    write(
        &project.join(".pre-commit-config.yaml"),
        &format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: copydesk-check\n        args: [--output-format, concise, -q]\n      - id: copydesk-fix\n        stages: [manual]\n",
            hooks.display()
        ),
    );
    git(&project, &["init", "-q"]);
    git(&project, &["add", "."]);
    let home = root.path().join("pre-commit-home");
    let env = [("PRE_COMMIT_HOME", home.as_path())];
    let pre_commit = pre_commit.to_string_lossy().into_owned();

    let output = run(
        &project,
        &pre_commit,
        &["run", "copydesk-check", "--all-files"],
        &env,
    )
    .expect("pre-commit runs");
    let hook_output = text(&output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "MK001 is an error in blog/: {hook_output}"
    );
    for file in [
        "blog/source/_posts/post.md",
        "docs/content/page.md",
        "README.md",
    ] {
        let alone = run(
            &project,
            BINARY,
            &["check", "--output-format", "concise", "-q", file],
            &[],
        )
        .expect("copydesk runs");
        for line in String::from_utf8_lossy(&alone.stdout).lines() {
            assert!(
                hook_output.contains(line),
                "{file}: `{line}` missing from:\n{hook_output}"
            );
        }
    }
    assert!(
        hook_output.contains("blog/source/_posts/post.md:8:1: error MK001"),
        "{hook_output}"
    );
    assert!(
        hook_output.contains("docs/content/page.md:8:1: warning MK001"),
        "{hook_output}"
    );

    let output = run(
        &project,
        &pre_commit,
        &[
            "run",
            "copydesk-fix",
            "--all-files",
            "--hook-stage",
            "manual",
        ],
        &env,
    )
    .expect("pre-commit runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "files were modified: {}",
        text(&output)
    );
    for post in ["blog/source/_posts/post.md", "docs/content/page.md"] {
        let fixed = fs::read_to_string(project.join(post)).expect("read");
        assert!(fixed.ends_with("first\n\nsecond\n"), "{post}: {fixed:?}");
    }
}
