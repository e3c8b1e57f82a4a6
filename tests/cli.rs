//! The command line, driven as a user drives it: the real binary in temporary sites.
//!
//! Tests that need a particular rule ask the binary which rules it has (`rules
//! --format json`) and skip with a note when that rule is not registered yet, so the
//! shell can be tested while the rules are written.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn copydesk(dir: &Path, args: &[&str]) -> Output {
    copydesk_env(dir, args, &[])
}

fn copydesk_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    copydesk_stdin(dir, args, env, None)
}

/// Runs the binary with `input` on stdin (else an empty stdin).
fn copydesk_stdin(dir: &Path, args: &[&str], env: &[(&str, &str)], input: Option<&[u8]>) -> Output {
    use std::io::Write as _;
    let mut command = Command::new(env!("CARGO_BIN_EXE_copydesk"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("COLUMNS")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("the binary runs");
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input.unwrap_or_default())
            .expect("write stdin");
    }
    child.wait_with_output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "not JSON ({error}):\n{}\nstderr: {}",
            stdout(output),
            stderr(output)
        )
    })
}

/// Codes of the rules the binary has.
fn registered_rules() -> Vec<String> {
    let output = copydesk(Path::new("."), &["rules", "--format", "json"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    json(&output)
        .as_array()
        .expect("a list of rules")
        .iter()
        .map(|rule| rule["code"].as_str().expect("a code").to_owned())
        .collect()
}

/// True when every rule in `codes` is registered; otherwise prints why the test skips.
fn have_rules(codes: &[&str]) -> bool {
    let registered = registered_rules();
    let missing: Vec<&&str> = codes
        .iter()
        .filter(|code| !registered.iter().any(|r| r == *code))
        .collect();
    if missing.is_empty() {
        true
    } else {
        eprintln!("note: skipped, rules not registered yet: {missing:?}");
        false
    }
}

/// A temporary Hexo site: `_config.yml`, `source/_posts/`, and the given posts.
fn hexo_site(posts: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("_config.yml"), "title: Test\n").expect("write");
    fs::create_dir_all(dir.path().join("source/_posts")).expect("mkdir");
    for (name, text) in posts {
        let path = dir.path().join("source/_posts").join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(path, text).expect("write");
    }
    dir
}

const CLEAN: &str = "---\ntitle: Clean\ndate: 2024-01-02 10:00:00\n---\n\nJust text.\n";
/// An unterminated front matter block: FM003, an error.
const BROKEN: &str = "---\ntitle: Broken\ndate: 2024-01-02 10:00:00\n\nNo closing fence.\n";
/// Leftover CMS markup with safe fixes: a CMS comment (MK001) and blank lines (MK011).
const LEFTOVERS: &str = "---\ntitle: Leftovers\ndate: 2024-01-02 10:00:00\n---\n\n<!-- 正文下iframe -->\n第一段，金融。\n\n\n\n\n第二段。\n";

fn example_site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/hexo-site")
}

#[test]
fn clean_site_exits_zero() {
    let site = hexo_site(&[("clean.md", CLEAN)]);
    let output = copydesk(site.path(), &["check"]);
    assert_eq!(code(&output), 0, "{}{}", stdout(&output), stderr(&output));
    assert!(stdout(&output).contains("1 file"), "{}", stdout(&output));
}

#[test]
fn error_findings_exit_one() {
    if !have_rules(&["FM003"]) {
        return;
    }
    let site = hexo_site(&[("clean.md", CLEAN), ("broken.md", BROKEN)]);
    let output = copydesk(site.path(), &["check"]);
    assert_eq!(code(&output), 1, "{}", stdout(&output));
    assert!(stdout(&output).contains("source/_posts/broken.md:1:1: error[FM003]"));
    // Turning the rule off (or ignoring it) turns the exit status back to 0.
    let output = copydesk(site.path(), &["check", "--ignore", "FM003"]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
}

#[test]
fn usage_and_path_errors_exit_two_without_a_panic() {
    let site = hexo_site(&[("clean.md", CLEAN)]);
    for args in [
        &["check", "--no-such-flag"][..],
        &["check", "does/not/exist.md"],
        &["check", "--format", "xml"],
        &["frobnicate"],
        &["explain", "XX999"],
        &["check", "--select", "ZZ"],
    ] {
        let output = copydesk(site.path(), args);
        assert_eq!(code(&output), 2, "{args:?}: {}", stderr(&output));
        let err = stderr(&output);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.trim().is_empty(), "{args:?}: nothing on stderr");
    }
    let output = copydesk(site.path(), &["check", "does/not/exist.md"]);
    assert_eq!(stderr(&output).lines().count(), 1, "{}", stderr(&output));
    assert!(stderr(&output).contains("does/not/exist.md"));
}

#[test]
fn help_and_version_exit_zero() {
    let output = copydesk(Path::new("."), &["--version"]);
    assert_eq!(code(&output), 0);
    assert!(stdout(&output).starts_with("copydesk "));
    let output = copydesk(Path::new("."), &["check", "--help"]);
    assert_eq!(code(&output), 0);
    assert!(stdout(&output).contains("--output-format"));
}

