//! Parity: for every post of a site, the language server's pulled diagnostics (the
//! post opened from disk over real JSON-RPC) equal `copydesk check --format json`
//! for that post, code for code and range for range (byte ranges converted to
//! UTF-16 positions). Sites: `examples/hexo-site`, fixture sites written here, and
//! `../shared/corpus` + `../shared/sites/*` when present (every post).

#[path = "lsp/client.rs"]
mod client;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use client::{TestClient, file_uri, pulling_client, write_fixture};
use copydesk::workspace::Site;
use serde_json::{Value, json};

/// One diagnostic as both shells must agree on it: code and UTF-16 range.
type Finding = (String, (u64, u64), (u64, u64));

/// The folder with the shared third-party data: `<repo>/../shared`, else `/work/shared`.
fn shared() -> Option<PathBuf> {
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    [beside, PathBuf::from("/work/shared")]
        .into_iter()
        .find(|dir| dir.is_dir())
}

/// Zero-based line and UTF-16 column of a byte offset, lines broken as LSP breaks
/// them (`\n`, `\r\n`, lone `\r`).
fn utf16_position(text: &str, offset: usize) -> (u64, u64) {
    let (mut line, mut col) = (0u64, 0u64);
    let mut chars = text[..offset].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                line += 1;
                col = 0;
            }
            _ => col += c.len_utf16() as u64,
        }
    }
    (line, col)
}

fn read_text(path: &Path) -> Option<String> {
    let text = String::from_utf8(std::fs::read(path).ok()?).ok()?;
    if text.contains('\0') {
        return None;
    }
    Some(text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned())
}

/// `copydesk check --format json` run in `root`: findings per post path (relative).
fn cli_findings(root: &Path) -> BTreeMap<String, Vec<Finding>> {
    let output = Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["check", "--format", "json"])
        .current_dir(root)
        .output()
        .expect("run copydesk");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "{}: no JSON report ({error}): {}",
            root.display(),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let mut texts: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut found: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    for d in report["diagnostics"].as_array().into_iter().flatten() {
        let path = d["path"].as_str().expect("path").to_owned();
        let text = texts
            .entry(path.clone())
            .or_insert_with(|| read_text(&root.join(&path)));
        let Some(text) = text else { continue };
        let range = &d["byte_range"];
        let (start, end) = (range[0].as_u64(), range[1].as_u64());
        let (Some(start), Some(end)) = (start, end) else {
            panic!("no byte range in {d}");
        };
        found.entry(path).or_default().push((
            d["code"].as_str().unwrap_or_default().to_owned(),
            utf16_position(text, start as usize),
            utf16_position(text, end as usize),
        ));
    }
    for findings in found.values_mut() {
        findings.sort();
    }
    found
}

fn position(value: &Value) -> (u64, u64) {
    (
        value["line"].as_u64().unwrap_or(u64::MAX),
        value["character"].as_u64().unwrap_or(u64::MAX),
    )
}

/// What one site's comparison found.
#[derive(Default, Debug)]
struct Tally {
    posts: usize,
    diagnostics: usize,
    mismatched_posts: Vec<String>,
    codes: BTreeMap<String, usize>,
}

/// Compares the server with the CLI on every post of the site at `root`.
async fn compare_site(root: &Path) -> Tally {
    let root = root.canonicalize().expect("site root");
    let site = Site::discover(&root).expect("site");
    assert_eq!(site.root, root, "the site root is the folder opened");
    let mut posts = site.walk(&site.content_roots()).files;
    posts.retain(|path| copydesk::workspace::is_markdown(path));
    let cli = cli_findings(&root);

    let mut client = TestClient::in_process();
    client
        .initialize(pulling_client(&["utf-16"]), Some(&root), Value::Null)
        .await;
    client.wait_for_index().await;
    let mut tally = Tally::default();
    for path in posts {
        let Some(text) = read_text(&path) else {
            continue;
        };
        let relative = site.post_key(&path).to_string();
        let uri = file_uri(&path);
        client.open(&uri, &text).await;
        let mut served: Vec<Finding> = client
            .pull(&uri)
            .await
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or_default().to_owned(),
                    position(&d["range"]["start"]),
                    position(&d["range"]["end"]),
                )
            })
            .collect();
        served.sort();
        client
            .notify(
                "textDocument/didClose",
                json!({"textDocument": {"uri": uri}}),
            )
            .await;
        let expected = cli.get(&relative).cloned().unwrap_or_default();
        tally.posts += 1;
        tally.diagnostics += expected.len();
        for (code, ..) in &expected {
            *tally.codes.entry(code.clone()).or_default() += 1;
        }
        if served != expected {
            eprintln!(
                "{relative}: server {served:?}\n{:width$}  cli    {expected:?}",
                "",
                width = relative.len()
            );
            tally.mismatched_posts.push(relative);
        }
    }
    client.shutdown().await;
    tally
}

