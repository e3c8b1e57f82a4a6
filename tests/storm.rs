//! A storm of random incremental edits over real JSON-RPC in UTF-8, UTF-16 and
//! UTF-32 (fixed seed), with pulls interleaved without waiting. Every request must
//! be answered, and every pull must hold exactly what `copydesk check --format json`
//! finds in the text the client had when it sent the pull (so no answer is stale).

#[path = "support/stdio_server.rs"]
mod stdio_server;

use serde_json::{Value, json};
use stdio_server::{Findings, Server, URI, from_pull};

/// Edits per encoding (a few hundred in all, as CI runs them).
const EDITS: usize = 200;
/// The client waits for a pull every this many edits; other pulls are not awaited.
const CHECK_EVERY: usize = 20;

const PIECES: &[&str] = &[
    "<!-- 正文下iframe -->",
    "<!--article_adlist[x]article_adlist-->",
    "<!---->",
    "[a](https://e.com/?utm_source=rss&x=1)",
    "金融",
    "😀",
    "é",
    "text ",
    "\n",
    "\r\n",
    "<p>",
    "</p>",
    "-->",
    "<!--",
    "",
];

/// A fixed-seed generator (no dependency for something this small).
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The client's own position counting, independent of the server's: lines end at
/// `\n`, `\r\n` or a lone `\r`; columns count code units of `encoding`.
fn position(text: &str, offset: usize, encoding: &str) -> (u64, u64) {
    let (mut line, mut line_start) = (0, 0);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < offset {
        let end = match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') && i + 1 < offset => Some(i + 2),
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => None,
            b'\n' | b'\r' => Some(i + 1),
            _ => None,
        };
        if let Some(end) = end {
            line += 1;
            line_start = end;
            i = end;
        } else {
            i += 1;
        }
    }
    let prefix = &text[line_start..offset];
    let col = match encoding {
        "utf-8" => prefix.len(),
        "utf-16" => prefix.encode_utf16().count(),
        _ => prefix.chars().count(),
    };
    (line, col as u64)
}

fn lsp_position(text: &str, offset: usize, encoding: &str) -> Value {
    let (line, character) = position(text, offset, encoding);
    json!({"line": line, "character": character})
}

/// A random char boundary of `text`.
fn boundary(text: &str, random: &mut Random) -> usize {
    let mut offset = random.below(text.len() + 1);
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    // A client never points between the \r and \n of one line end.
    if offset > 0 && text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
        offset -= 1;
    }
    offset
}

fn from_cli(text: &str, diagnostics: &[&Value], encoding: &str) -> Findings {
    let mut findings: Findings = diagnostics
        .iter()
        .map(|d| {
            let range = &d["byte_range"];
            let (start, end) = (
                range[0].as_u64().unwrap_or(0) as usize,
                range[1].as_u64().unwrap_or(0) as usize,
            );
            let code = d["code"].as_str().unwrap_or_default().to_owned();
            (
                code,
                position(text, start, encoding),
                position(text, end, encoding),
            )
        })
        .collect();
    findings.sort();
    findings
}

struct Pull {
    id: i64,
    text: String,
    /// The client waited for the answer before editing again, so the document
    /// could not change under it: `ContentModified` is not an answer then.
    settled: bool,
}

