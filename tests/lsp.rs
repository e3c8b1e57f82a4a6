//! The language server spoken to over real JSON-RPC with Content-Length framing,
//! in process over a duplex stream (and once as the built binary, `lsp --stdio`).

#[path = "lsp/client.rs"]
mod client;

use std::time::Duration;

use client::{TestClient, file_uri, pulling_client, pushing_client, utf16_position, write_fixture};
use serde_json::{Value, json};

const CMS_COMMENT: &str = "<!-- 正文下iframe -->";

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn find_code<'a>(diagnostics: &'a [Value], code: &str) -> &'a Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diagnostics:?}"))
}

fn position(value: &Value) -> (u64, u64) {
    (
        value["line"].as_u64().unwrap_or(u64::MAX),
        value["character"].as_u64().unwrap_or(u64::MAX),
    )
}

/// Applies LSP text edits (UTF-16 positions) to `text`, last first.
fn apply_utf16_edits(text: &str, edits: &[Value]) -> String {
    let offset = |pos: &Value| -> usize {
        let (line, col) = position(pos);
        let mut start = 0;
        for _ in 0..line {
            start = text[start..]
                .find('\n')
                .map_or(text.len(), |at| start + at + 1);
        }
        let mut units = 0;
        for (i, ch) in text[start..].char_indices() {
            if units >= col as usize || ch == '\n' {
                return start + i;
            }
            units += ch.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

#[tokio::test]
async fn negotiates_the_position_encoding_and_advertises_capabilities() {
    for (offered, expected) in [
        (json!(["utf-8", "utf-16"]), "utf-8"),
        (json!(["utf-32"]), "utf-32"),
        (json!(["utf-7"]), "utf-16"),
        (Value::Null, "utf-16"),
    ] {
        let mut client = TestClient::in_process();
        let capabilities = client
            .initialize(
                json!({"general": {"positionEncodings": offered}}),
                None,
                Value::Null,
            )
            .await;
        assert_eq!(capabilities["positionEncoding"], expected);
        assert_eq!(capabilities["textDocumentSync"]["change"], 2, "incremental");
        assert_eq!(
            capabilities["diagnosticProvider"]["workspaceDiagnostics"],
            true
        );
        assert_eq!(capabilities["referencesProvider"], true);
        assert_eq!(
            capabilities["completionProvider"]["triggerCharacters"],
            json!(["-", ":", "[", ",", " "])
        );
        assert_eq!(capabilities["renameProvider"]["prepareProvider"], true);
        assert_eq!(capabilities["hoverProvider"], true);
        assert_eq!(capabilities["documentSymbolProvider"], true);
        let kinds = &capabilities["codeActionProvider"]["codeActionKinds"];
        assert!(
            kinds
                .as_array()
                .is_some_and(|k| k.contains(&json!("source.fixAll.copydesk")))
        );
        client.shutdown().await;
    }
}

#[tokio::test]
async fn columns_are_right_on_cjk_emoji_crlf_and_lone_cr() {
    let text = format!("---\r\ntitle: 金融😀\r\n---\r\n\r\n金融😀x\rab😀{CMS_COMMENT}\r\n");
    let comment_at = text.find(CMS_COMMENT).unwrap_or(0);
    for (encoding, start_col, end_col) in [
        ("utf-16", 4, 4 + CMS_COMMENT.encode_utf16().count()),
        ("utf-8", 6, 6 + CMS_COMMENT.len()),
        ("utf-32", 3, 3 + CMS_COMMENT.chars().count()),
    ] {
        let mut client = TestClient::in_process();
        client
            .initialize(pulling_client(&[encoding]), None, Value::Null)
            .await;
        client.open("file:///cjk.md", &text).await;
        let diagnostics = client.pull("file:///cjk.md").await;
        let comment = find_code(&diagnostics, "MK001");
        // Line 5: the lone CR after `金融😀x` ends line 4.
        assert_eq!(
            position(&comment["range"]["start"]),
            (5, start_col as u64),
            "{encoding}"
        );
        assert_eq!(
            position(&comment["range"]["end"]),
            (5, end_col as u64),
            "{encoding}"
        );
        assert!(comment_at > 0);
        client.shutdown().await;
    }
}

#[tokio::test]
async fn diagnostics_carry_code_link_source_severity_and_tags() {
    let mut client = TestClient::in_process();
    client
        .initialize(pulling_client(&["utf-16"]), None, Value::Null)
        .await;
    let text = format!("---\ntitle: t\n---\n\ntext{CMS_COMMENT}\n");
    client.open("file:///d.md", &text).await;
    let diagnostics = client.pull("file:///d.md").await;
    let comment = find_code(&diagnostics, "MK001");
    assert_eq!(comment["source"], "copydesk");
    assert_eq!(comment["severity"], 2, "warning");
    assert_eq!(comment["tags"], json!([1]), "unnecessary");
    assert!(
        comment["codeDescription"]["href"]
            .as_str()
            .is_some_and(|h| h.ends_with("#mk001"))
    );
    client.shutdown().await;
}

#[tokio::test]
async fn a_storm_of_changes_ends_in_the_right_text_and_diagnostics() {
    let mut client = TestClient::in_process();
    client
        .initialize(pushing_client(&["utf-16"]), None, Value::Null)
        .await;
    let uri = "file:///storm.md";
    let base = "---\ntitle: storm\n---\n\n";
    client.open(uri, base).await;
    // 999 single-character insertions at the start of line 4, alternating CJK and
    // emoji (a surrogate pair in UTF-16), then the comment at the end of the line.
    let mut typed = String::new();
    for i in 0..999 {
        let ch = if i % 2 == 0 { "金" } else { "😀" };
        client
            .notify(
                "textDocument/didChange",
                json!({
                    "textDocument": {"uri": uri, "version": i + 2},
                    "contentChanges": [{"range": {"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 0}}, "text": ch}],
                }),
            )
            .await;
        typed.insert_str(0, ch);
    }
    let end_col = typed.encode_utf16().count() as u64;
    client
        .notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": uri, "version": 1001},
                "contentChanges": [{"range": {"start": {"line": 4, "character": end_col}, "end": {"line": 4, "character": end_col}}, "text": CMS_COMMENT}],
            }),
        )
        .await;
    // Pushed diagnostics: only for the final version (earlier ones are debounced away
    // or, if computed, carry their own version), and the final one is right.
    let mut last = None;
    while let Some(params) = client
        .notification("textDocument/publishDiagnostics", Duration::from_secs(3))
        .await
    {
        let version = params["version"].as_i64().unwrap_or(-1);
        if version == 1001 {
            last = Some(params);
            break;
        }
    }
    let params = last.expect("diagnostics for version 1001");
    let diagnostics = params["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let comment = find_code(&diagnostics, "MK001");
    assert_eq!(position(&comment["range"]["start"]), (4, end_col));
    // The fix-all edit shows the whole final line.
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                   "context": {"diagnostics": [], "only": ["source.fixAll.copydesk"]}}),
        )
        .await;
    let edits = actions[0]["edit"]["changes"][uri]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let final_text = format!("{base}{typed}{CMS_COMMENT}");
    assert_eq!(
        apply_utf16_edits(&final_text, &edits),
        format!("{base}{typed}")
    );
    client.shutdown().await;
}

#[tokio::test]
async fn pushes_only_to_clients_that_do_not_pull() {
    let text = format!("---\ntitle: t\n---\n{CMS_COMMENT}\n");
    let mut pusher = TestClient::in_process();
    pusher
        .initialize(pushing_client(&[]), None, Value::Null)
        .await;
    pusher.open("file:///p.md", &text).await;
    let pushed = pusher
        .notification("textDocument/publishDiagnostics", Duration::from_secs(5))
        .await
        .expect("a pushing client gets diagnostics");
    assert_eq!(pushed["version"], 1);
    assert!(codes(pushed["diagnostics"].as_array().expect("list")).contains(&"MK001".to_owned()));
    pusher.shutdown().await;

    let mut puller = TestClient::in_process();
    puller
        .initialize(pulling_client(&[]), None, Value::Null)
        .await;
    puller.open("file:///p.md", &text).await;
    let pushed = puller
        .notification(
            "textDocument/publishDiagnostics",
            Duration::from_millis(400),
        )
        .await;
    assert!(
        pushed.is_none(),
        "a pulling client must not get pushed diagnostics too"
    );
    assert!(codes(&puller.pull("file:///p.md").await).contains(&"MK001".to_owned()));
    puller.shutdown().await;
}

#[tokio::test]
async fn each_quick_fix_lists_its_own_diagnostic_and_fix_all_is_idempotent() {
    let mut client = TestClient::in_process();
    client
        .initialize(pulling_client(&["utf-16"]), None, Value::Null)
        .await;
    let uri = "file:///nested.md";
    let text = "---\ntitle: t\n---\n\n法院信息化带来了<span id=\"stock_sh603138\"><a href=\"https://finance.sina.com.cn/realstock/company/sh603138/nc.shtml\" class=\"keyword\" target=\"_blank\" data-sudaclick=\"content_marketkeywords_p\">海量数据</a></span>资源。\n<!-- 文末二维码 start -->\n";
    client.open(uri, text).await;
    let diagnostics = client.pull(uri).await;
    let found = codes(&diagnostics);
    assert!(
        found.contains(&"MK007".to_owned()) && found.contains(&"MK004".to_owned()),
        "{found:?}"
    );
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 200}},
                   "context": {"diagnostics": diagnostics}}),
        )
        .await;
    let actions = actions.as_array().cloned().unwrap_or_default();
    let quick_fixes: Vec<&Value> = actions.iter().filter(|a| a["kind"] == "quickfix").collect();
    for code in ["MK007", "MK004"] {
        let fix = quick_fixes
            .iter()
            .find(|a| a["diagnostics"][0]["code"] == code)
            .unwrap_or_else(|| panic!("no quick fix for {code}"));
        assert_eq!(fix["diagnostics"].as_array().map(Vec::len), Some(1));
        // The listed diagnostic is exactly the one the client got.
        assert!(diagnostics.contains(&fix["diagnostics"][0]));
        assert_eq!(fix["isPreferred"], true, "safe fixes are preferred");
    }
    let fix_all = actions
        .iter()
        .find(|a| a["kind"] == "source.fixAll.copydesk")
        .expect("fix all");
    let fixed = apply_utf16_edits(
        text,
        fix_all["edit"]["changes"][uri].as_array().expect("edits"),
    );
    assert!(fixed.contains("法院信息化带来了海量数据资源。"), "{fixed}");
    assert!(!fixed.contains("文末二维码"));
    let remove = actions
        .iter()
        .find(|a| a["kind"] == "source.removeLeftoverMarkup.copydesk")
        .expect("remove all markup");
    assert!(
        remove["title"]
            .as_str()
            .is_some_and(|t| t.contains("unsafe"))
    );
    // A second fix-all over the fixed text changes nothing.
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
        )
        .await;
    let again = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                   "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
        )
        .await;
    assert_eq!(again, json!([]));
    client.shutdown().await;
}