async fn assert_parity(root: &Path) -> Tally {
    let tally = compare_site(root).await;
    eprintln!(
        "parity {}: {} posts, {} diagnostics, {} posts differ",
        root.display(),
        tally.posts,
        tally.diagnostics,
        tally.mismatched_posts.len()
    );
    assert!(
        tally.mismatched_posts.is_empty(),
        "{}: the server and the CLI differ on {:?}",
        root.display(),
        tally.mismatched_posts
    );
    tally
}

/// A Hexo site whose posts trip every site-dependent rule, and whose
/// `[per-file-ignores]` both shells must honour alike.
const HEXO_FIXTURE: &str = r#"%! _config.yml
title: fixture
%! copydesk.toml
[per-file-ignores]
"source/_posts/imported/**" = ["cms-comment"]
%! source/_posts/imported/feed.md
---
title: 转载
date: 2024-01-07 10:00:00
---
正文 <!-- 正文下iframe --> 正文 <span data-sudaclick="x">链接</span>
%! source/_posts/a.md
---
title: 科技新闻一
date: 2024-01-02 10:00:00
categories: [科技]
tags: [Rust, AI]
---
body
%! source/_posts/b.md
---
title: 科技新闻二
date: 2024-01-03 10:00:00
categories: [科技]
tags: [Rust]
---
body
%! source/_posts/c.md
---
title: 科技新闻三
date: 2024-01-04 10:00:00
categories:
- 科技
tags: [rust]
---
body
%! source/_posts/typo.md
---
title: 打错了
date: 2024-01-05 10:00:00
catagories: [科枝]
categories: [科枝]
tags: [Rust ]
---
<div class="ad-banner">广告</div>
%! source/_posts/missing.md
---
categories: [科技]
---
no title, no date
%! source/_posts/sub/deep.md
---
title: deep
date: 2024-01-06 10:00:00
categories: [[科技, 新浪财经]]
---
"#;

/// A Jekyll and a Hugo site: the key comes from a path with folders in it.
const JEKYLL_FIXTURE: &str = r#"%! _config.yml
title: fixture
%! _posts/2024-01-02-a.md
---
layout: post
title: a
tags: [go]
---
%! _posts/en/2024-01-03-b.md
---
layout: post
title: b
tags: [go]
---
%! _posts/en/2024-01-04-c.md
---
layout: post
title: c
tagz: [Go]
tags: [Go]
---
"#;

const HUGO_FIXTURE: &str = r#"%! hugo.toml
contentDir = "posts"
%! posts/a.md
+++
title = "a"
date = 2024-01-02T10:00:00Z
categories = ["tech"]
+++
%! posts/b/index.md
+++
title = "b"
date = 2024-01-03T10:00:00Z
categories = ["tech"]
+++
%! posts/c.md
---
title: c
date: 2024-01-04T10:00:00Z
categories: [tehc]
---
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parity_on_fixture_sites() {
    let mut codes: BTreeMap<String, usize> = BTreeMap::new();
    for fixture in [HEXO_FIXTURE, JEKYLL_FIXTURE, HUGO_FIXTURE] {
        let dir = tempfile::tempdir().expect("tempdir");
        write_fixture(dir.path(), fixture);
        let tally = assert_parity(dir.path()).await;
        for (code, count) in tally.codes {
            *codes.entry(code).or_default() += count;
        }
    }
    // Parity must not hold only because both sides are silent on the rules
    // that depend on the rest of the site.
    for code in ["FM006", "FM010", "FM013", "FM014"] {
        assert!(codes.contains_key(code), "no {code} in {codes:?}");
    }
}

/// A post that starts with a byte-order mark: the client sends the text without
/// it (as VS Code does), and the server must still judge the file as `check`
/// does (Jekyll does not read front matter after a BOM: FM001).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parity_on_a_post_that_starts_with_a_bom() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("_posts")).expect("mkdir");
    std::fs::write(dir.path().join("_config.yml"), "title: bom\n").expect("write");
    std::fs::write(
        dir.path().join("_posts/2024-01-02-bom.md"),
        "\u{feff}---\nlayout: post\ntitle: bom\n---\nbody\n",
    )
    .expect("write");
    let tally = assert_parity(dir.path()).await;
    assert_eq!(tally.codes.get("FM001"), Some(&1), "{:?}", tally.codes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parity_on_the_example_site() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/hexo-site");
    let tally = assert_parity(&example).await;
    assert!(tally.diagnostics > 0);
}

fn shared_sites() -> Vec<PathBuf> {
    let Some(shared) = shared() else {
        return Vec::new();
    };
    let mut roots = vec![shared.join("corpus")];
    if let Ok(entries) = std::fs::read_dir(shared.join("sites")) {
        let mut sites: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.is_dir())
            .collect();
        sites.sort();
        roots.extend(sites);
    }
    roots.retain(|root| root.is_dir());
    roots
}

