//! A small LSP client for tests: Content-Length framing over any byte stream, a
//! reader task that sorts responses from notifications, and automatic answers to
//! the server's own requests (progress tokens, registrations, refreshes).

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::{Mutex, mpsc, oneshot};

type Writer = Arc<Mutex<Box<dyn AsyncWrite + Send + Unpin>>>;

pub struct TestClient {
    writer: Writer,
    pending: Arc<Mutex<HashMap<i64, oneshot::Sender<Value>>>>,
    notifications: mpsc::UnboundedReceiver<Value>,
    /// Requests the server sent us (method, params), in order.
    pub server_requests: Arc<Mutex<Vec<(String, Value)>>>,
    next_id: i64,
}

pub async fn write_frame(writer: &Writer, message: &Value) {
    let body = message.to_string();
    let mut writer = writer.lock().await;
    let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
    writer.write_all(frame.as_bytes()).await.expect("write");
    writer.flush().await.expect("flush");
}

async fn read_frame(reader: &mut (impl AsyncBufReadExt + Unpin)) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).await.ok()?;
    serde_json::from_slice(&body).ok()
}

impl TestClient {
    pub fn new(
        read: impl AsyncRead + Send + Unpin + 'static,
        write: impl AsyncWrite + Send + Unpin + 'static,
    ) -> TestClient {
        let writer: Writer = Arc::new(Mutex::new(Box::new(write)));
        let pending: Arc<Mutex<HashMap<i64, oneshot::Sender<Value>>>> = Default::default();
        let server_requests: Arc<Mutex<Vec<(String, Value)>>> = Default::default();
        let (notify_tx, notifications) = mpsc::unbounded_channel();
        let (reader_writer, reader_pending, reader_requests) =
            (writer.clone(), pending.clone(), server_requests.clone());
        tokio::spawn(async move {
            let mut reader = BufReader::new(read);
            while let Some(message) = read_frame(&mut reader).await {
                let method = message
                    .get("method")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                match (method, message.get("id").cloned()) {
                    (Some(method), Some(id)) => {
                        let params = message.get("params").cloned().unwrap_or(Value::Null);
                        reader_requests.lock().await.push((method, params));
                        let reply = json!({"jsonrpc": "2.0", "id": id, "result": null});
                        write_frame(&reader_writer, &reply).await;
                    }
                    (Some(_), None) => {
                        let _ = notify_tx.send(message);
                    }
                    (None, Some(id)) => {
                        if let Some(id) = id.as_i64() {
                            if let Some(sender) = reader_pending.lock().await.remove(&id) {
                                let _ = sender.send(message);
                            }
                        }
                    }
                    (None, None) => {}
                }
            }
        });
        TestClient {
            writer,
            pending,
            notifications,
            server_requests,
            next_id: 1,
        }
    }