const SITE: &str = r#"%! _config.yml
title: a Hexo site
%! source/_posts/a.md
---
title: 第一篇
categories:
  - 金融
  - 新浪财经
tags: [股票, 法院]
author: 新浪财经
---
a
%! source/_posts/b.md
---
title: 第二篇
categories:
  - 科技
  - 新浪财经
tags:
  - 股票
---
b
%! source/_posts/c.md
---
title: "第三篇"
categories: ["金融", '新浪财经']
tags: 法院
---
c
%! source/_posts/d.md
---
title: 第四篇
categories:
  - - 金融
    - 36kr
  - [科技, 数码]
---
d
"#;

async fn site_client(extra: &str) -> (TestClient, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    write_fixture(dir.path(), &format!("{SITE}{extra}"));
    let mut client = TestClient::in_process();
    client
        .initialize(pulling_client(&["utf-16"]), Some(dir.path()), Value::Null)
        .await;
    client.wait_for_index().await;
    (client, dir)
}

/// Opens `text` (with a `|` cursor) as a new post of the site; returns its URI and the cursor.
async fn open_with_cursor(
    client: &TestClient,
    dir: &std::path::Path,
    name: &str,
    text: &str,
) -> (String, Value) {
    let at = text.find('|').expect("cursor");
    let text = text.replacen('|', "", 1);
    let uri = file_uri(&dir.join(name));
    client.open(&uri, &text).await;
    let (line, character) = utf16_position(&text, at);
    (uri, json!({"line": line, "character": character}))
}