#[test]
fn config_errors_point_at_file_line_and_column() {
    let site = hexo_site(&[("clean.md", CLEAN)]);
    fs::write(site.path().join("copydesk.toml"), "contnet = []\n").expect("write");
    let output = copydesk(site.path(), &["check"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("copydesk.toml:1:1:"),
        "{}",
        stderr(&output)
    );

    if !have_rules(&["MK008"]) {
        return;
    }
    fs::write(
        site.path().join("copydesk.toml"),
        "content = [\"source/_posts\"]\n[rules]\nMK008 = \"loud\"\n",
    )
    .expect("write");
    let output = copydesk(site.path(), &["check"]);
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    assert!(err.contains("copydesk.toml:3:9:"), "{err}");
    assert!(err.contains("invalid severity"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn a_broken_hexo_config_does_not_fail_the_run() {
    // copydesk reads nothing from `_config.yml` but the fact that it is there.
    let site = hexo_site(&[("clean.md", CLEAN)]);
    fs::write(
        site.path().join("_config.yml"),
        "title: x\ntag_map:\n  a: [b\n",
    )
    .expect("write");
    let output = copydesk(site.path(), &["check"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
}

#[test]
fn config_is_found_by_walking_up_and_exclude_is_honoured() {
    let site = hexo_site(&[
        ("clean.md", CLEAN),
        ("archive/old.md", BROKEN),
        ("ignored-by-git.md", BROKEN),
    ]);
    fs::write(
        site.path().join("copydesk.toml"),
        "exclude = [\"source/_posts/archive/**\"]\n",
    )
    .expect("write");
    fs::write(site.path().join(".gitignore"), "ignored-by-git.md\n").expect("write");
    // Run from deep inside the site: the root is found upwards.
    let inner = site.path().join("source/_posts");
    let output = copydesk(&inner, &["check", "--format", "json"]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    let report = json(&output);
    assert_eq!(report["files_checked"], 1, "{report}");
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_not_followed() {
    let outside = tempfile::tempdir().expect("temp dir");
    fs::write(outside.path().join("secret.md"), BROKEN).expect("write");
    fs::create_dir_all(outside.path().join("folder")).expect("mkdir");
    fs::write(outside.path().join("folder/inner.md"), BROKEN).expect("write");
    let site = hexo_site(&[("clean.md", CLEAN)]);
    let posts = site.path().join("source/_posts");
    std::os::unix::fs::symlink(outside.path().join("secret.md"), posts.join("link.md"))
        .expect("symlink");
    std::os::unix::fs::symlink(outside.path().join("folder"), posts.join("linked-folder"))
        .expect("symlink");
    std::os::unix::fs::symlink(posts.join("clean.md"), posts.join("inside-link.md"))
        .expect("symlink");
    let output = copydesk(site.path(), &["check", "--format", "json"]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    // clean.md and the link to it, which stays inside the site.
    assert_eq!(json(&output)["files_checked"], 2);
}

#[test]
fn a_lone_file_outside_any_site_is_checked_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("note.md"), CLEAN).expect("write");
    fs::create_dir_all(dir.path().join("elsewhere")).expect("mkdir");
    fs::write(dir.path().join("elsewhere/other.md"), CLEAN).expect("write");
    let output = copydesk(dir.path(), &["taxonomy", "note.md", "--format", "json"]);
    assert_eq!(json(&output)["posts"], 1);
    let output = copydesk(dir.path(), &["check", "--format", "json"]);
    assert_eq!(
        json(&output)["files_checked"],
        2,
        "a plain folder is checked whole"
    );
}

#[test]
fn json_report_has_the_documented_schema() {
    let site = hexo_site(&[("clean.md", CLEAN), ("leftovers.md", LEFTOVERS)]);
    let output = copydesk(site.path(), &["check", "--format", "json"]);
    let report = json(&output);
    assert_eq!(report["version"], 1);
    assert_eq!(report["files_checked"], 2);
    assert!(report["diagnostics"].is_array());
    assert!(report["skipped"].is_array());
    for key in ["error", "warning", "info", "hint"] {
        assert!(report["summary"][key].is_u64(), "{key}");
    }
    if !have_rules(&["MK001"]) {
        return;
    }
    let mk001 = report["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .find(|d| d["code"] == "MK001")
        .expect("MK001 reported");
    assert_eq!(mk001["path"], "source/_posts/leftovers.md");
    assert_eq!(mk001["name"], "cms-comment");
    assert_eq!(mk001["start"]["line"], 6);
    assert_eq!(mk001["start"]["column"], 1);
    // 1-based character columns: the comment is 18 characters long.
    assert_eq!(mk001["end"]["line"], 6);
    assert_eq!(mk001["end"]["column"], 19);
    assert_eq!(mk001["fix"]["applicability"], "safe");
    assert!(mk001["byte_range"].is_array());
}

#[test]
fn sarif_is_valid_for_code_scanning() {
    let site = hexo_site(&[("leftovers.md", LEFTOVERS), ("broken.md", BROKEN)]);
    let output = copydesk(site.path(), &["check", "--format", "sarif"]);
    assert!(code(&output) <= 1, "{}", stderr(&output));
    let log = json(&output);
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().expect("schema").contains("sarif"));
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "copydesk");
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), registered_rules().len());
    for rule in rules {
        for field in ["id", "name", "helpUri"] {
            assert!(rule[field].is_string(), "{field} in {rule}");
        }
        assert!(rule["shortDescription"]["text"].is_string(), "{rule}");
        assert!(rule["fullDescription"]["text"].is_string(), "{rule}");
        let level = rule["defaultConfiguration"]["level"]
            .as_str()
            .expect("level");
        assert!(["error", "warning", "note", "none"].contains(&level));
    }
    let results = run["results"].as_array().expect("results");
    for result in results {
        let id = result["ruleId"].as_str().expect("ruleId");
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], id);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().expect("level")));
        assert!(result["message"]["text"].is_string());
        let location = &result["locations"][0]["physicalLocation"];
        assert!(location["artifactLocation"]["uri"].is_string());
        for field in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(
                location["region"][field].as_u64().expect(field) >= 1,
                "{result}"
            );
        }
    }
    if have_rules(&["MK001", "FM003"]) {
        assert!(results.iter().any(|r| r["ruleId"] == "MK001"));
        assert!(
            results
                .iter()
                .any(|r| r["ruleId"] == "FM003" && r["level"] == "error")
        );
    }
}

#[test]
fn github_format_is_one_workflow_command_per_finding() {
    if !have_rules(&["FM003"]) {
        return;
    }
    let site = hexo_site(&[("broken.md", BROKEN)]);
    let output = copydesk(site.path(), &["check", "--format", "github"]);
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    let line = text
        .lines()
        .find(|line| line.contains("title=FM003"))
        .expect("FM003 annotation");
    assert!(
        line.starts_with("::error file=source/_posts/broken.md,line=1,col=1,endLine="),
        "{line}"
    );
    assert!(line.contains(",endColumn="), "{line}");
    assert!(text.lines().all(|l| l.starts_with("::")), "{text}");
}

#[test]
fn select_ignore_and_statistics() {
    if !have_rules(&["MK001", "MK011", "FM003"]) {
        return;
    }
    let site = hexo_site(&[("leftovers.md", LEFTOVERS), ("broken.md", BROKEN)]);
    let codes = |args: &[&str]| -> Vec<String> {
        let mut full = vec!["check", "--format", "json"];
        full.extend_from_slice(args);
        let report = json(&copydesk(site.path(), &full));
        let mut codes: Vec<String> = report["diagnostics"]
            .as_array()
            .expect("list")
            .iter()
            .map(|d| d["code"].as_str().expect("code").to_owned())
            .collect();
        codes.sort();
        codes.dedup();
        codes
    };
    assert_eq!(codes(&["--select", "MK001"]), ["MK001"]);
    let mk_only = codes(&["--select", "mk"]);
    assert!(mk_only.iter().all(|c| c.starts_with("MK")) && !mk_only.is_empty());
    let without = codes(&["--ignore", "MK001,FM"]);
    assert!(!without.iter().any(|c| c == "MK001" || c.starts_with("FM")));
    assert!(without.iter().any(|c| c == "MK011"));

    let output = copydesk(site.path(), &["check", "--statistics"]);
    let text = stdout(&output);
    let row = text
        .lines()
        .find(|line| line.contains("MK001"))
        .expect("MK001 row");
    assert!(row.trim_start().starts_with('1'), "{row}");
    assert!(row.contains("[*] cms-comment"), "a safe fix: {row}");
    let fm003 = text
        .lines()
        .find(|line| line.contains("FM003"))
        .expect("FM003 row");
    assert!(!fm003.contains("[*]"), "no safe fix: {fm003}");
    assert!(
        !text.contains("-->"),
        "statistics print no excerpts: {text}"
    );
    let output = copydesk(site.path(), &["check", "--statistics", "--format", "json"]);
    let rows = json(&output);
    assert!(
        rows.as_array()
            .expect("rows")
            .iter()
            .any(|r| r["code"] == "FM003" && r["count"] == 1)
    );
}

