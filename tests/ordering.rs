//! No request waits behind another, over real JSON-RPC on stdio: a small post's
//! answers arrive before the answers for a huge post that were asked for first
//! (checked by the order of the responses, never by time), a cancelled request
//! answers `RequestCancelled`, and a burst of edits to a 50 MB post does not hold up
//! anyone else, while the huge post's own pull is still exact for its version.

#[path = "support/stdio_server.rs"]
mod stdio_server;

use copydesk::line_index::{Encoding, LineCol, LineIndex};
use serde_json::{Value, json};
use stdio_server::{Findings, Server, from_pull};

const BIG: &str = "file:///big.md";
const SMALL: &str = "file:///small.md";
const REQUEST_CANCELLED: i64 = -32800;
const CMS_COMMENT: &str = "<!-- 正文下iframe -->";

/// Feed-import leftovers (CMS comments, styled spans, tracking parameters) between
/// CJK and emoji text, repeated on one line up to `bytes`.
fn one_line_post(bytes: usize) -> String {
    let piece = "金融时报 😀 <!-- 正文下iframe --><p style=\"margin:0\"><span>文字</span></p>\
                 [link](https://example.com/?utm_source=rss&a=1) plain words ";
    let mut text = String::from("---\ntitle: big\n---\n");
    while text.len() < bytes {
        text.push_str(piece);
    }
    text.push('\n');
    text
}

const SMALL_POST: &str = "---\ntitle: small\n---\n# Heading\n\n<!-- 正文下iframe -->\ntext\n";

fn open(server: &Server, uri: &str, text: &str) {
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
}

fn pull(server: &mut Server, uri: &str) -> i64 {
    server.send_request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    )
}

fn symbols(server: &mut Server, uri: &str) -> i64 {
    server.send_request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    )
}

/// Reads until every id in `ids` is answered; returns the responses in arrival order.
fn responses_in_order(server: &mut Server, ids: &[i64]) -> Vec<Value> {
    let mut arrived: Vec<Value> = Vec::new();
    while arrived.len() < ids.len() {
        let message = server.next_message();
        let answers_one = message.get("method").is_none()
            && message["id"].as_i64().is_some_and(|id| ids.contains(&id));
        if answers_one {
            arrived.push(message);
        }
    }
    arrived
}

fn arrival(arrived: &[Value], id: i64) -> usize {
    arrived
        .iter()
        .position(|message| message["id"] == id)
        .unwrap_or(usize::MAX)
}

fn items(response: &Value) -> &Vec<Value> {
    response["result"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a full report: {response}"))
}

#[test]
fn a_small_post_is_answered_before_two_pulls_of_a_one_megabyte_line() {
    let mut server = Server::start("utf-16");
    open(&server, BIG, &one_line_post(1 << 20));
    open(&server, SMALL, SMALL_POST);
    let big = [pull(&mut server, BIG), pull(&mut server, BIG)];
    let small = [symbols(&mut server, SMALL), pull(&mut server, SMALL)];
    let arrived = responses_in_order(&mut server, &[big[0], big[1], small[0], small[1]]);
    let order: Vec<&Value> = arrived.iter().map(|m| &m["id"]).collect();
    for waiting in small {
        for slow in big {
            assert!(
                arrival(&arrived, waiting) < arrival(&arrived, slow),
                "request {waiting} on the small post waited behind {slow}: {order:?}"
            );
        }
    }
    let first = &arrived[arrival(&arrived, big[0])];
    let second = &arrived[arrival(&arrived, big[1])];
    assert!(
        items(first).len() > 1000,
        "the big post has thousands of findings"
    );
    assert_eq!(
        items(first),
        items(second),
        "two pulls of one version differ"
    );

    // A pull of a new version, cancelled at once, answers RequestCancelled.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": BIG, "version": 2},
               "contentChanges": [{"text": one_line_post(1 << 20).replace("big", "bigger")}]}),
    );
    let cancelled = pull(&mut server, BIG);
    server.notify("$/cancelRequest", json!({"id": cancelled}));
    assert_eq!(server.error_code(json!(cancelled)), REQUEST_CANCELLED);
    // The server still answers, for the newest version.
    let again = pull(&mut server, BIG);
    assert!(!items(&server.response(&json!(again))).is_empty());
    assert_eq!(server.finish(true), 0);
}

/// About `bytes` of prose in paragraphs, each ending in a CMS comment left by a feed
/// import (a finding every 5 KB).
fn long_post(bytes: usize) -> String {
    let paragraph = format!(
        "{}{CMS_COMMENT}\n\n",
        "2021年，全国法院在线立案1143.9万件，在线开庭127.5万场 😀 plain words. ".repeat(40)
    );
    let mut text = String::from("---\ntitle: long\n---\n");
    while text.len() < bytes {
        text.push_str(&paragraph);
    }
    text
}