#[tokio::test]
async fn completes_categories_by_place_in_the_hierarchy() {
    let (mut client, dir) = site_client("").await;
    let (uri, cursor) = open_with_cursor(
        &client,
        dir.path(),
        "source/_posts/new.md",
        "---\ntitle: 新\ncategories:\n  - 金融\n  - 新|\n---\n",
    )
    .await;
    let result = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": cursor}),
        )
        .await;
    let items = result["items"].as_array().cloned().unwrap_or_default();
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    assert_eq!(
        labels,
        ["新浪财经", "36kr"],
        "sub-categories of 金融, most used first"
    );
    assert_eq!(items[0]["detail"], "2 posts");
    assert!(items[0]["sortText"].as_str() < items[1]["sortText"].as_str());
    // This client takes no item defaults: every item has its own edit.
    assert!(result.get("itemDefaults").is_none(), "{result}");
    // The replaced range is the typed CJK prefix, in UTF-16.
    assert_eq!(
        items[0]["textEdit"]["range"]["start"],
        json!({"line": 4, "character": 4})
    );
    assert_eq!(
        items[0]["textEdit"]["range"]["end"],
        json!({"line": 4, "character": 5})
    );

    let (uri, cursor) = open_with_cursor(
        &client,
        dir.path(),
        "source/_posts/t.md",
        "---\ntags: [法院, |]\n---\n",
    )
    .await;
    let result = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": cursor}),
        )
        .await;
    let labels: Vec<String> = result["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["label"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(labels[..2], ["法院", "股票"]);

    let (uri, cursor) = open_with_cursor(
        &client,
        dir.path(),
        "source/_posts/k.md",
        "---\ntitle: x\nda|\n---\n",
    )
    .await;
    let result = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": cursor}),
        )
        .await;
    let date = result["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["label"] == "date")
        .cloned()
        .expect("date key");
    assert_eq!(date["insertTextFormat"], 2, "snippet");
    assert!(
        date["textEdit"]["newText"]
            .as_str()
            .is_some_and(|t| t.starts_with("date: ${1:20"))
    );
    client.shutdown().await;
}

