//! A guard in front of the JSON-RPC transport. tower-lsp-server stops reading its
//! input at the first frame it cannot decode (tokio-util's `FramedRead` ends the
//! stream after a decoder error), which would end the server on one malformed
//! message. Frames are checked here first; bad ones are logged and dropped.

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

/// Copies well-formed JSON-RPC frames from `input` to `output` until `input` ends.
pub async fn forward_valid_frames(
    input: impl AsyncRead + Unpin,
    mut output: impl AsyncWrite + Unpin,
) {
    let mut reader = BufReader::new(input);
    loop {
        let Some(length) = read_headers(&mut reader).await else {
            return;
        };
        let Some(length) = length else {
            eprintln!("copydesk: dropped a message without Content-Length");
            continue;
        };
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        if !is_message(&body) {
            eprintln!("copydesk: dropped a malformed JSON-RPC message");
            continue;
        }
        let header = format!("Content-Length: {length}\r\n\r\n");
        let written = async {
            output.write_all(header.as_bytes()).await?;
            output.write_all(&body).await?;
            output.flush().await
        };
        if written.await.is_err() {
            return;
        }
    }
}

/// Reads one header block: `None` at end of input, `Some(None)` without a valid length.
async fn read_headers(reader: &mut (impl AsyncBufReadExt + Unpin)) -> Option<Option<usize>> {
    let mut length = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line).await.ok()? == 0 {
            return None;
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim();
        if line.is_empty() {
            if saw_header {
                return Some(length);
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok();
            }
        }
    }
}

/// A request, notification or response as JSON-RPC 2.0 defines them.
fn is_message(body: &[u8]) -> bool {
    let Ok(serde_json::Value::Object(message)) = serde_json::from_slice(body) else {
        return false;
    };
    let version_ok = message.get("jsonrpc").and_then(|v| v.as_str()) == Some("2.0");
    let id_ok = message
        .get("id")
        .is_none_or(|id| id.is_number() || id.is_string() || id.is_null());
    let params_ok = message
        .get("params")
        .is_none_or(|p| p.is_object() || p.is_array() || p.is_null());
    let is_request = message.get("method").is_some_and(|m| m.is_string());
    let is_response = message.contains_key("id")
        && (message.contains_key("result") || message.contains_key("error"));
    version_ok && id_ok && params_ok && (is_request || is_response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_json_rpc_messages() {
        assert!(is_message(
            br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#
        ));
        assert!(is_message(br#"{"jsonrpc":"2.0","method":"exit"}"#));
        assert!(is_message(br#"{"jsonrpc":"2.0","id":1,"result":null}"#));
        assert!(!is_message(b"{not json"));
        assert!(!is_message(b"{}"));
        assert!(!is_message(br#"{"jsonrpc":"2.0","id":{},"method":"x"}"#));
    }
}
