//! A blocking JSON-RPC client for the built binary over real stdio (garbage and
//! storm tests): it answers the server's own requests and keeps what it did not
//! wait for.

// Each test crate that includes this module uses only part of it.
#![allow(dead_code)]
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

/// Only a guard against a hung server, never a measure.
const HANG_GUARD: Duration = Duration::from_secs(60);

pub const URI: &str = "file:///post.md";

pub struct Server {
    child: Child,
    stdin: Arc<Mutex<ChildStdin>>,
    messages: Receiver<Value>,
    /// Messages received while waiting for something else.
    pub backlog: Vec<Value>,
    next_id: i64,
}

pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body);
    framed
}

fn write_all(stdin: &Mutex<ChildStdin>, bytes: &[u8]) {
    let mut stdin = stdin.lock().expect("stdin lock");
    stdin.write_all(bytes).expect("write to the server");
    stdin.flush().expect("flush");
}

/// Reads the server's frames; answers the server's own requests with `null`.
fn read_frames(
    stdout: impl Read,
    stdin: Arc<Mutex<ChildStdin>>,
    sink: std::sync::mpsc::Sender<Value>,
) {
    let mut reader = BufReader::new(stdout);
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length:") {
                length = value.trim().parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length.expect("the server frames its output")];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let message: Value = serde_json::from_slice(&body).expect("the server writes JSON");
        if message.get("method").is_some() && message.get("id").is_some() {
            let reply = json!({"jsonrpc": "2.0", "id": message["id"], "result": null});
            write_all(&stdin, &frame(reply.to_string().as_bytes()));
        }
        if sink.send(message).is_err() {
            return;
        }
    }
}

impl Server {
    /// Starts `copydesk lsp` for a pulling client in `encoding`.
    pub fn start(encoding: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_copydesk"))
            .args(["lsp", "--stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn copydesk");
        let stdin = Arc::new(Mutex::new(child.stdin.take().expect("stdin")));
        let stdout = child.stdout.take().expect("stdout");
        let (sink, messages) = channel();
        let replies_to = stdin.clone();
        std::thread::spawn(move || read_frames(stdout, replies_to, sink));
        let mut server = Server {
            child,
            stdin,
            messages,
            backlog: Vec::new(),
            next_id: 1,
        };
        let capabilities = json!({
            "general": {"positionEncodings": [encoding]},
            "textDocument": {"diagnostic": {"dynamicRegistration": false}},
        });
        let result = server.request(
            "initialize",
            json!({"processId": null, "capabilities": capabilities}),
        );
        assert!(
            result.get("result").is_some(),
            "initialize failed: {result}"
        );
        server.notify("initialized", json!({}));
        server
    }

    pub fn send_raw(&self, bytes: &[u8]) {
        write_all(&self.stdin, bytes);
    }

    pub fn notify(&self, method: &str, params: Value) {
        let message = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.send_raw(&frame(message.to_string().as_bytes()));
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(&json!(id))
    }

    /// Sends a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_raw(&frame(message.to_string().as_bytes()));
        id
    }

    pub fn next_message(&mut self) -> Value {
        match self.messages.recv_timeout(HANG_GUARD) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("the server stopped answering"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// The response to `id` (a response, not a request of the server's own).
    pub fn response(&mut self, id: &Value) -> Value {
        let is_it = |m: &Value| &m["id"] == id && m.get("method").is_none();
        if let Some(at) = self.backlog.iter().position(is_it) {
            return self.backlog.remove(at);
        }
        loop {
            let message = self.next_message();
            if is_it(&message) {
                return message;
            }
            self.backlog.push(message);
        }
    }

    /// The error code of the response to `id`.
    pub fn error_code(&mut self, id: Value) -> i64 {
        let response = self.response(&id);
        response["error"]["code"]
            .as_i64()
            .unwrap_or_else(|| panic!("expected an error response for {id}: {response}"))
    }

    /// The server still works: it answers a pull for the open document.
    pub fn answers(&mut self) -> Vec<Value> {
        let report = self.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        );
        assert!(report.get("error").is_none(), "pull failed: {report}");
        report["result"]["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub fn finish(mut self, shutdown: bool) -> i32 {
        if shutdown {
            let response = self.request("shutdown", Value::Null);
            assert!(response.get("error").is_none(), "{response}");
        }
        self.notify("exit", Value::Null);
        let deadline = std::time::Instant::now() + HANG_GUARD;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().unwrap_or(-1);
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the server did not exit"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A test that fails half-way must not leave its server running.
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// (code, start, end) of each finding as (line, column) pairs, sorted: what a pull
/// and `copydesk check` are compared by.
pub type Findings = Vec<(String, (u64, u64), (u64, u64))>;

/// The findings of a pulled diagnostic report's items.
pub fn from_pull(items: &[Value]) -> Findings {
    let at = |p: &Value| {
        (
            p["line"].as_u64().unwrap_or(0),
            p["character"].as_u64().unwrap_or(0),
        )
    };
    let mut findings: Findings = items
        .iter()
        .map(|d| {
            let code = d["code"].as_str().unwrap_or_default().to_owned();
            (code, at(&d["range"]["start"]), at(&d["range"]["end"]))
        })
        .collect();
    findings.sort();
    findings
}