/// A client that takes `itemDefaults.editRange` (VS Code's and Neovim's clients do)
/// gets the replaced range once for the list; an item that inserts other text than
/// its label keeps its own edit.
#[tokio::test]
async fn a_list_sends_its_edit_range_once_to_clients_that_take_item_defaults() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_fixture(dir.path(), SITE);
    let mut capabilities = pulling_client(&["utf-16"]);
    capabilities["textDocument"]["completion"] =
        json!({"completionList": {"itemDefaults": ["editRange", "insertTextFormat", "data"]}});
    let mut client = TestClient::in_process();
    client
        .initialize(capabilities, Some(dir.path()), Value::Null)
        .await;
    client.wait_for_index().await;
    let (uri, cursor) = open_with_cursor(
        &client,
        dir.path(),
        "source/_posts/new.md",
        "---\ntitle: 新\ncategories:\n  - 金融\n  - 新|\n---\n",
    )
    .await;
    let result = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": cursor}),
        )
        .await;
    assert_eq!(
        result["itemDefaults"]["editRange"],
        json!({"start": {"line": 4, "character": 4}, "end": {"line": 4, "character": 5}})
    );
    let items = result["items"].as_array().cloned().unwrap_or_default();
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    assert_eq!(labels, ["新浪财经", "36kr"]);
    for item in &items {
        assert_eq!(
            item.as_object()
                .map(|o| o.keys().cloned().collect::<Vec<_>>()),
            Some(vec![
                "detail".into(),
                "kind".into(),
                "label".into(),
                "sortText".into()
            ]),
            "a value's item is its label, kind, detail and rank: {item}"
        );
    }

    let (uri, cursor) = open_with_cursor(
        &client,
        dir.path(),
        "source/_posts/k.md",
        "---\ntitle: x\nda|\n---\n",
    )
    .await;
    let result = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": cursor}),
        )
        .await;
    let date = result["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["label"] == "date")
        .cloned()
        .expect("date key");
    assert_eq!(date["insertTextFormat"], 2, "snippet");
    assert_eq!(
        date["textEdit"]["range"],
        json!({"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 2}})
    );
    assert!(
        date["textEdit"]["newText"]
            .as_str()
            .is_some_and(|t| t.starts_with("date: ${1:20"))
    );
    client.shutdown().await;
}

#[tokio::test]
async fn hovers_keys_values_and_flagged_spans() {
    let (mut client, dir) = site_client("").await;
    let text = format!("---\ntitle: 新\ncategories:\n  - 金融\n---\n\n正文{CMS_COMMENT}\n");
    let uri = file_uri(&dir.path().join("source/_posts/h.md"));
    client.open(&uri, &text).await;
    let hover = |line: u32, character: u32| json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
    let key = client.request("textDocument/hover", hover(1, 1)).await;
    assert!(
        key["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.contains("string")),
        "{key}"
    );
    let value = client.request("textDocument/hover", hover(3, 5)).await;
    let value = value["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        value.contains("posts") && value.contains("第一篇"),
        "{value}"
    );
    let flagged = client.request("textDocument/hover", hover(6, 4)).await;
    let flagged = flagged["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        flagged.contains("MK001") && flagged.contains("What it does"),
        "{flagged}"
    );
    client.shutdown().await;
}

#[tokio::test]
async fn renames_a_category_at_its_place_across_the_site() {
    let (mut client, dir) = site_client("").await;
    let a_path = dir.path().join("source/_posts/a.md");
    let a_text = std::fs::read_to_string(&a_path).expect("fixture");
    let uri = file_uri(&a_path);
    client.open(&uri, &a_text).await;
    let (line, character) = utf16_position(&a_text, a_text.find("新浪财经").unwrap_or(0) + 3);
    let at =
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}});
    let prepared = client
        .request("textDocument/prepareRename", at.clone())
        .await;
    assert_eq!(prepared["placeholder"], "新浪财经");
    let refused = client
        .request(
            "textDocument/prepareRename",
            json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 2}}),
        )
        .await;
    assert_eq!(refused, Value::Null, "only taxonomy values can be renamed");

    let mut params = at.clone();
    params["newName"] = json!("财经");
    let edit = client.request("textDocument/rename", params).await;
    let changes = edit["changes"].as_object().cloned().unwrap_or_default();
    let mut files: Vec<String> = changes
        .keys()
        .map(|k| k.rsplit('/').next().unwrap_or("").to_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["a.md", "c.md"],
        "科技 > 新浪财经 (b.md) is another category"
    );
    for (uri, edits) in &changes {
        let name = uri.rsplit('/').next().unwrap_or("");
        let path = dir.path().join("source/_posts").join(name);
        let before = std::fs::read_to_string(path).expect("fixture");
        let after = apply_utf16_edits(&before, edits.as_array().expect("edits"));
        assert_eq!(
            after,
            before
                .replace("  - 新浪财经\n", "  - 财经\n")
                .replace("'新浪财经'", "'财经'"),
            "{name}"
        );
    }
    client.shutdown().await;
}

