//! A hostile client over real stdio: every malformed frame JSON-RPC or LSP can
//! produce, each followed by a normal request the server must still answer.

#[path = "support/stdio_server.rs"]
mod stdio_server;

use serde_json::{Value, json};
use stdio_server::{Server, URI, frame};

const CMS_COMMENT: &str = "<!-- 正文下iframe -->";

/// Column (UTF-16) of the first MK001 finding.
fn cms_comment_column(items: &[Value]) -> u64 {
    let finding = items
        .iter()
        .find(|item| item["code"] == "MK001")
        .unwrap_or_else(|| panic!("no MK001 in {items:?}"));
    finding["range"]["start"]["character"]
        .as_u64()
        .unwrap_or(u64::MAX)
}

fn post(line: &str) -> String {
    format!("---\ntitle: t\n---\n{line}\n")
}

fn open(server: &Server, text: &str) {
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "markdown", "version": 1, "text": text}}),
    );
}

#[test]
fn the_server_answers_after_every_malformed_frame() {
    let mut server = Server::start("utf-16");
    open(&server, &post(CMS_COMMENT));
    assert_eq!(cms_comment_column(&server.answers()), 0);
    let mut null_id_errors = Vec::new();

    // A client that counts characters instead of bytes on its first CJK edit: the
    // change is still read whole.
    let change = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": URI, "version": 2},
        "contentChanges": [{"text": post(&format!("金融{CMS_COMMENT}"))}],
    }})
    .to_string();
    server
        .send_raw(format!("Content-Length: {}\r\n\r\n{change}", change.chars().count()).as_bytes());
    assert_eq!(
        cms_comment_column(&server.answers()),
        2,
        "the CJK edit was lost"
    );

    // A length longer than the body: the next frame's header ends it.
    let change = change
        .replace("\"version\":2", "\"version\":3")
        .replace("金融", "金融时报");
    server.send_raw(format!("Content-Length: {}\r\n\r\n{change}", change.len() + 25).as_bytes());
    assert_eq!(
        cms_comment_column(&server.answers()),
        4,
        "the long frame was lost"
    );

    let bad_headers: [(&[u8], i64); 7] = [
        (
            b"Content-Type: application/vscode-jsonrpc\r\n\r\n{}",
            -32700,
        ),
        (b"Content-Length: twelve\r\n\r\n{}", -32700),
        (b"Content-Length: -5\r\n\r\n{}", -32700),
        (b"Content-Length: 1099511627776\r\n\r\n", -32600),
        (b"Content-Length: 18446744073709551615\r\n\r\n", -32600),
        (b"Content-Length: 3\r\n\r\n{\"a", -32700),
        (b"no header at all, just bytes\r\n\r\n", -32700),
    ];
    for (bytes, code) in bad_headers {
        server.send_raw(bytes);
        server.answers();
        null_id_errors.push(code);
    }

    let mut invalid_utf8 =
        br#"{"jsonrpc":"2.0","id":"u","method":"textDocument/hover","params":{"x":""#.to_vec();
    invalid_utf8.extend([0xC3, 0x28]);
    invalid_utf8.extend(br#""}}"#);
    server.send_raw(&frame(&invalid_utf8));
    server.answers();
    null_id_errors.push(-32700);

    server.send_raw(&frame(br#"{"jsonrpc":"2.0","id":1.5,"method":"shutdown"}"#));
    server.answers();
    null_id_errors.push(-32600);

    // Errors that carry the request's id.
    let with_ids = [
        (
            json!([{"jsonrpc": "2.0", "id": "batch-1", "method": "shutdown"},
                {"jsonrpc": "2.0", "method": "initialized", "params": {}}]),
            "batch-1",
            -32600,
        ),
        (
            json!({"jsonrpc": "2.0", "id": "scalar", "method": "textDocument/hover", "params": 42}),
            "scalar",
            -32602,
        ),
        (
            json!({"jsonrpc": "2.0", "id": "dollar", "method": "$/copydesk/unknown"}),
            "dollar",
            -32601,
        ),
        (
            json!({"jsonrpc": "1.0", "id": "version", "method": "shutdown"}),
            "version",
            -32600,
        ),
    ];
    for (message, id, code) in with_ids {
        server.send_raw(&frame(message.to_string().as_bytes()));
        assert_eq!(server.error_code(json!(id)), code, "{message}");
        server.answers();
    }

    // A notification with bad params has no one to answer; it must not stop anything.
    server.send_raw(&frame(
        br#"{"jsonrpc":"2.0","method":"textDocument/didSave","params":"x"}"#,
    ));
    // A response to nothing, and a malformed one.
    server.send_raw(&frame(br#"{"jsonrpc":"2.0","id":999,"result":null}"#));
    server.send_raw(&frame(
        br#"{"jsonrpc":"2.0","id":998,"error":{"code":"x"}}"#,
    ));
    server.answers();

    // A lone surrogate: the server holds U+FFFD (one UTF-16 unit, as the client's
    // lone surrogate is), so its columns match the client's text.
    let text = post(&format!("\\ud800{CMS_COMMENT}"));
    let body = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{URI}","languageId":"markdown","version":9,"text":{}}}}}}}"#,
        serde_json::to_string(&text)
            .expect("json")
            .replace("\\\\ud800", "\\ud800")
    );
    server.send_raw(&frame(body.as_bytes()));
    assert_eq!(
        cms_comment_column(&server.answers()),
        1,
        "the lone surrogate was lost"
    );

    // Every null-id error arrived, and nothing else went wrong.
    let mut seen = Vec::new();
    while seen.len() < null_id_errors.len() {
        if let Some(at) = server
            .backlog
            .iter()
            .position(|m| m["id"].is_null() && m.get("error").is_some())
        {
            seen.push(
                server.backlog.remove(at)["error"]["code"]
                    .as_i64()
                    .unwrap_or(0),
            );
        } else {
            let message = server.next_message();
            server.backlog.push(message);
        }
    }
    seen.sort_unstable();
    null_id_errors.sort_unstable();
    assert_eq!(seen, null_id_errors);
    assert_eq!(server.finish(true), 0, "shutdown then exit is a clean exit");
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let server = Server::start("utf-16");
    assert_eq!(server.finish(false), 1);
}

#[test]
fn a_huge_length_alone_does_not_kill_the_server() {
    for header in [
        "Content-Length: 1099511627776\r\n\r\n",
        "Content-Length: 18446744073709551615\r\n\r\n",
    ] {
        let mut server = Server::start("utf-16");
        open(&server, &post("plain"));
        server.send_raw(header.as_bytes());
        server.answers();
        assert_eq!(server.finish(true), 0, "{header:?}");
    }
}