    /// A server running in this process over an in-memory duplex stream.
    pub fn in_process() -> TestClient {
        let (client_side, server_side) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_side);
        tokio::spawn(copydesk::lsp::serve(server_read, server_write));
        let (read, write) = tokio::io::split(client_side);
        TestClient::new(read, write)
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub async fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let (sender, receiver) = oneshot::channel();
        self.pending.lock().await.insert(id, sender);
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        write_frame(&self.writer, &message).await;
        tokio::time::timeout(Duration::from_secs(120), receiver)
            .await
            .unwrap_or_else(|_| panic!("no response to {method}"))
            .expect("response")
    }

    /// Sends a request, cancels it at once with `$/cancelRequest`, and returns the
    /// whole response.
    pub async fn request_and_cancel(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let (sender, receiver) = oneshot::channel();
        self.pending.lock().await.insert(id, sender);
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        write_frame(&self.writer, &message).await;
        self.notify("$/cancelRequest", json!({"id": id})).await;
        tokio::time::timeout(Duration::from_secs(120), receiver)
            .await
            .unwrap_or_else(|_| panic!("no response to {method}"))
            .expect("response")
    }

    /// Sends a request and returns its `result`, failing on an error response.
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let mut response = self.request_raw(method, params).await;
        if let Some(error) = response.get("error") {
            panic!("{method} failed: {error}");
        }
        response
            .get_mut("result")
            .map(Value::take)
            .unwrap_or(Value::Null)
    }

    pub async fn notify(&self, method: &str, params: Value) {
        let message = json!({"jsonrpc": "2.0", "method": method, "params": params});
        write_frame(&self.writer, &message).await;
    }

    pub async fn send_raw(&self, bytes: &[u8]) {
        let mut writer = self.writer.lock().await;
        writer.write_all(bytes).await.expect("write");
        writer.flush().await.expect("flush");
    }

    /// The next notification named `method` within `wait`, skipping others.
    pub async fn notification(&mut self, method: &str, wait: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let message = tokio::time::timeout_at(deadline, self.notifications.recv())
                .await
                .ok()??;
            if message["method"] == method {
                return Some(message["params"].clone());
            }
        }
    }

    /// `initialize` + `initialized`; returns the server's capabilities.
    pub async fn initialize(
        &mut self,
        capabilities: Value,
        root: Option<&std::path::Path>,
        options: Value,
    ) -> Value {
        let folders = root.map(|root| json!([{"uri": file_uri(root), "name": "site"}]));
        let result = self
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "capabilities": capabilities,
                    "workspaceFolders": folders,
                    "initializationOptions": options,
                }),
            )
            .await;
        self.notify("initialized", json!({})).await;
        result["capabilities"].clone()
    }

    pub async fn open(&self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        )
        .await;
    }

    pub async fn pull(&mut self, uri: &str) -> Vec<Value> {
        let report = self
            .request(
                "textDocument/diagnostic",
                json!({"textDocument": {"uri": uri}}),
            )
            .await;
        report["items"].as_array().cloned().unwrap_or_default()
    }

    /// Waits until the index has been built (the server logs when it is done).
    pub async fn wait_for_index(&mut self) {
        let deadline = Duration::from_secs(600);
        loop {
            let message = self
                .notification("window/logMessage", deadline)
                .await
                .expect("the server reports indexing");
            if message["message"]
                .as_str()
                .is_some_and(|m| m.contains("indexed"))
            {
                return;
            }
        }
    }

    pub async fn shutdown(mut self) {
        let result = self.request("shutdown", Value::Null).await;
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null).await;
    }
}

pub fn file_uri(path: &std::path::Path) -> String {
    let mut uri = String::from("file://");
    for component in path.to_string_lossy().split('/').filter(|c| !c.is_empty()) {
        uri.push('/');
        uri.push_str(&percent_encode(component));
    }
    uri
}

fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Client capabilities of a client that pulls diagnostics (Neovim 0.11+, VS Code).
pub fn pulling_client(encodings: &[&str]) -> Value {
    json!({
        "general": {"positionEncodings": encodings},
        "textDocument": {"diagnostic": {"dynamicRegistration": false}},
        "window": {"workDoneProgress": true},
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
    })
}

/// Client capabilities of a client that only accepts pushed diagnostics.
pub fn pushing_client(encodings: &[&str]) -> Value {
    json!({
        "general": {"positionEncodings": encodings},
        "textDocument": {"publishDiagnostics": {"relatedInformation": true}},
    })
}

/// Multi-file fixtures, texlab style: `%! path` starts a file, `|` marks the cursor
/// (removed from the text). Files are written under `root`; returns the cursor's
/// file and byte offset.
pub fn write_fixture(root: &std::path::Path, fixture: &str) -> Option<(std::path::PathBuf, usize)> {
    let mut cursor = None;
    for chunk in fixture.split("%! ").filter(|c| !c.trim().is_empty()) {
        let (name, body) = chunk.split_once('\n').expect("file name line");
        let path = root.join(name.trim());
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        if let Some(at) = body.find('|') {
            cursor = Some((path.clone(), at));
        }
        std::fs::write(&path, body.replacen('|', "", 1)).expect("write fixture");
    }
    cursor
}

/// Zero-based line and UTF-16 column of a byte offset (the test's own reference).
pub fn utf16_position(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let col = before[line_start..].encode_utf16().count() as u32;
    (line, col)
}