#[tokio::test]
async fn renaming_onto_an_existing_value_merges() {
    let (mut client, dir) = site_client("").await;
    let path = dir.path().join("source/_posts/a.md");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let uri = file_uri(&path);
    client.open(&uri, &text).await;
    let (line, character) = utf16_position(&text, text.find("股票").unwrap_or(0));
    let edit = client
        .request(
            "textDocument/rename",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}, "newName": "法院"}),
        )
        .await;
    let a_edits = edit["changes"][uri.as_str()]
        .as_array()
        .cloned()
        .expect("a.md edits");
    assert_eq!(
        apply_utf16_edits(&text, &a_edits).lines().nth(5),
        Some("tags: [法院]")
    );
    let b = dir.path().join("source/_posts/b.md");
    let b_edits = edit["changes"][file_uri(&b).as_str()]
        .as_array()
        .cloned()
        .expect("b.md edits");
    let b_text = std::fs::read_to_string(&b).expect("fixture");
    assert!(apply_utf16_edits(&b_text, &b_edits).contains("  - 法院\n"));
    client.shutdown().await;
}

#[tokio::test]
async fn document_symbols_list_fields_and_headings() {
    let mut client = TestClient::in_process();
    client
        .initialize(pulling_client(&["utf-16"]), None, Value::Null)
        .await;
    client
        .open(
            "file:///s.md",
            "---\ntitle: 标题\ntags: [a]\n---\n\n# 一\n\n## 二\n\n# 三\n",
        )
        .await;
    let symbols = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": "file:///s.md"}}),
        )
        .await;
    let names: Vec<&str> = symbols
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(names, ["title", "tags", "一", "三"]);
    assert_eq!(symbols[2]["children"][0]["name"], "二");
    client.shutdown().await;
}