/// Every post of every shared site: about 4,400 posts in under ten seconds here,
/// so nothing is sampled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parity_on_every_shared_post() {
    let sites = shared_sites();
    if sites.is_empty() {
        eprintln!("note: ../shared is absent; skipping the shared-site parity test");
        return;
    }
    let (mut posts, mut diagnostics) = (0, 0);
    for root in sites {
        let tally = assert_parity(&root).await;
        posts += tally.posts;
        diagnostics += tally.diagnostics;
    }
    eprintln!("parity total: {posts} posts, {diagnostics} diagnostics, 0 differ");
}

/// Hover, rename and references count the posts of a saved site once each: the
/// open post is not counted again as "another post". Rename refuses names that
/// would write invalid YAML or silently differ from what was asked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_and_rename_count_each_saved_post_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_fixture(dir.path(), HEXO_FIXTURE);
    let root = dir.path().canonicalize().expect("root");
    let mut client = TestClient::in_process();
    client
        .initialize(pulling_client(&["utf-16"]), Some(&root), Value::Null)
        .await;
    client.wait_for_index().await;
    let post = root.join("source/_posts/a.md");
    let text = read_text(&post).expect("post");
    let uri = file_uri(&post);
    client.open(&uri, &text).await;
    let at = text.find("科技]").expect("category");
    let (line, character) = utf16_position(&text, at + "科".len());
    let cursor = json!({"line": line, "character": character});
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": cursor}),
        )
        .await;
    let shown = hover["contents"]["value"].as_str().unwrap_or_default();
    // a, b, c, missing and sub/deep file a post under 科技.
    assert!(shown.contains("5 posts"), "{shown}");
    let edit = client
        .request(
            "textDocument/rename",
            json!({"textDocument": {"uri": uri}, "position": cursor, "newName": "技术"}),
        )
        .await;
    let mut files: Vec<String> = edit["changes"]
        .as_object()
        .map(|changes| changes.keys().cloned().collect())
        .unwrap_or_default();
    files.sort();
    let expected: Vec<String> = ["a.md", "b.md", "c.md", "missing.md", "sub/deep.md"]
        .iter()
        .map(|name| file_uri(&root.join("source/_posts").join(name)))
        .collect();
    assert_eq!(files, expected);
    let references = client
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri}, "position": cursor,
                   "context": {"includeDeclaration": true}}),
        )
        .await;
    let mut referenced: Vec<String> = references
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|location| location["uri"].as_str().map(str::to_owned))
        .collect();
    referenced.sort();
    assert_eq!(referenced, expected);
    for bad in ["技\n术", " 技术", "技术 "] {
        let response = client
            .request_raw(
                "textDocument/rename",
                json!({"textDocument": {"uri": uri}, "position": cursor, "newName": bad}),
            )
            .await;
        assert_eq!(response["error"]["code"], -32602, "{bad:?}: {response}");
    }
    client.shutdown().await;
}

/// `workspace/diagnostic` reports every post of the site as `check` does, and a
/// second request with the result ids gets `unchanged` for each; so does a pull.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspace_diagnostics_cover_the_site_with_result_ids() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_fixture(dir.path(), HEXO_FIXTURE);
    let root = dir.path().canonicalize().expect("root");
    let expected: BTreeMap<String, Vec<Finding>> = cli_findings(&root)
        .into_iter()
        .map(|(relative, found)| (file_uri(&root.join(relative)), found))
        .collect();
    let mut client = TestClient::in_process();
    client
        .initialize(pulling_client(&["utf-16"]), Some(&root), Value::Null)
        .await;
    client.wait_for_index().await;
    let open = root.join("source/_posts/typo.md");
    let open_uri = file_uri(&open);
    client
        .open(&open_uri, &read_text(&open).expect("post"))
        .await;
    let first = client
        .request("workspace/diagnostic", json!({"previousResultIds": []}))
        .await;
    let reports = first["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(reports.len(), 7, "{first}");
    // `[per-file-ignores]` holds in the editor as on the command line.
    let imported = reports
        .iter()
        .find(|r| {
            r["uri"]
                .as_str()
                .is_some_and(|u| u.ends_with("imported/feed.md"))
        })
        .expect("the imported post is reported");
    let codes: Vec<&str> = imported["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(codes, ["MK004"], "{imported}");
    let mut previous = Vec::new();
    for report in &reports {
        assert_eq!(report["kind"], "full");
        let uri = report["uri"].as_str().expect("uri");
        let mut served: Vec<Finding> = report["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or_default().to_owned(),
                    position(&d["range"]["start"]),
                    position(&d["range"]["end"]),
                )
            })
            .collect();
        served.sort();
        assert_eq!(
            served,
            expected.get(uri).cloned().unwrap_or_default(),
            "{uri}"
        );
        previous.push(json!({"uri": uri, "value": report["resultId"]}));
    }
    let second = client
        .request(
            "workspace/diagnostic",
            json!({"previousResultIds": previous}),
        )
        .await;
    let kinds: Vec<&str> = second["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|report| report["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["unchanged"; 7]);
    let pulled = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": open_uri}}),
        )
        .await;
    let again = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": open_uri}, "previousResultId": pulled["resultId"]}),
        )
        .await;
    assert_eq!(again["kind"], "unchanged", "{again}");
    client.shutdown().await;
}