fn storm(encoding: &str, seed: u64) -> (usize, usize) {
    let mut random = Random(seed);
    let mut server = Server::start(encoding);
    let mut text = "---\ntitle: 风暴\n---\n段落 <!-- 正文下iframe --> end\n".to_owned();
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "markdown", "version": 0, "text": text}}),
    );
    let mut pulls = Vec::new();
    let mut other_requests = Vec::new();
    for version in 1..=EDITS {
        let start = boundary(&text, &mut random);
        let end = if random.below(3) == 0 {
            boundary(&text, &mut random)
        } else {
            start
        };
        let (start, end) = (start.min(end), start.max(end));
        // Keep the post small: long texts shrink.
        let end = if text.len() > 3000 {
            (start + 200).min(text.len())
        } else {
            end
        };
        let end = (end..=text.len())
            .find(|&e| {
                text.is_char_boundary(e)
                    && !(text[..e].ends_with('\r') && text[e..].starts_with('\n'))
            })
            .unwrap_or(text.len());
        let piece = PIECES[random.below(PIECES.len())];
        let change = json!({
            "range": {"start": lsp_position(&text, start, encoding), "end": lsp_position(&text, end, encoding)},
            "text": piece,
        });
        text.replace_range(start..end, piece);
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [change]}),
        );
        match random.below(4) {
            0 => {
                let id = server.send_request(
                    "textDocument/diagnostic",
                    json!({"textDocument": {"uri": URI}}),
                );
                pulls.push(Pull {
                    id,
                    text: text.clone(),
                    settled: false,
                });
            }
            1 => {
                let at = lsp_position(&text, boundary(&text, &mut random), encoding);
                let method = [
                    "textDocument/hover",
                    "textDocument/documentSymbol",
                    "textDocument/codeAction",
                ][random.below(3)];
                let params = json!({
                    "textDocument": {"uri": URI}, "position": at,
                    "range": {"start": at, "end": at}, "context": {"diagnostics": []},
                });
                other_requests.push(server.send_request(method, params));
            }
            _ => {}
        }
        if version % CHECK_EVERY == 0 {
            let id = server.send_request(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": URI}}),
            );
            // Wait for this one (the client catches up), keep it for the check below.
            let response = server.response(&json!(id));
            server.backlog.push(response);
            pulls.push(Pull {
                id,
                text: text.clone(),
                settled: true,
            });
        }
    }

    // One `copydesk check` over every text a pull was sent for.
    let snapshots = tempfile::tempdir().expect("tempdir");
    for (i, pull) in pulls.iter().enumerate() {
        std::fs::write(snapshots.path().join(format!("s{i:04}.md")), &pull.text)
            .expect("write snapshot");
    }
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_copydesk"))
        .args(["check", "--format", "json"])
        .arg(snapshots.path())
        .output()
        .expect("run check");
    let report: Value = serde_json::from_slice(&output.stdout).expect("check prints JSON");
    let all = report["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for (i, pull) in pulls.iter().enumerate() {
        let name = format!("s{i:04}.md");
        let expected: Vec<&Value> = all
            .iter()
            .filter(|d| d["path"].as_str().is_some_and(|p| p.ends_with(&name)))
            .collect();
        let response = server.response(&json!(pull.id));
        // A pull whose document changed before it was answered is told to ask again
        // (LSP's ContentModified): never answered for another text.
        if response["error"]["code"] == json!(-32801) && !pull.settled {
            continue;
        }
        let items = response["result"]["items"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| panic!("pull {} failed: {response}", pull.id));
        assert_eq!(
            from_pull(&items),
            from_cli(&pull.text, &expected, encoding),
            "{encoding}: pull {} disagrees with `copydesk check` on {:?}",
            pull.id,
            pull.text
        );
    }
    for id in &other_requests {
        let response = server.response(&json!(id));
        // Edits followed each of these: ContentModified is a valid answer.
        assert!(
            response.get("error").is_none() || response["error"]["code"] == json!(-32801),
            "{encoding}: request {id} failed: {response}"
        );
    }
    let answered = pulls.len() + other_requests.len();
    assert_eq!(server.finish(true), 0);
    (EDITS, answered)
}

#[test]
fn random_edits_in_every_encoding_match_the_command_line() {
    let mut totals = (0, 0);
    for (encoding, seed) in [("utf-8", 1), ("utf-16", 2), ("utf-32", 3)] {
        let (edits, answered) = storm(encoding, seed);
        totals = (totals.0 + edits, totals.1 + answered);
    }
    eprintln!(
        "storm: {} edits, {} interleaved requests answered and checked",
        totals.0, totals.1
    );
}