#[tokio::test]
async fn settings_come_from_the_client_and_copydesk_toml_wins() {
    let text = format!("---\ntitle: t\n---\n{CMS_COMMENT}\n");
    let mut client = TestClient::in_process();
    client
        .initialize(
            pulling_client(&[]),
            None,
            json!({"rules": {"MK001": "off"}}),
        )
        .await;
    client.open("file:///c.md", &text).await;
    assert!(!codes(&client.pull("file:///c.md").await).contains(&"MK001".to_owned()));
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"copydesk": {"rules": {"MK001": "error"}}}}),
        )
        .await;
    let diagnostics = client.pull("file:///c.md").await;
    assert_eq!(find_code(&diagnostics, "MK001")["severity"], 1);
    client.shutdown().await;

    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("copydesk.toml"),
        "[rules]\nMK001 = \"hint\"\n",
    )
    .expect("write");
    let mut client = TestClient::in_process();
    client
        .initialize(
            pulling_client(&[]),
            Some(dir.path()),
            json!({"rules": {"MK001": "off"}}),
        )
        .await;
    let uri = file_uri(&dir.path().join("c.md"));
    client.open(&uri, &text).await;
    assert_eq!(find_code(&client.pull(&uri).await, "MK001")["severity"], 4);
    std::fs::write(
        dir.path().join("copydesk.toml"),
        "[rules]\nMK001 = \"error\"\n",
    )
    .expect("write");
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": file_uri(&dir.path().join("copydesk.toml")), "type": 2}]}),
        )
        .await;
    assert_eq!(find_code(&client.pull(&uri).await, "MK001")["severity"], 1);
    client.shutdown().await;
}

#[tokio::test]
async fn indexes_with_progress_and_follows_watched_files() {
    let (mut client, dir) = site_client("").await;
    let requests = client.server_requests.lock().await.clone();
    let methods: Vec<&str> = requests.iter().map(|(m, _)| m.as_str()).collect();
    assert!(
        methods.contains(&"window/workDoneProgress/create"),
        "{methods:?}"
    );
    assert!(
        methods.contains(&"client/registerCapability"),
        "{methods:?}"
    );
    let new_post = dir.path().join("source/_posts/e.md");
    std::fs::write(&new_post, "---\ntitle: e\ncategories: [体育]\n---\n").expect("write");
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": file_uri(&new_post), "type": 1}]}),
        )
        .await;
    let (uri, cursor) = open_with_cursor(
        &client,
        dir.path(),
        "source/_posts/n.md",
        "---\ncategories: |\n---\n",
    )
    .await;
    let result = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": cursor}),
        )
        .await;
    let labels: Vec<&str> = result["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.contains(&"体育"), "{labels:?}");
    client.shutdown().await;
}

/// Every request the server answers, with params of the wrong shape: each gets an
/// invalid-params error (a client waiting for an answer that never comes hangs).
#[tokio::test]
async fn every_request_with_malformed_params_gets_an_error() {
    let mut client = TestClient::in_process();
    client
        .initialize(pulling_client(&[]), None, Value::Null)
        .await;
    client
        .open("file:///x.md", "---\ntitle: x\n---\n金融\n")
        .await;
    let methods = [
        "textDocument/diagnostic",
        "workspace/diagnostic",
        "textDocument/codeAction",
        "textDocument/completion",
        "textDocument/hover",
        "textDocument/prepareRename",
        "textDocument/rename",
        "textDocument/references",
        "textDocument/documentSymbol",
    ];
    let malformed = [
        json!("not an object"),
        json!(42),
        json!([]),
        json!({}),
        json!({"textDocument": {"uri": 7}, "position": "x"}),
    ];
    for method in methods {
        for params in &malformed {
            let response = client.request_raw(method, params.clone()).await;
            assert_eq!(
                response["error"]["code"], -32602,
                "{method} with {params}: {response}"
            );
        }
    }
    // The server still answers well-formed requests afterwards.
    let symbols = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": "file:///x.md"}}),
        )
        .await;
    assert_eq!(symbols[0]["name"], "title");
    client.shutdown().await;
}