/// What `copydesk check --format json` finds in `text`, in UTF-16 positions.
fn from_cli(text: &str) -> Findings {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("long.md"), text).expect("write the model");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .expect("run check");
    let report: Value = serde_json::from_slice(&output.stdout).expect("check prints JSON");
    let lines = LineIndex::new(text);
    let at = |offset: &Value| {
        let position = lines.position(text, offset.as_u64().unwrap_or(0) as usize, Encoding::Utf16);
        (u64::from(position.line), u64::from(position.col))
    };
    let mut findings: Findings = report["diagnostics"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|d| {
            let code = d["code"].as_str().unwrap_or_default().to_owned();
            (code, at(&d["byte_range"][0]), at(&d["byte_range"][1]))
        })
        .collect();
    findings.sort();
    findings
}

#[test]
fn edits_to_a_fifty_megabyte_post_hold_up_no_other_request() {
    let mut server = Server::start("utf-16");
    let mut model = long_post(50 << 20);
    open(&server, BIG, &model);
    open(&server, SMALL, SMALL_POST);
    // Twenty keystrokes spread over the post, each a new version: a CMS comment typed
    // at the start of a paragraph, or a character in the middle of one.
    let paragraphs = LineIndex::new(&model).line_count() / 2;
    for keystroke in 0..20u32 {
        let line = 3 + 2 * (paragraphs as u32 / 20 * keystroke);
        let (character, typed) = if keystroke % 2 == 0 {
            (0, CMS_COMMENT)
        } else {
            (77, "字")
        };
        let position = LineCol {
            line,
            col: character,
        };
        let at = LineIndex::new(&model).offset(&model, position, Encoding::Utf16);
        model.insert_str(at, typed);
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": BIG, "version": keystroke + 2},
                   "contentChanges": [{"range": {"start": {"line": line, "character": character},
                                                 "end": {"line": line, "character": character}},
                                       "text": typed}]}),
        );
    }
    let big = pull(&mut server, BIG);
    let small = [symbols(&mut server, SMALL), pull(&mut server, SMALL)];
    let arrived = responses_in_order(&mut server, &[big, small[0], small[1]]);
    for waiting in small {
        assert!(
            arrival(&arrived, waiting) < arrival(&arrived, big),
            "request {waiting} on the small post waited behind the 50 MB post"
        );
    }
    // Exact for its version: what `copydesk check` finds in the model's text.
    let report = &arrived[arrival(&arrived, big)];
    let pulled = from_pull(items(report));
    assert!(pulled.len() > 5_000, "{} findings in 50 MB", pulled.len());
    assert!(
        pulled == from_cli(&model),
        "the pull of the 50 MB post differs from `copydesk check` on the same text"
    );
    assert_eq!(server.finish(true), 0);
}

fn median(samples: &mut [std::time::Duration]) -> std::time::Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// `cargo test --test ordering -- --ignored --nocapture` prints the median
/// time of a first pull (analysis and conversion) and a second pull (conversion
/// only) of a 1 MB single-line post in UTF-8 and in UTF-16, rounds interleaved so
/// both servers see the same machine load.
#[test]
#[ignore = "a measurement, not a check"]
fn measure_pulls_of_a_one_megabyte_line_in_utf8_and_utf16() {
    const ROUNDS: usize = 9;
    let encodings = ["utf-8", "utf-16"];
    let mut servers: Vec<Server> = encodings.iter().map(|e| Server::start(e)).collect();
    let mut first = vec![Vec::new(); encodings.len()];
    let mut second = vec![Vec::new(); encodings.len()];
    let mut findings = 0;
    for round in 0..ROUNDS {
        let text = one_line_post(1 << 20).replace("title: big", &format!("title: big {round}"));
        for (at, server) in servers.iter_mut().enumerate() {
            if round == 0 {
                open(server, BIG, &text);
            } else {
                server.notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": BIG, "version": round + 1},
                           "contentChanges": [{"text": text}]}),
                );
            }
            for samples in [&mut first[at], &mut second[at]] {
                let started = std::time::Instant::now();
                let id = pull(server, BIG);
                let response = server.response(&json!(id));
                samples.push(started.elapsed());
                findings = items(&response).len();
            }
        }
    }
    for (at, encoding) in encodings.iter().enumerate() {
        println!(
            "{encoding}: first pull {:?}, second pull {:?} (median of {ROUNDS}, {findings} findings)",
            median(&mut first[at]),
            median(&mut second[at])
        );
    }
    for server in servers {
        server.finish(true);
    }
}