#[test]
fn colour_only_when_forced_and_never_with_no_color() {
    if !have_rules(&["MK001"]) {
        return;
    }
    let site = hexo_site(&[("leftovers.md", LEFTOVERS)]);
    // Not a terminal: plain.
    let output = copydesk(site.path(), &["check"]);
    assert!(!stdout(&output).contains('\u{1b}'));
    let output = copydesk_env(site.path(), &["check"], &[("CLICOLOR_FORCE", "1")]);
    assert!(stdout(&output).contains('\u{1b}'), "forced colour");
    let output = copydesk_env(
        site.path(),
        &["check"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert!(!stdout(&output).contains('\u{1b}'), "NO_COLOR wins");
}

#[test]
fn human_output_snapshot() {
    if !have_rules(&["MK001", "MK011"]) {
        return;
    }
    let site = hexo_site(&[("leftovers.md", LEFTOVERS)]);
    let output = copydesk(site.path(), &["check", "--select", "MK001,MK011"]);
    insta::assert_snapshot!(stdout(&output));
}

/// The full report of `rule` over `site` with `COLUMNS` at `columns` (unset for
/// `None`), and its excerpt of line 6.
fn line_six_excerpt(site: &Path, rule: &str, columns: Option<&str>) -> (String, String) {
    let env: Vec<(&str, &str)> = columns.map(|c| ("COLUMNS", c)).into_iter().collect();
    let output = copydesk_env(site, &["check", "--select", rule], &env);
    let text = stdout(&output);
    let source = text
        .lines()
        .find(|line| line.starts_with("6 | "))
        .unwrap_or_else(|| panic!("an excerpt of line 6: {text}"))
        .to_owned();
    (text, source)
}

#[test]
fn excerpts_of_long_lines_fit_the_width() {
    if !have_rules(&["MK005"]) {
        return;
    }
    use unicode_width::UnicodeWidthStr as _;
    let paragraph = format!(
        "{}<a href=\"https://example.com/a?utm_source=feed&id=1\">原文</a>{}",
        "很长的一段正文，".repeat(40),
        "后面还有很多字。".repeat(40)
    );
    let post = format!("---\ntitle: Long\ndate: 2024-01-02 10:00:00\n---\n\n{paragraph}\n");
    let site = hexo_site(&[("long.md", &post)]);
    for (columns, width) in [(None, 140), (Some("80"), 80), (Some("200"), 200)] {
        let (text, source) = line_six_excerpt(site.path(), "MK005", columns);
        assert!(source.width() <= width, "{width}: {source}");
        assert!(source.contains("utm_source=feed"), "{source}");
        assert!(
            source.starts_with("6 | ...") && source.ends_with("..."),
            "{source}"
        );
        // The carets start under the parameter.
        let carets = text
            .lines()
            .find(|line| line.contains('^'))
            .expect("carets");
        let param_at = source.find("utm_source").expect("the parameter is shown");
        assert_eq!(
            source[..param_at].width(),
            carets.find('^').expect("a caret"),
            "{text}"
        );
    }
}

#[test]
fn spans_wider_than_the_width_are_cut_with_an_ellipsis() {
    if !have_rules(&["MK013"]) {
        return;
    }
    use unicode_width::UnicodeWidthStr as _;
    let target = format!("https://example.com/{}", "长路径".repeat(60));
    let link = format!("https://link.zhihu.com/?target={target}");
    let post =
        format!("---\ntitle: Wide\ndate: 2024-01-02 10:00:00\n---\n\n前文 [原文]({link}) 后文\n");
    let site = hexo_site(&[("wide.md", &post)]);
    for (columns, width) in [(None, 140), (Some("80"), 80)] {
        let (text, source) = line_six_excerpt(site.path(), "MK013", columns);
        // The code line fits; the span is shown from its start and cut.
        assert!(source.width() <= width, "{width}: {source}");
        assert!(
            source.contains("https://link.zhihu.com/?target="),
            "{source}"
        );
        assert!(source.ends_with("..."), "{source}");
        // The carets start under the span and run through the ellipsis.
        let carets = text
            .lines()
            .find(|line| line.contains('^'))
            .expect("carets");
        let from = carets.find('^').expect("a caret");
        let to = carets.rfind('^').expect("a caret") + 1;
        assert_eq!(
            source[..source.find("https").expect("url")].width(),
            from,
            "{text}"
        );
        assert_eq!(source.width(), to, "{text}");
    }
}

#[test]
fn fix_keeps_crlf_bom_permissions_and_final_newline() {
    if !have_rules(&["MK001"]) {
        return;
    }
    let crlf = LEFTOVERS.replace('\n', "\r\n");
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend_from_slice(crlf.as_bytes());
    let site = hexo_site(&[]);
    let path = site.path().join("source/_posts/crlf.md");
    fs::write(&path, &bytes).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
    }
    let output = copydesk(site.path(), &["fix"]);
    assert!(code(&output) <= 1, "{}", stderr(&output));
    assert!(stdout(&output).contains("MK001"), "{}", stdout(&output));
    let after = fs::read(&path).expect("read");
    assert!(after.starts_with("\u{feff}".as_bytes()), "BOM kept");
    let text = String::from_utf8(after[3..].to_vec()).expect("UTF-8");
    assert!(!text.contains("正文下iframe"), "fixed: {text}");
    assert!(text.contains("第一段，金融。\r\n"), "{text:?}");
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "only CRLF: {text:?}"
    );
    assert!(text.ends_with("\r\n"), "final newline kept");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
    // No temporary files left behind.
    let names: Vec<_> = fs::read_dir(site.path().join("source/_posts"))
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn fix_is_idempotent_and_dry_run_writes_nothing() {
    if !have_rules(&["MK001"]) {
        return;
    }
    let site = hexo_site(&[("leftovers.md", LEFTOVERS)]);
    let path = site.path().join("source/_posts/leftovers.md");

    let output = copydesk(site.path(), &["fix", "--dry-run"]);
    assert!(code(&output) <= 1, "{}", stderr(&output));
    let diff = stdout(&output);
    assert!(diff.contains("--- a/source/_posts/leftovers.md"), "{diff}");
    assert!(diff.contains("+++ b/source/_posts/leftovers.md"), "{diff}");
    assert!(diff.contains("-<!-- 正文下iframe -->"), "{diff}");
    assert!(diff.contains("Would apply"), "{diff}");
    assert_eq!(fs::read_to_string(&path).expect("read"), LEFTOVERS);

    let output = copydesk(site.path(), &["fix"]);
    assert!(stdout(&output).contains("Applied"), "{}", stdout(&output));
    let once = fs::read_to_string(&path).expect("read");
    assert_ne!(once, LEFTOVERS);
    assert!(
        once.contains("第一段，金融。") && once.contains("第二段。"),
        "{once}"
    );

    let output = copydesk(site.path(), &["fix"]);
    assert!(
        stdout(&output).contains("No fixes to apply"),
        "{}",
        stdout(&output)
    );
    assert_eq!(fs::read_to_string(&path).expect("read"), once);
}

#[test]
fn invalid_utf8_and_binary_files_are_reported_and_untouched() {
    let site = hexo_site(&[("clean.md", CLEAN)]);
    let posts = site.path().join("source/_posts");
    let latin1 = b"---\ntitle: caf\xe9\n---\n<!-- \xe9 -->\n".to_vec();
    let binary = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    fs::write(posts.join("latin1.md"), &latin1).expect("write");
    fs::write(posts.join("image.md"), &binary).expect("write");
    fs::write(posts.join("notes.txt"), "<!-- 正文下iframe -->\n").expect("write");

    let output = copydesk(site.path(), &["fix", "--unsafe"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("latin1.md: skipped: not valid UTF-8"), "{err}");
    assert!(err.contains("image.md: skipped: binary file"), "{err}");
    assert_eq!(fs::read(posts.join("latin1.md")).expect("read"), latin1);
    assert_eq!(fs::read(posts.join("image.md")).expect("read"), binary);

    // A non-Markdown file named explicitly is reported and left alone.
    let output = copydesk(site.path(), &["fix", "source/_posts/notes.txt"]);
    assert!(stderr(&output).contains("notes.txt: skipped: not a Markdown file"));
    assert_eq!(
        fs::read_to_string(posts.join("notes.txt")).expect("read"),
        "<!-- 正文下iframe -->\n"
    );
}

#[test]
fn empty_and_whitespace_files_do_not_crash() {
    let site = hexo_site(&[
        ("empty.md", ""),
        ("blank.md", "\n\n  \n"),
        ("bom.md", "\u{feff}"),
    ]);
    for args in [
        &["check"][..],
        &["fix", "--unsafe"],
        &["check", "--format", "sarif"],
    ] {
        let output = copydesk(site.path(), args);
        assert!(code(&output) <= 1, "{args:?}: {}", stderr(&output));
    }
    assert_eq!(
        fs::read(site.path().join("source/_posts/bom.md")).expect("read"),
        "\u{feff}".as_bytes()
    );
}

#[test]
fn a_fifty_megabyte_post_does_not_crash() {
    let mut text = String::from("---\ntitle: Huge\ndate: 2024-01-02 10:00:00\n---\n\n");
    let paragraph = "一段很长的正文，with some ASCII too and no markup at all.\n\n";
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(paragraph);
    }
    let site = hexo_site(&[("huge.md", &text)]);
    let output = copydesk(site.path(), &["check", "--format", "json"]);
    assert!(code(&output) <= 1, "{}", stderr(&output));
    assert_eq!(json(&output)["files_checked"], 1);
}

#[test]
fn rules_and_explain() {
    let output = copydesk(Path::new("."), &["rules"]);
    assert_eq!(code(&output), 0);
    let table = stdout(&output);
    assert!(table.starts_with("CODE"), "{table}");
    for rule in registered_rules() {
        assert!(table.contains(&rule), "{rule} missing from {table}");
        let output = copydesk(Path::new("."), &["explain", &rule]);
        assert_eq!(code(&output), 0);
        let text = stdout(&output);
        assert!(text.starts_with(&rule), "{text}");
        assert!(text.contains("## What it does"), "{text}");
    }
    let output = copydesk(Path::new("."), &["explain", "MK999"]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("unknown rule"));
}

#[test]
fn taxonomy_json_counts_posts() {
    let tagged = "---\ntitle: A\ndate: 2024-01-02 10:00:00\ncategories:\n  - 科技\n  - 编程\ntags: [Rust, AI]\nauthor: 林一\n---\nText.\n";
    let other =
        "---\ntitle: B\ndate: 2024-01-03 10:00:00\ncategories: [科技]\ntags: [Rust]\n---\nText.\n";
    let site = hexo_site(&[("a.md", tagged), ("b.md", other)]);
    let output = copydesk(site.path(), &["taxonomy", "--format", "json"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let taxonomy = json(&output);
    assert_eq!(taxonomy["posts"], 2);
    let categories = &taxonomy["categories"];
    assert_eq!(categories[0]["name"], "科技", "{taxonomy}");
    assert_eq!(categories[0]["posts"], 2);
    assert_eq!(categories[0]["children"][0]["name"], "编程");
    assert_eq!(categories[0]["children"][0]["posts"], 1);
    assert_eq!(taxonomy["tags"][0]["name"], "Rust");
    assert_eq!(taxonomy["tags"][0]["posts"], 2);
    assert_eq!(taxonomy["tags"][1]["name"], "AI");
    assert_eq!(taxonomy["authors"][0]["name"], "林一");
    assert_eq!(taxonomy["authors"][0]["posts"], 1);

    let output = copydesk(site.path(), &["taxonomy"]);
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    assert!(text.starts_with("2 posts"), "{text}");
    assert!(text.contains("  科技 (2)\n    编程 (1)\n"), "{text}");
}

#[test]
fn example_site_shows_every_rule() {
    // Its copydesk.toml configures these two.
    if !have_rules(&["MK009", "FM010"]) {
        return;
    }
    let output = copydesk(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["check", "examples/hexo-site", "--format", "json"],
    );
    assert!(code(&output) <= 1, "{}", stderr(&output));
    let report = json(&output);
    let diagnostics = report["diagnostics"].as_array().expect("list");
    let fired: Vec<&str> = diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    let missing: Vec<String> = registered_rules()
        .into_iter()
        .filter(|code| !fired.contains(&code.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "rules the example site does not show: {missing:?}"
    );
    assert!(
        diagnostics
            .iter()
            .all(|d| !d["path"].as_str().unwrap_or("").contains("archive")),
        "excluded folder was checked"
    );
    assert!(example_site().join("copydesk.toml").is_file());
}

/// The README's rule table is generated: it must equal `copydesk rules --format markdown`.
/// `COPYDESK_UPDATE_README=1 cargo test --test cli readme` rewrites it.
#[test]
fn readme_rule_table_matches_the_registry() {
    const BEGIN: &str =
        "<!-- rules-table:begin (generated by `copydesk rules --format markdown`) -->\n";
    const END: &str = "<!-- rules-table:end -->";
    let readme_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = fs::read_to_string(&readme_path).expect("README.md");
    let start = readme.find(BEGIN).expect("begin marker") + BEGIN.len();
    let end = readme.find(END).expect("end marker");
    let output = copydesk(Path::new("."), &["rules", "--format", "markdown"]);
    let table = stdout(&output);
    if std::env::var_os("COPYDESK_UPDATE_README").is_some() {
        let updated = format!("{}{}{}", &readme[..start], table, &readme[end..]);
        fs::write(&readme_path, updated).expect("write README");
        return;
    }
    assert_eq!(
        &readme[start..end],
        table,
        "README rule table is stale: run `COPYDESK_UPDATE_README=1 cargo test --test cli readme`"
    );
}

// ---- The conventions a ruff or rumdl user expects (SPEC §1) ----

/// A post with one warning (MK001, CMS comment between blank lines) and nothing else.
const COMMENTED: &str = "---\ntitle: Commented\ndate: 2024-01-02 10:00:00\n---\n\nfirst\n\n<!-- 正文下iframe -->\n\nsecond\n";

#[test]
fn every_output_format_renders_the_findings() {
    if !have_rules(&["MK001"]) {
        return;
    }
    let site = hexo_site(&[("commented.md", COMMENTED), ("clean.md", CLEAN)]);
    let run = |format: &str| {
        let output = copydesk(
            site.path(),
            &["check", "--select", "MK001", "--output-format", format],
        );
        assert_eq!(code(&output), 0, "{format}: {}", stderr(&output));
        stdout(&output)
    };
    let full = run("full");
    assert!(
        full.contains("source/_posts/commented.md:8:1: warning[MK001]"),
        "{full}"
    );
    assert!(
        full.contains("\nhelp: "),
        "a help line names the fix: {full}"
    );
    assert_eq!(run("human"), full, "`human` is an alias of `full`");
    let concise = run("concise");
    assert_eq!(
        concise.lines().filter(|l| l.contains("MK001")).count(),
        1,
        "{concise}"
    );
    assert!(
        concise.starts_with("source/_posts/commented.md:8:1: warning MK001 [*] "),
        "{concise}"
    );
    let lines = run("json-lines");
    assert_eq!(lines.lines().count(), 1, "{lines}");
    let finding: Value = serde_json::from_str(lines.trim()).expect("one JSON object per line");
    assert_eq!(finding["code"], "MK001");
    let gitlab: Value = serde_json::from_str(&run("gitlab")).expect("Code Quality JSON");
    let issue = &gitlab.as_array().expect("an array of issues")[0];
    assert_eq!(issue["check_name"], "MK001");
    assert_eq!(issue["severity"], "minor");
    assert_eq!(issue["location"]["path"], "source/_posts/commented.md");
    assert_eq!(issue["location"]["positions"]["begin"]["line"], 8);
    assert_eq!(issue["fingerprint"].as_str().map(str::len), Some(32));
    let junit = run("junit");
    assert!(junit.starts_with("<?xml"), "{junit}");
    assert!(junit.contains("tests=\"2\" failures=\"1\""), "{junit}");
    assert!(junit.contains("<failure message=\"CMS comment"), "{junit}");
    // `--format` is the alias of `--output-format`.
    let output = copydesk(
        site.path(),
        &["check", "--format", "concise", "--select", "MK001"],
    );
    assert_eq!(stdout(&output), concise);
}

#[test]
fn fail_on_and_exit_zero_set_the_failing_level() {
    if !have_rules(&["MK001", "FM003"]) {
        return;
    }
    let warning = hexo_site(&[("commented.md", COMMENTED)]);
    let status = |site: &tempfile::TempDir, extra: &[&str]| {
        let mut args = vec!["check", "--select", "MK001,FM003"];
        args.extend_from_slice(extra);
        code(&copydesk(site.path(), &args))
    };
    assert_eq!(status(&warning, &[]), 0, "warnings pass by default");
    assert_eq!(status(&warning, &["--fail-on", "warning"]), 1);
    assert_eq!(status(&warning, &["--fail-on", "hint"]), 1);
    assert_eq!(status(&warning, &["--fail-on", "error"]), 0);
    let error = hexo_site(&[("broken.md", BROKEN)]);
    assert_eq!(status(&error, &[]), 1);
    assert_eq!(status(&error, &["--fail-on", "never"]), 0);
    assert_eq!(status(&error, &["--exit-zero"]), 0);
    assert_eq!(
        status(&error, &["--exit-zero", "--output-format", "sarif"]),
        0
    );
    assert_eq!(status(&error, &["--fail-on", "loud"]), 2, "a usage error");
}

#[test]
fn quiet_prints_findings_only_and_verbose_says_what_was_skipped() {
    if !have_rules(&["MK001"]) {
        return;
    }
    let site = hexo_site(&[("commented.md", COMMENTED)]);
    fs::write(site.path().join("README.md"), CLEAN).expect("write");
    let output = copydesk(site.path(), &["check", "-q", "--output-format", "concise"]);
    assert_eq!(stdout(&output).lines().count(), 1, "{}", stdout(&output));
    let output = copydesk(
        site.path(),
        &["check", "-q", "README.md", "source/_posts/commented.md"],
    );
    assert!(!stdout(&output).contains("Found"), "{}", stdout(&output));
    assert!(
        !stderr(&output).contains("README.md"),
        "{}",
        stderr(&output)
    );
    let output = copydesk(
        site.path(),
        &["check", "-v", "README.md", "source/_posts/commented.md"],
    );
    assert!(
        stderr(&output).contains("README.md: skipped: outside the content roots"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("(hexo, no copydesk.toml): 1 to process"),
        "the site is named: {}",
        stderr(&output)
    );
    let output = copydesk(site.path(), &["check", "-q", "-v"]);
    assert_eq!(code(&output), 2, "-q and -v conflict");
}

#[test]
fn colour_follows_the_flag_and_the_environment() {
    if !have_rules(&["MK001"]) {
        return;
    }
    let site = hexo_site(&[("commented.md", COMMENTED)]);
    let coloured = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        stdout(&copydesk_env(site.path(), &all, env)).contains('\u{1b}')
    };
    assert!(!coloured(&[], &[]), "not a terminal: plain");
    assert!(coloured(&["--color", "always"], &[]));
    assert!(!coloured(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(coloured(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(
        !coloured(&[], &[("CLICOLOR_FORCE", "0")]),
        "CLICOLOR_FORCE=0 forces nothing"
    );
    assert!(coloured(&[], &[("FORCE_COLOR", "1")]));
    assert!(
        !coloured(&[], &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]),
        "NO_COLOR wins"
    );
    let output = copydesk_env(
        site.path(),
        &["check", "--color", "always"],
        &[("FORCE_HYPERLINK", "1")],
    );
    assert!(
        stdout(&output).contains("\u{1b}]8;;https://"),
        "the code links to its doc: {}",
        stdout(&output)
    );
}

#[test]
fn runs_that_check_nothing_say_so_and_fail_when_paths_matched_nothing() {
    let site = hexo_site(&[]);
    fs::create_dir_all(site.path().join("source/_posts/empty")).expect("mkdir");
    let output = copydesk(site.path(), &["check", "source/_posts/empty"]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("no posts found"),
        "{}",
        stderr(&output)
    );
    assert!(
        !stdout(&output).contains("All checks passed"),
        "{}",
        stdout(&output)
    );
    // A site without posts, checked by default, is not a misconfiguration.
    let output = copydesk(site.path(), &["check"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("no posts found"),
        "{}",
        stderr(&output)
    );
    // Content roots that do not exist are.
    fs::write(site.path().join("copydesk.toml"), "content = [\"nope\"]\n").expect("write");
    let output = copydesk(site.path(), &["check"]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(stderr(&output).contains("`nope`"), "{}", stderr(&output));
    let output = copydesk(site.path(), &["fix"]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
}

#[test]
fn an_unreadable_path_is_reported_and_the_run_goes_on() {
    if !have_rules(&["FM003"]) {
        return;
    }
    let site = hexo_site(&[("broken.md", BROKEN)]);
    let output = copydesk(
        site.path(),
        &[
            "check",
            "--output-format",
            "concise",
            "missing.md",
            "source/_posts/broken.md",
        ],
    );
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("missing.md"),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("broken.md:1:1: error FM003"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn check_fix_diff_and_dry_run() {
    if !have_rules(&["MK001"]) {
        return;
    }
    let site = hexo_site(&[("commented.md", COMMENTED)]);
    let path = site.path().join("source/_posts/commented.md");
    let output = copydesk(site.path(), &["check", "--diff"]);
    assert_eq!(code(&output), 1, "--diff fails when a file would change");
    assert!(
        stdout(&output).contains("-<!-- 正文下iframe -->"),
        "{}",
        stdout(&output)
    );
    let output = copydesk(site.path(), &["fix", "--diff"]);
    assert_eq!(code(&output), 1);
    let output = copydesk(site.path(), &["fix", "--dry-run"]);
    assert_eq!(code(&output), 0, "--dry-run has no diff gate");
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        COMMENTED,
        "nothing written"
    );

    let output = copydesk(site.path(), &["check", "--fix"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("Applied 1 fix in 1 file"), "{out}");
    assert!(out.contains("MK001  cms-comment"), "per rule: {out}");
    assert!(
        out.contains("1  source/_posts/commented.md"),
        "per file: {out}"
    );
    let fixed = fs::read_to_string(&path).expect("read");
    assert!(
        !fixed.contains("\n\n\n"),
        "no blank-line pair left: {fixed:?}"
    );
    assert!(fixed.contains("first\n\nsecond\n"), "{fixed:?}");
    let output = copydesk(site.path(), &["check", "--diff"]);
    assert_eq!(code(&output), 0, "nothing left to change");
    assert_eq!(
        stdout(&output).matches("---").count(),
        0,
        "{}",
        stdout(&output)
    );
    // The ruff spelling of --unsafe.
    let output = copydesk(site.path(), &["check", "--fix", "--unsafe-fixes"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let output = copydesk(site.path(), &["fix", "--unsafe-fixes"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
}

#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_written_is_reported_not_counted() {
    use std::os::unix::fs::PermissionsExt;
    if !have_rules(&["MK001"]) {
        return;
    }
    let site = hexo_site(&[("commented.md", COMMENTED)]);
    let posts = site.path().join("source/_posts");
    fs::set_permissions(&posts, fs::Permissions::from_mode(0o555)).expect("chmod");
    if tempfile::tempfile_in(&posts).is_ok() {
        fs::set_permissions(&posts, fs::Permissions::from_mode(0o755)).expect("chmod");
        eprintln!("note: skipped, permissions are not enforced for this user (root?)");
        return;
    }
    let output = copydesk(site.path(), &["fix"]);
    fs::set_permissions(&posts, fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cannot write"),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("No fixes to apply"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn stdin_is_checked_and_fixed_in_its_site() {
    if !have_rules(&["MK001"]) {
        return;
    }
    let site = hexo_site(&[("clean.md", CLEAN)]);
    let input = COMMENTED.as_bytes();
    let output = copydesk_stdin(
        site.path(),
        &[
            "check",
            "-",
            "--stdin-filename",
            "source/_posts/new.md",
            "--output-format",
            "concise",
        ],
        &[],
        Some(input),
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("source/_posts/new.md:8:1: warning MK001"),
        "{}",
        stdout(&output)
    );
    let output = copydesk_stdin(
        site.path(),
        &["check", "-", "--fail-on", "warning"],
        &[],
        Some(input),
    );
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    // `fix -` writes the fixed post to stdout, BOM and CRLF kept.
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend_from_slice(COMMENTED.replace('\n', "\r\n").as_bytes());
    let output = copydesk_stdin(
        site.path(),
        &["fix", "-", "--stdin-filename", "source/_posts/new.md"],
        &[],
        Some(&bytes),
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let fixed = output.stdout.clone();
    assert!(fixed.starts_with("\u{feff}".as_bytes()), "BOM kept");
    let text = String::from_utf8(fixed[3..].to_vec()).expect("UTF-8");
    assert_eq!(
        text,
        "---\r\ntitle: Commented\r\ndate: 2024-01-02 10:00:00\r\n---\r\n\r\nfirst\r\n\r\nsecond\r\n"
    );
    assert!(
        stderr(&output).contains("Applied 1 fix"),
        "the report goes to stderr: {}",
        stderr(&output)
    );
    assert!(
        !site.path().join("source/_posts/new.md").exists(),
        "nothing written"
    );
    let output = copydesk_stdin(site.path(), &["check", "-", "clean.md"], &[], Some(input));
    assert_eq!(code(&output), 2, "`-` is alone");
}

#[test]
fn config_path_and_isolated_choose_the_settings() {
    if !have_rules(&["MK001"]) {
        return;
    }
    let site = hexo_site(&[("commented.md", COMMENTED)]);
    fs::write(
        site.path().join("copydesk.toml"),
        "[rules]\nMK001 = \"off\"\n",
    )
    .expect("write");
    fs::write(
        site.path().join("strict.toml"),
        "[rules]\nMK001 = \"error\"\n",
    )
    .expect("write");
    let findings = |args: &[&str]| {
        let mut all = vec!["check", "--output-format", "concise", "-q"];
        all.extend_from_slice(args);
        let output = copydesk(site.path(), &all);
        (code(&output), stdout(&output))
    };
    assert_eq!(findings(&[]).1, "", "copydesk.toml turns MK001 off");
    let (status, out) = findings(&["--isolated"]);
    assert!(out.contains("warning MK001"), "no config file read: {out}");
    assert_eq!(status, 0);
    let (status, out) = findings(&["--config", "strict.toml"]);
    assert!(out.contains("error MK001"), "{out}");
    assert_eq!(status, 1);
    assert_eq!(findings(&["--config", "nope.toml"]).0, 2);
    // --extend-select turns a rule back on; names are accepted wherever codes are.
    assert!(findings(&["--extend-select", "MK001"]).1.contains("MK001"));
    assert!(
        findings(&["--isolated", "--select", "cms-comment"])
            .1
            .contains("MK001")
    );
    assert_eq!(findings(&["--isolated", "--ignore", "cms-comment"]).1, "");
}

#[test]
fn each_file_is_linted_with_its_own_site() {
    if !have_rules(&["MK001"]) {
        return;
    }
    let root = tempfile::tempdir().expect("temp dir");
    for (name, severity) in [("a", "error"), ("b", "info")] {
        let site = root.path().join(name);
        fs::create_dir_all(site.join("source/_posts")).expect("mkdir");
        fs::write(site.join("_config.yml"), "title: x\n").expect("write");
        fs::write(
            site.join("copydesk.toml"),
            format!("[rules]\nMK001 = \"{severity}\"\n"),
        )
        .expect("write");
        fs::write(site.join("source/_posts/post.md"), COMMENTED).expect("write");
    }
    let a = "a/source/_posts/post.md";
    let b = "b/source/_posts/post.md";
    let concise = |paths: &[&str]| {
        let mut args = vec!["check", "-q", "--output-format", "concise"];
        args.extend_from_slice(paths);
        stdout(&copydesk(root.path(), &args))
    };
    let together = concise(&[a, b]);
    assert_eq!(together, concise(&[a]) + &concise(&[b]), "{together}");
    assert!(
        together.contains("a/source/_posts/post.md:8:1: error MK001"),
        "{together}"
    );
    assert!(
        together.contains("b/source/_posts/post.md:8:1: info MK001"),
        "{together}"
    );
    assert_eq!(code(&copydesk(root.path(), &["check", b])), 0);
    assert_eq!(code(&copydesk(root.path(), &["check", b, a])), 1);
}

#[test]
fn named_files_outside_the_content_roots_or_excluded_are_skipped() {
    if !have_rules(&["FM003"]) {
        return;
    }
    let site = hexo_site(&[("archive/old.md", BROKEN), ("clean.md", CLEAN)]);
    fs::write(
        site.path().join("copydesk.toml"),
        "exclude = [\"source/_posts/archive/**\"]\n",
    )
    .expect("write");
    fs::write(site.path().join("NOTES.md"), BROKEN).expect("write");
    let archived = "source/_posts/archive/old.md";
    let output = copydesk(site.path(), &["check", archived, "NOTES.md"]);
    assert_eq!(code(&output), 0, "{}{}", stdout(&output), stderr(&output));
    let output = copydesk(site.path(), &["check", "-v", archived]);
    assert!(
        stderr(&output).contains("matches `exclude`"),
        "{}",
        stderr(&output)
    );
    let output = copydesk(
        site.path(),
        &["check", "--no-force-exclude", archived, "NOTES.md"],
    );
    assert_eq!(code(&output), 1, "{}", stdout(&output));
    assert!(
        stdout(&output).contains("NOTES.md:1:1"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn show_settings_and_show_files() {
    let site = hexo_site(&[("clean.md", CLEAN), ("other.md", CLEAN)]);
    fs::write(
        site.path().join("copydesk.toml"),
        "[rules]\nFM003 = \"warning\"\n",
    )
    .expect("write");
    let output = copydesk(site.path(), &["check", "--show-files"]);
    assert_eq!(code(&output), 0);
    assert_eq!(
        stdout(&output),
        "source/_posts/clean.md\nsource/_posts/other.md\n"
    );
    let output = copydesk(site.path(), &["check", "--show-settings"]);
    assert_eq!(code(&output), 0);
    let out = stdout(&output);
    assert!(
        out.contains("generator: hexo (detected from the site's files)"),
        "{out}"
    );
    assert!(out.contains("content roots: source/_posts"), "{out}");
    assert!(out.contains("copydesk.toml"), "{out}");
    if have_rules(&["FM003"]) {
        assert!(
            out.lines()
                .any(|l| l.contains("FM003") && l.ends_with("warning")),
            "{out}"
        );
    }
}

#[test]
fn per_file_ignores_and_rule_names_in_the_config() {
    if !have_rules(&["MK001", "FM003"]) {
        return;
    }
    let site = hexo_site(&[("archive/old.md", COMMENTED), ("new.md", COMMENTED)]);
    fs::write(
        site.path().join("copydesk.toml"),
        "[rules]\ncms-comment = \"error\"\n\n[per-file-ignores]\n\"source/_posts/archive/**\" = [\"MK\"]\n",
    )
    .expect("write");
    let output = copydesk(site.path(), &["check", "-q", "--output-format", "concise"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "source/_posts/new.md:8:1: error MK001 [*] CMS comment `正文下iframe`\n"
    );
    // Fixing obeys the same ignores.
    let output = copydesk(site.path(), &["fix"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let archived =
        fs::read_to_string(site.path().join("source/_posts/archive/old.md")).expect("read");
    assert_eq!(archived, COMMENTED);
}

#[test]
fn config_errors_suggest_the_key_or_code_meant() {
    let site = hexo_site(&[("clean.md", CLEAN)]);
    fs::write(
        site.path().join("copydesk.toml"),
        "# cms-coment is misspelt below\n[rules]\ncms-coment = \"off\"\n",
    )
    .expect("write");
    let output = copydesk(site.path(), &["check"]);
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    assert!(
        err.contains("copydesk.toml:3:1:"),
        "the key, not the comment: {err}"
    );
    if have_rules(&["MK001"]) {
        assert!(err.contains("did you mean `cms-comment`"), "{err}");
    }
    fs::write(site.path().join("copydesk.toml"), "\nexlude = []\n").expect("write");
    let err = stderr(&copydesk(site.path(), &["check"]));
    assert!(err.contains("copydesk.toml:2:1:"), "{err}");
    assert!(err.contains("did you mean `exclude`"), "{err}");
}

#[test]
fn init_writes_a_starter_config_and_completions_print_a_script() {
    let site = hexo_site(&[("clean.md", CLEAN)]);
    let output = copydesk(&site.path().join("source/_posts"), &["init"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let written =
        fs::read_to_string(site.path().join("copydesk.toml")).expect("written at the root");
    assert!(written.contains("generator = \"hexo\""), "{written}");
    let output = copydesk(site.path(), &["check", "--show-settings"]);
    assert_eq!(
        code(&output),
        0,
        "the starter is valid: {}",
        stderr(&output)
    );
    let output = copydesk(site.path(), &["init"]);
    assert_eq!(code(&output), 2, "never overwritten");
    for shell in ["bash", "zsh", "fish"] {
        let output = copydesk(site.path(), &["completions", shell]);
        assert_eq!(code(&output), 0, "{shell}");
        assert!(stdout(&output).contains("output-format"), "{shell}");
    }
    assert_eq!(code(&copydesk(site.path(), &["completions", "tcsh"])), 2);
}

#[test]
fn a_folder_holding_two_sites_gives_each_file_its_own_site() {
    if !have_rules(&["MK001"]) {
        return;
    }
    let root = tempfile::tempdir().expect("temp dir");
    let blog = root.path().join("blog");
    fs::create_dir_all(blog.join("source/_posts")).expect("mkdir");
    fs::write(blog.join("_config.yml"), "title: x\n").expect("write");
    fs::write(blog.join("copydesk.toml"), "[rules]\nMK001 = \"error\"\n").expect("write");
    fs::write(blog.join("source/_posts/post.md"), COMMENTED).expect("write");
    fs::write(blog.join("NOTES.md"), COMMENTED).expect("write");
    let docs = root.path().join("docs");
    fs::create_dir_all(docs.join("content")).expect("mkdir");
    fs::write(docs.join("hugo.toml"), "title = \"x\"\n").expect("write");
    fs::write(docs.join("content/page.md"), COMMENTED).expect("write");
    fs::write(root.path().join("README.md"), "# Two sites\n").expect("write");
    let concise = |paths: &[&str]| {
        let mut args = vec!["check", "-q", "--output-format", "concise"];
        args.extend_from_slice(paths);
        stdout(&copydesk(root.path(), &args))
    };
    let whole = concise(&["."]);
    assert!(
        whole.contains("blog/source/_posts/post.md:8:1: error MK001"),
        "{whole}"
    );
    assert!(
        whole.contains("docs/content/page.md:8:1: warning MK001"),
        "{whole}"
    );
    assert!(
        !whole.contains("NOTES.md"),
        "outside the blog's content roots: {whole}"
    );
    let alone = concise(&["blog/source/_posts/post.md"])
        + &concise(&["docs/content/page.md"])
        + &concise(&["README.md"]);
    let mut whole_lines: Vec<&str> = whole.lines().collect();
    let mut alone_lines: Vec<&str> = alone.lines().collect();
    whole_lines.sort_unstable();
    alone_lines.sort_unstable();
    assert_eq!(whole_lines, alone_lines);
}

#[test]
fn suppressions_silence_findings_and_stale_ones_are_reported() {
    if !have_rules(&["CD001", "FM009", "MK001"]) {
        return;
    }
    let post = "---\ntitle: Quiet\ndate: 2013/7/13 20:46:25 # copydesk-disable FM009\ntags: [a] # copydesk-disable non-canonical-date\n---\n\n第一段。 <!-- copydesk-disable-line MK001 --><!-- 正文下iframe -->\n\n<!-- copydesk-disable-next-line MK099 -->\n第二段。\n";
    let site = hexo_site(&[("quiet.md", post)]);
    let output = copydesk(
        site.path(),
        &[
            "check",
            "--output-format",
            "concise",
            "--fail-on",
            "warning",
        ],
    );
    let out = stdout(&output);
    let codes: Vec<&str> = out
        .lines()
        .filter(|line| line.contains("quiet.md:"))
        .filter_map(|line| line.split_whitespace().nth(2))
        .collect();
    assert_eq!(codes, ["CD001", "CD001"], "{out}");
    assert!(
        out.contains("quiet.md:4:"),
        "the unused FM directive: {out}"
    );
    assert!(out.contains("`MK099` names no rule"), "{out}");
    assert_eq!(code(&output), 1, "CD001 is a warning");
    // `disable-file` silences the rest; `fix` removes the stale directives.
    let output = copydesk(site.path(), &["fix"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let fixed = fs::read_to_string(site.path().join("source/_posts/quiet.md")).expect("read");
    assert!(fixed.contains("tags: [a]\n"), "{fixed}");
    assert!(!fixed.contains("MK099"), "{fixed}");
    assert!(fixed.contains("# copydesk-disable FM009"), "{fixed}");
    let output = copydesk(site.path(), &["check", "--fail-on", "hint"]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
}

#[test]
fn stdin_named_as_an_excluded_file_is_left_alone() {
    if !have_rules(&["MK001"]) {
        return;
    }
    let site = hexo_site(&[("clean.md", CLEAN)]);
    fs::write(
        site.path().join("copydesk.toml"),
        "exclude = [\"source/_posts/archive/**\"]\n",
    )
    .expect("write");
    let name = "source/_posts/archive/old.md";
    let input = COMMENTED.as_bytes();
    let args = ["check", "-", "--stdin-filename", name, "--fail-on", "hint"];
    let output = copydesk_stdin(site.path(), &args, &[], Some(input));
    assert_eq!(code(&output), 0, "{}{}", stdout(&output), stderr(&output));
    assert!(!stdout(&output).contains("MK001"), "{}", stdout(&output));
    // `fix -` gives the post back as it came, so a format-on-save pipe loses nothing.
    let output = copydesk_stdin(
        site.path(),
        &["fix", "-", "--stdin-filename", name],
        &[],
        Some(input),
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(output.stdout, input);
    let mut args = args.to_vec();
    args.push("--no-force-exclude");
    let output = copydesk_stdin(site.path(), &args, &[], Some(input));
    assert_eq!(code(&output), 1, "{}", stdout(&output));
}

#[test]
fn dependency_and_output_folders_are_never_linted() {
    if !have_rules(&["FM003"]) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    for folder in ["node_modules/pkg", "public", "resources", "_site", "docs"] {
        let path = dir.path().join(folder);
        fs::create_dir_all(&path).expect("mkdir");
        fs::write(path.join("page.md"), BROKEN).expect("write");
    }
    let output = copydesk(dir.path(), &["check", ".", "--output-format", "concise"]);
    let out = stdout(&output);
    let files: Vec<&str> = out
        .lines()
        .filter_map(|line| line.split(':').next())
        .filter(|file| file.ends_with(".md"))
        .collect();
    assert_eq!(files, ["docs/page.md"], "{out}");
    // Named explicitly, such a folder is checked.
    let output = copydesk(
        dir.path(),
        &["check", "public", "--output-format", "concise"],
    );
    assert!(
        stdout(&output).contains("public/page.md"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn taxonomy_rename_and_merge_edit_every_post_in_place() {
    let finance = "---\ntitle: A\ncategories:\n  - 金融\n  - 新浪财经\ntags: ['Rust', \"go\"]  # keep me\n---\n\nbody\n";
    let tech = "---\ntitle: B\ncategories: [科技, 新浪财经]\ntags:\n- golang\n- Go\n---\n\nbody\n";
    let site = hexo_site(&[("a.md", finance), ("b.md", tech)]);
    let read = |name: &str| {
        fs::read_to_string(site.path().join("source/_posts").join(name)).expect("read")
    };
    // Hierarchy-aware: only 金融 > 新浪财经 is renamed.
    let args = ["taxonomy", "rename", "--under", "金融", "新浪财经", "新浪"];
    let output = copydesk(site.path(), &[&args[..], &["--diff"]].concat());
    assert_eq!(code(&output), 1, "the diff gate: {}", stderr(&output));
    assert!(stdout(&output).contains("+  - 新浪"), "{}", stdout(&output));
    assert_eq!(read("a.md"), finance, "--diff writes nothing");
    let output = copydesk(site.path(), &args);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(read("a.md"), finance.replace("  - 新浪财经", "  - 新浪"));
    assert_eq!(read("b.md"), tech, "科技 > 新浪财经 is another category");
    // Quoting and every other byte kept; the kind is inferred when only one fits.
    let output = copydesk(site.path(), &["taxonomy", "rename", "Rust", "rust-lang"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(read("a.md").contains("tags: ['rust-lang', \"go\"]  # keep me\n"));
    // Merge several values into the last one: a post holding both keeps one.
    let output = copydesk(
        site.path(),
        &["taxonomy", "merge", "--kind", "tag", "golang", "Go", "go"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(read("b.md"), tech.replace("- golang\n- Go\n", "- go\n"));
    // Refused: a name that cannot be written as the same value, an unknown value.
    let before = (read("a.md"), read("b.md"));
    for args in [
        &["taxonomy", "rename", "go", " go"][..],
        &["taxonomy", "rename", "go", "a\nb"],
        &["taxonomy", "rename", "--kind", "author", "nobody", "x"],
    ] {
        let output = copydesk(site.path(), args);
        assert_eq!(code(&output), 2, "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains("error"), "{}", stderr(&output));
    }
    assert_eq!((read("a.md"), read("b.md")), before, "nothing written");
}