#[tokio::test]
async fn survives_bad_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("bad.md"),
        [0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x0a],
    )
    .expect("write");
    let mut client = TestClient::in_process();
    client
        .initialize(pulling_client(&[]), Some(dir.path()), Value::Null)
        .await;
    client.wait_for_index().await;
    client.send_raw(b"Content-Length: 9\r\n\r\n{not json").await;
    client.send_raw(b"Content-Length: 2\r\n\r\n{}").await;
    let unknown = client
        .request_raw("copydesk/unknownMethod", json!({}))
        .await;
    assert_eq!(unknown["error"]["code"], -32601);
    let unopened = client
        .request_raw("textDocument/hover", json!({"textDocument": {"uri": "file:///nope.md"}, "position": {"line": 0, "character": 0}}))
        .await;
    assert!(unopened.get("error").is_some());
    client
        .open("file:///x.md", "---\ntitle: x\n---\n金融\n")
        .await;
    let far = client
        .request("textDocument/hover", json!({"textDocument": {"uri": "file:///x.md"}, "position": {"line": 999, "character": 999}}))
        .await;
    assert_eq!(far, Value::Null);
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": "file:///x.md", "version": 2},
                   "contentChanges": [{"range": {"start": {"line": 99, "character": 5}, "end": {"line": 0, "character": 0}}, "text": "!"}]}),
        )
        .await;
    let symbols = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": "file:///x.md"}}),
        )
        .await;
    assert_eq!(symbols[0]["name"], "title");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_50_mb_document_is_analysed() {
    let mut client = TestClient::in_process();
    client
        .initialize(pulling_client(&[]), None, Value::Null)
        .await;
    let line = "金融 some text, 😀 and more\n";
    let mut huge = line.repeat(50 * 1024 * 1024 / line.len());
    huge.push_str(CMS_COMMENT);
    client.open("file:///huge.md", &huge).await;
    let items = client.pull("file:///huge.md").await;
    let comment = find_code(&items, "MK001");
    assert_eq!(
        position(&comment["range"]["start"]),
        (huge.matches('\n').count() as u64, 0)
    );
    client.shutdown().await;
}

#[tokio::test]
async fn the_seed_article_gives_the_promised_diagnostics() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/examples/seed-article.md"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("note: {path} is absent; skipping");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("_config.yml"), "title: site\n").expect("write");
    std::fs::create_dir_all(dir.path().join("source/_posts")).expect("mkdir");
    let post = dir.path().join("source/_posts/seed-article.md");
    std::fs::write(&post, &text).expect("write");
    let mut client = TestClient::in_process();
    client
        .initialize(pulling_client(&["utf-16"]), Some(dir.path()), Value::Null)
        .await;
    let uri = file_uri(&post);
    client.open(&uri, &text).await;
    let diagnostics = client.pull(&uri).await;
    let found = codes(&diagnostics);
    for code in [
        "FM002", "FM009", "MK001", "MK002", "MK003", "MK004", "MK007", "MK008", "MK009", "MK011",
    ] {
        assert!(
            found.contains(&code.to_owned()),
            "{code} missing from {found:?}"
        );
    }
    let at = |needle: &str| {
        let (line, col) = utf16_position(&text, text.find(needle).unwrap_or(0));
        (line as u64, col as u64)
    };
    assert_eq!(
        position(&find_code(&diagnostics, "MK001")["range"]["start"]),
        at("<!--article_adlist")
    );
    assert_eq!(
        position(&find_code(&diagnostics, "MK007")["range"]["start"]),
        at("<span id=\"stock_sh603138\">")
    );
    assert_eq!(
        position(&find_code(&diagnostics, "MK004")["range"]["start"]),
        at("data-sudaclick")
    );
    assert_eq!(
        position(&find_code(&diagnostics, "FM009")["range"]["start"]),
        at("Tue, 14 Jun 2022")
    );
    assert_eq!(
        position(&find_code(&diagnostics, "FM002")["range"]["start"]),
        (0, 0)
    );
    client.shutdown().await;
}

#[tokio::test]
async fn the_binary_serves_lsp_on_stdio() {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["lsp", "--stdio"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn copydesk");
    let stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let mut client = TestClient::new(stdout, stdin);
    let capabilities = client
        .initialize(pulling_client(&["utf-8"]), None, Value::Null)
        .await;
    assert_eq!(capabilities["positionEncoding"], "utf-8");
    let text = format!("---\ntitle: t\n---\n金融{CMS_COMMENT}\n");
    client.open("file:///bin.md", &text).await;
    let comment = find_code(&client.pull("file:///bin.md").await, "MK001").clone();
    assert_eq!(position(&comment["range"]["start"]), (3, 6));
    client.shutdown().await;
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("exits after `exit`")
        .expect("status");
    assert!(status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_pull_answers_request_cancelled() {
    let mut client = TestClient::in_process();
    client
        .initialize(pulling_client(&["utf-16"]), None, Value::Null)
        .await;
    // Seconds of analysis: one finding per paragraph.
    let paragraph = "<p cms-style=\"font-L\">　　内容。</p>\n\n";
    let big = format!(
        "---\ntitle: big\n---\n{}",
        paragraph.repeat(4 * 1024 * 1024 / paragraph.len())
    );
    client.open("file:///big.md", &big).await;
    let response = client
        .request_and_cancel(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": "file:///big.md"}}),
        )
        .await;
    assert_eq!(response["error"]["code"], -32800, "{response}");
    // The server still answers, from the analysis the cancelled request started.
    client.open("file:///small.md", "# small\n").await;
    let symbols = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": "file:///small.md"}}),
        )
        .await;
    assert_eq!(symbols[0]["name"], "small");
    client.shutdown().await;
}

#[tokio::test]
async fn the_index_follows_every_edit_of_an_open_post() {
    let (mut client, dir) = site_client("").await;
    let uri = file_uri(&dir.path().join("source/_posts/a.md"));
    let text = std::fs::read_to_string(dir.path().join("source/_posts/a.md")).expect("post");
    client.open(&uri, &text).await;
    let renamed = text.replace("股票, 法院", "股票, 全新标签");
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2},
                   "contentChanges": [{"text": renamed}]}),
        )
        .await;
    let (other, cursor) = open_with_cursor(
        &client,
        dir.path(),
        "source/_posts/n.md",
        "---\ntags: [全|]\n---\n",
    )
    .await;
    // The edit is indexed off the message loop; ask until it shows (bounded).
    let mut labels = Vec::new();
    for _ in 0..100 {
        let result = client
            .request(
                "textDocument/completion",
                json!({"textDocument": {"uri": other}, "position": cursor}),
            )
            .await;
        labels = result["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["label"].as_str().map(str::to_owned))
            .collect();
        if labels.iter().any(|l| l == "全新标签") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(labels.iter().any(|l| l == "全新标签"), "{labels:?}");
    client.shutdown().await;
}

#[tokio::test]
async fn each_workspace_folder_is_its_own_site() {
    let (mut client, first) = site_client("").await;
    let second = tempfile::tempdir().expect("tempdir");
    write_fixture(
        second.path(),
        "%! _config.yml\ntitle: b\n%! source/_posts/x.md\n---\ntitle: x\ncategories: [只在第二个]\n---\n",
    );
    client
        .notify(
            "workspace/didChangeWorkspaceFolders",
            json!({"event": {"added": [{"uri": file_uri(second.path()), "name": "b"}], "removed": []}}),
        )
        .await;
    client.wait_for_index().await;
    let mut labels_in = Vec::new();
    for dir in [first.path().to_owned(), second.path().to_owned()] {
        let (uri, cursor) = open_with_cursor(
            &client,
            &dir,
            "source/_posts/n.md",
            "---\ncategories: [|]\n---\n",
        )
        .await;
        let result = client
            .request(
                "textDocument/completion",
                json!({"textDocument": {"uri": uri}, "position": cursor}),
            )
            .await;
        let labels: Vec<String> = result["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["label"].as_str().map(str::to_owned))
            .collect();
        labels_in.push(labels);
    }
    assert!(labels_in[0].iter().any(|l| l == "金融"), "{labels_in:?}");
    assert!(
        !labels_in[0].iter().any(|l| l == "只在第二个"),
        "{labels_in:?}"
    );
    assert_eq!(labels_in[1], ["只在第二个"]);
    client
        .notify(
            "workspace/didChangeWorkspaceFolders",
            json!({"event": {"added": [], "removed": [{"uri": file_uri(second.path()), "name": "b"}]}}),
        )
        .await;
    client.wait_for_index().await;
    client.shutdown().await;
}
