//! The byte-level transport in front of tower-lsp-server.
//!
//! tower-lsp-server reads frames with tokio-util's `FramedRead`, which ends the
//! stream after the first decoder error: one bad frame (a Content-Length that is
//! wrong, missing or not a number, a body that is not JSON or not UTF-8, an `id`
//! that is neither an integer nor a string) would leave the process alive but deaf.
//! So every frame is read here first, by [`FrameReader`] (a pure state machine, also
//! what the fuzz target drives): it resynchronises on the next `Content-Length:`
//! after any bad frame, never buffers more than [`MAX_FRAME_BYTES`] for one message,
//! and answers what JSON-RPC 2.0 requires an answer for. Only messages tower decodes
//! are forwarded, re-serialized, so the protocol layer never sees a bad frame.
//!
//! The answers the transport gives itself and tower's own output are merged into
//! the client's stream whole frame by whole frame ([`write_client`]). Pulls of
//! diagnostics and completions reach the session as [`PULL_DIAGNOSTICS`] and
//! [`COMPLETE`] notifications, so their answers, like pushed diagnostics, are
//! frames the session serializes itself.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc;
use tower_lsp_server::ls_types::{CompletionParams, DocumentDiagnosticParams};

/// The largest message body accepted (a 50 MB post, escaped, fits several times).
/// A bigger claim is refused without allocating it.
pub const MAX_FRAME_BYTES: usize = 256 << 20;

/// A header block longer than this is not a header block.
const MAX_HEADER_BYTES: usize = 8 << 10;

const HEADER_NAME: &[u8] = b"content-length:";

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;

/// What the reader made of the next bytes of the client's stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A message the protocol layer decodes: its JSON body, re-serialized.
    Forward(Forwarded),
    /// Bytes that are not a message the server can take: the responses JSON-RPC
    /// requires (none for a notification) and a line for stderr.
    Rejected { replies: Vec<Value>, reason: String },
    /// A message that was read with a repaired body (a wrong Content-Length, or
    /// lone surrogates replaced by U+FFFD), then forwarded, with a line for stderr.
    Repaired { message: Forwarded, reason: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Forwarded {
    pub body: Vec<u8>,
    /// The method of a request or notification; `None` for a response.
    pub method: Option<String>,
    pub is_request: bool,
}

/// Splits the client's byte stream into JSON-RPC messages.
#[derive(Debug, Default)]
pub struct FrameReader {
    buffer: Vec<u8>,
    /// Bytes of `buffer` already consumed.
    start: usize,
    /// Inside a run of bytes that belong to no frame (already reported once).
    in_garbage: bool,
    /// How far the current incomplete body was searched for a following header.
    searched_to: usize,
}

impl FrameReader {
    pub fn new() -> FrameReader {
        FrameReader::default()
    }

    /// Appends bytes read from the client.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.start > 0 && self.start >= self.buffer.len() / 2 {
            self.buffer.drain(..self.start);
            self.searched_to = self.searched_to.saturating_sub(self.start);
            self.start = 0;
        }
        self.buffer.extend_from_slice(bytes);
    }

    /// The next event, or `None` when more input is needed.
    pub fn next_event(&mut self) -> Option<Event> {
        loop {
            let rest = &self.buffer[self.start..];
            let leading_space = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
            self.start += leading_space;
            let rest = &self.buffer[self.start..];
            if rest.is_empty() {
                return None;
            }
            if !starts_with_header_name(rest) {
                if let Some(event) = self.skip_garbage() {
                    return Some(event);
                }
                if self.start == self.buffer.len() || !self.at_header_start() {
                    return None;
                }
                continue;
            }
            let header = match parse_header(rest) {
                Header::Incomplete => return None,
                Header::Invalid(reason) => {
                    return Some(self.reject_from_header(PARSE_ERROR, reason));
                }
                Header::Complete { length, header_len } => (length, header_len),
            };
            let (length, header_len) = header;
            if length > MAX_FRAME_BYTES as u64 {
                let reason = format!(
                    "refused a message of {length} bytes (the limit is {MAX_FRAME_BYTES} bytes)"
                );
                return Some(self.reject_from_header(INVALID_REQUEST, reason));
            }
            self.in_garbage = false;
            return self.read_body(header_len, length as usize);
        }
    }

    /// At end of input: what is left, if anything, is an incomplete message.
    pub fn finish(&mut self) -> Option<Event> {
        let rest = &self.buffer[self.start..];
        if rest.iter().all(u8::is_ascii_whitespace) || self.in_garbage {
            return None;
        }
        let length = rest.len();
        self.start = self.buffer.len();
        Some(rejected(
            PARSE_ERROR,
            Value::Null,
            format!("input ended inside a message ({length} bytes unread)"),
        ))
    }

    fn at_header_start(&self) -> bool {
        starts_with_header_name(&self.buffer[self.start..])
    }

    /// Drops bytes up to the next `Content-Length:`; reports the run once.
    fn skip_garbage(&mut self) -> Option<Event> {
        let rest = &self.buffer[self.start..];
        let skipped = match find_header_name(rest, 1) {
            Some(at) => at,
            // Keep what could be the beginning of a header name split across reads.
            None => rest.len().saturating_sub(HEADER_NAME.len() - 1),
        };
        self.start += skipped;
        if skipped == 0 || self.in_garbage {
            return None;
        }
        self.in_garbage = true;
        Some(rejected(
            PARSE_ERROR,
            Value::Null,
            "skipped bytes that are not a Content-Length header".to_owned(),
        ))
    }

    /// A bad header: report it, then look for the next header after this one's name.
    fn reject_from_header(&mut self, code: i64, reason: String) -> Event {
        self.start += 1;
        self.in_garbage = true;
        self.searched_to = 0;
        rejected(code, Value::Null, reason)
    }

    fn read_body(&mut self, header_len: usize, length: usize) -> Option<Event> {
        let body_start = self.start + header_len;
        let available = self.buffer.len() - body_start;
        if available >= length {
            let body_end = body_start + length;
            let framed = &self.buffer[body_start..body_end];
            if let Some(value) = parse_json(framed) {
                self.consume_to(body_end);
                return Some(classify(value));
            }
            if let Some(value) = replace_lone_surrogates(framed).and_then(|b| parse_json(&b)) {
                self.consume_to(body_end);
                return Some(repaired(
                    classify(value),
                    "replaced lone UTF-16 surrogates in a message by U+FFFD",
                ));
            }
            return self.misframed(body_start, length);
        }
        self.body_cut_short(body_start, length)
    }

    /// The claimed body is not JSON: the length was wrong (too short, or it took in
    /// the next frame) when one JSON value runs from the body's start to the next
    /// header or to the end of the input so far; otherwise the frame is garbage.
    fn misframed(&mut self, body_start: usize, length: usize) -> Option<Event> {
        let rest = &self.buffer[body_start..];
        let mut values = serde_json::Deserializer::from_slice(rest).into_iter::<Value>();
        match values.next() {
            Some(Ok(value)) => {
                let end = body_start + values.byte_offset();
                let after = &self.buffer[end..];
                let after_space = after.iter().take_while(|b| b.is_ascii_whitespace()).count();
                let follows = &after[after_space..];
                if follows.is_empty() || starts_with_header_name(follows) {
                    let actual = end - body_start;
                    self.consume_to(end);
                    return Some(repaired(
                        classify(value),
                        &format!(
                            "read a message of {actual} bytes framed with Content-Length {length}"
                        ),
                    ));
                }
            }
            Some(Err(error)) if error.is_eof() && rest.len() <= MAX_FRAME_BYTES => return None,
            _ => {}
        }
        let error = invalid_json_reason(&self.buffer[body_start..body_start + length]);
        Some(self.reject_from_header(PARSE_ERROR, error))
    }

    /// Fewer bytes than claimed so far. A correct long message simply needs more
    /// input; but a complete header after the body's start means the claim was too
    /// long (a raw CR or LF cannot occur inside a JSON string, so a real body never
    /// holds one), and waiting for the rest would swallow the next message.
    fn body_cut_short(&mut self, body_start: usize, length: usize) -> Option<Event> {
        let mut from = body_start.max(self.searched_to.saturating_sub(HEADER_NAME.len()));
        let next_header = loop {
            let Some(at) = find_header_name(&self.buffer[from..], 0).map(|at| from + at) else {
                self.searched_to = self.buffer.len();
                return None;
            };
            match parse_header(&self.buffer[at..]) {
                Header::Complete { .. } => break at,
                Header::Incomplete => {
                    // Wait for the whole header before deciding; search again from here.
                    self.searched_to = at;
                    return None;
                }
                // Text inside a string of this body, not a header.
                Header::Invalid(_) => from = at + 1,
            }
        };
        self.searched_to = 0;
        let before = &self.buffer[body_start..next_header];
        if let Some(value) = parse_json(before) {
            let actual = before.len();
            self.consume_to(next_header);
            return Some(repaired(
                classify(value),
                &format!("read a message of {actual} bytes framed with Content-Length {length}"),
            ));
        }
        let reason = invalid_json_reason(before);
        self.start = next_header;
        self.in_garbage = false;
        Some(rejected(PARSE_ERROR, Value::Null, reason))
    }

    fn consume_to(&mut self, end: usize) {
        self.start = end;
        self.searched_to = 0;
    }
}

enum Header {
    Incomplete,
    Invalid(String),
    Complete { length: u64, header_len: usize },
}

/// Parses a header block that starts with `Content-Length:` (any case) and ends with
/// an empty line (`\r\n\r\n`, or `\n\n` from lenient clients).
fn parse_header(bytes: &[u8]) -> Header {
    let window = &bytes[..bytes.len().min(MAX_HEADER_BYTES)];
    let Some((block_len, header_len)) = header_end(window) else {
        if bytes.len() >= MAX_HEADER_BYTES {
            return Header::Invalid(format!(
                "a header block longer than {MAX_HEADER_BYTES} bytes"
            ));
        }
        return Header::Incomplete;
    };
    let block = &bytes[..block_len];
    let mut length = None;
    for line in block.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return Header::Invalid(format!(
                "a header line without a colon: {:?}",
                String::from_utf8_lossy(line)
            ));
        };
        let (name, value) = (&line[..colon], line[colon + 1..].trim_ascii());
        if !name.eq_ignore_ascii_case(b"content-length") {
            continue;
        }
        let parsed = parse_length(value);
        let Some(parsed) = parsed else {
            return Header::Invalid(format!(
                "a Content-Length that is not a number: {:?}",
                String::from_utf8_lossy(value)
            ));
        };
        if length.is_some_and(|earlier| earlier != parsed) {
            return Header::Invalid("two different Content-Length headers".to_owned());
        }
        length = Some(parsed);
    }
    match length {
        Some(length) => Header::Complete { length, header_len },
        None => Header::Invalid("a header block without Content-Length".to_owned()),
    }
}

/// Decimal digits only; a number too large for u64 is as good as "too large".
fn parse_length(value: &[u8]) -> Option<u64> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        value
            .iter()
            .try_fold(0u64, |n, &d| {
                n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
            })
            .unwrap_or(u64::MAX),
    )
}

/// (length of the header lines, length including the blank line) of a header block.
fn header_end(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            if bytes.get(i + 1) == Some(&b'\n') {
                return Some((i, i + 2));
            }
            if bytes.get(i + 1) == Some(&b'\r') && bytes.get(i + 2) == Some(&b'\n') {
                let lines = if i > 0 && bytes[i - 1] == b'\r' {
                    i - 1
                } else {
                    i
                };
                return Some((lines, i + 3));
            }
        }
        i += 1;
    }
    None
}

fn starts_with_header_name(bytes: &[u8]) -> bool {
    bytes.len() >= HEADER_NAME.len() && bytes[..HEADER_NAME.len()].eq_ignore_ascii_case(HEADER_NAME)
        || bytes.len() < HEADER_NAME.len() && HEADER_NAME[..bytes.len()].eq_ignore_ascii_case(bytes)
}

/// The first `Content-Length:` (any case) at or after `from`.
fn find_header_name(bytes: &[u8], from: usize) -> Option<usize> {
    if bytes.len() < HEADER_NAME.len() {
        return None;
    }
    (from..=bytes.len() - HEADER_NAME.len())
        .find(|&at| bytes[at..at + HEADER_NAME.len()].eq_ignore_ascii_case(HEADER_NAME))
}

/// One JSON value, surrounded by nothing but whitespace.
fn parse_json(bytes: &[u8]) -> Option<Value> {
    serde_json::from_slice(bytes).ok()
}

fn invalid_json_reason(bytes: &[u8]) -> String {
    match serde_json::from_slice::<Value>(bytes) {
        Err(error) if std::str::from_utf8(bytes).is_err() => {
            format!("a message that is not valid UTF-8 ({error})")
        }
        Err(error) => format!("a message that is not JSON ({error})"),
        Ok(_) => "a message that is not JSON".to_owned(),
    }
}

/// Rewrites `\uD800`–`\uDFFF` escapes that are not a surrogate pair as `\uFFFD`:
/// the client's editor holds such a character as one UTF-16 unit (one UTF-32 unit),
/// as U+FFFD is, so every later position the client sends still lines up.
/// `None` when there was nothing to replace.
pub fn replace_lone_surrogates(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut replaced = false;
    let mut i = 0;
    while i < body.len() {
        if body[i] != b'\\' {
            out.push(body[i]);
            i += 1;
            continue;
        }
        let Some(unit) = escaped_unit(body, i) else {
            let end = (i + 2).min(body.len());
            out.extend_from_slice(&body[i..end]);
            i = end;
            continue;
        };
        let paired = (0xD800..0xDC00).contains(&unit)
            && escaped_unit(body, i + 6).is_some_and(|low| (0xDC00..0xE000).contains(&low));
        if paired {
            out.extend_from_slice(&body[i..i + 12]);
            i += 12;
        } else if (0xD800..0xE000).contains(&unit) {
            out.extend_from_slice(b"\\uFFFD");
            replaced = true;
            i += 6;
        } else {
            out.extend_from_slice(&body[i..i + 6]);
            i += 6;
        }
    }
    replaced.then_some(out)
}

/// The code unit of a `\uXXXX` escape at `at`.
fn escaped_unit(bytes: &[u8], at: usize) -> Option<u16> {
    let escape = bytes.get(at..at + 6)?;
    if escape[0] != b'\\' || escape[1] != b'u' {
        return None;
    }
    let hex = std::str::from_utf8(&escape[2..]).ok()?;
    u16::from_str_radix(hex, 16)
        .ok()
        .filter(|_| hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Decides what a JSON value is and what JSON-RPC says to do with it.
fn classify(value: Value) -> Event {
    let Value::Object(ref message) = value else {
        if let Value::Array(elements) = value {
            return reject_batch(&elements);
        }
        return rejected(
            INVALID_REQUEST,
            Value::Null,
            "a message that is not a JSON object".to_owned(),
        );
    };
    let id = match message.get("id") {
        None => None,
        Some(id) if is_valid_id(id) => Some(id.clone()),
        Some(id) => {
            return rejected(
                INVALID_REQUEST,
                Value::Null,
                format!("a message whose id is neither an integer nor a string: {id}"),
            );
        }
    };
    let reply_id = id.clone().unwrap_or(Value::Null);
    let is_response = message.contains_key("result") || message.contains_key("error");
    let method = message.get("method");
    if message.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        let reason = "a message without \"jsonrpc\": \"2.0\"".to_owned();
        return if is_response && method.is_none() {
            dropped(reason)
        } else {
            rejected(INVALID_REQUEST, reply_id, reason)
        };
    }
    let Some(method) = method else {
        if is_response && id.is_some() {
            return forward_response(value);
        }
        return rejected(
            INVALID_REQUEST,
            reply_id,
            "a message that is neither a request nor a response".to_owned(),
        );
    };
    let Some(method) = method.as_str().map(str::to_owned) else {
        return rejected(
            INVALID_REQUEST,
            reply_id,
            "a message whose method is not a string".to_owned(),
        );
    };
    if is_response {
        return rejected(
            INVALID_REQUEST,
            reply_id,
            format!("a `{method}` message that is both a request and a response"),
        );
    }
    let is_request = id.is_some();
    let params_ok = message
        .get("params")
        .is_none_or(|p| p.is_object() || p.is_array() || p.is_null());
    if !params_ok {
        let reason = format!("a `{method}` message whose params is not an object or an array");
        return if is_request {
            rejected(INVALID_PARAMS, reply_id, reason)
        } else {
            dropped(reason)
        };
    }
    if method.starts_with(INTERNAL_METHODS) {
        let reason = format!("a `{method}` message (a method only the server sends itself)");
        return if is_request {
            rejected(METHOD_NOT_FOUND, reply_id, reason)
        } else {
            dropped(reason)
        };
    }
    if is_request && method.starts_with("$/") {
        return rejected(
            METHOD_NOT_FOUND,
            reply_id,
            format!("an unknown `{method}` request"),
        );
    }
    if jsonrpc::Request::deserialize(&value).is_err() {
        return rejected(
            INVALID_REQUEST,
            reply_id,
            format!("a `{method}` message the protocol layer cannot read"),
        );
    }
    Event::Forward(Forwarded {
        body: serialize(&value),
        method: Some(method),
        is_request,
    })
}

fn forward_response(value: Value) -> Event {
    if jsonrpc::Response::deserialize(&value).is_err() {
        return dropped("a malformed response".to_owned());
    }
    Event::Forward(Forwarded {
        body: serialize(&value),
        method: None,
        is_request: false,
    })
}

/// LSP has no batches: every request in one gets its own `InvalidRequest`.
fn reject_batch(elements: &[Value]) -> Event {
    let reason = format!(
        "a batch of {} messages (the Language Server Protocol has no batches)",
        elements.len()
    );
    if elements.is_empty() {
        return rejected(INVALID_REQUEST, Value::Null, reason);
    }
    let replies = elements
        .iter()
        .filter_map(|element| {
            let id = element.get("id").filter(|id| is_valid_id(id))?;
            element.get("method")?;
            Some(error_response(
                INVALID_REQUEST,
                id.clone(),
                "batches are not supported",
            ))
        })
        .collect();
    Event::Rejected { replies, reason }
}

/// What tower's `Id` reads: an i64, a string or null.
fn is_valid_id(id: &Value) -> bool {
    id.is_i64() || id.is_string() || id.is_null()
}

fn serialize(value: &Value) -> Vec<u8> {
    // Serializing a `Value` to memory cannot fail (its keys are strings).
    serde_json::to_vec(value).unwrap_or_default()
}

fn rejected(code: i64, id: Value, reason: String) -> Event {
    Event::Rejected {
        replies: vec![error_response(code, id, &reason)],
        reason,
    }
}

fn dropped(reason: String) -> Event {
    Event::Rejected {
        replies: Vec::new(),
        reason,
    }
}

fn repaired(event: Event, reason: &str) -> Event {
    match event {
        Event::Forward(message) => Event::Repaired {
            message,
            reason: reason.to_owned(),
        },
        Event::Rejected {
            replies,
            reason: why,
        } => Event::Rejected {
            replies,
            reason: format!("{reason}; {why}"),
        },
        repaired @ Event::Repaired { .. } => repaired,
    }
}

fn error_response(code: i64, id: Value, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// Frames the server writes itself, merged into the output like the transport's own
/// answers: a weak handle, so a task still holding the session does not keep the
/// output open after the client is gone.
pub type FrameSender = mpsc::WeakUnboundedSender<Vec<u8>>;

/// The notification a client's `textDocument/diagnostic` request becomes on its way
/// to the protocol layer, carrying the request's id ([`FramedPull`]): the session
/// answers it with a frame it serializes itself ([`response_frame`]), where tower
/// would first build a `serde_json::Value` tree of every diagnostic. Tower keeps
/// it in order with the `didChange` before it, as it would the request. A client
/// cannot send this method itself.
pub const PULL_DIAGNOSTICS: &str = "copydesk/internal/pullDiagnostics";

/// The notification a client's `textDocument/completion` request becomes, as a
/// pull does ([`PULL_DIAGNOSTICS`]): the session answers with a frame of its own
/// list type, which has the item defaults (LSP 3.17) tower's types lack. A
/// completion is answered without waiting, so there is nothing to cancel.
pub const COMPLETE: &str = "copydesk/internal/completion";

/// A copy of every `$/cancelRequest`, for the session: tower cancels only the
/// requests it knows, and a pull sent on as [`PULL_DIAGNOSTICS`] is not one.
pub const CANCEL_PULL: &str = "copydesk/internal/cancelPull";

/// The methods only the transport sends; a client's message using one is refused.
const INTERNAL_METHODS: &str = "copydesk/internal/";

/// The parameters of [`CANCEL_PULL`]: the id of the request to cancel.
#[derive(Debug, Deserialize)]
pub struct CancelPull {
    pub id: Value,
}

/// The parameters of a request the session answers itself ([`PULL_DIAGNOSTICS`],
/// [`COMPLETE`]): the client's request id and params.
#[derive(Debug, serde::Serialize, Deserialize)]
pub struct FramedRequest<P> {
    pub id: Value,
    pub params: P,
}

pub type FramedPull = FramedRequest<DocumentDiagnosticParams>;
pub type FramedCompletion = FramedRequest<CompletionParams>;

/// A notification serialized straight from its typed parameters into one frame
/// (the protocol layer would build a `serde_json::Value` tree of it first, which
/// for thousands of diagnostics costs more than the analysis). `size_hint` is the
/// body's expected length: a buffer grown by doubling to a megabyte pays for
/// every copy and every fresh page.
pub fn notification_frame(
    method: &str,
    params: &impl serde::Serialize,
    size_hint: usize,
) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Notification<'a, P> {
        jsonrpc: &'static str,
        method: &'a str,
        params: P,
    }
    serialized_frame(
        &Notification {
            jsonrpc: "2.0",
            method,
            params,
        },
        size_hint,
    )
}

/// The response to request `id`, serialized straight from the typed result into
/// one frame (see [`notification_frame`]).
pub fn response_frame<R: serde::Serialize>(
    id: &Value,
    answer: Result<&R, &jsonrpc::Error>,
    size_hint: usize,
) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Answer<'a, R> {
        jsonrpc: &'static str,
        result: &'a R,
        id: &'a Value,
    }
    #[derive(serde::Serialize)]
    struct Failure<'a> {
        jsonrpc: &'static str,
        error: &'a jsonrpc::Error,
        id: &'a Value,
    }
    match answer {
        Ok(result) => serialized_frame(
            &Answer {
                jsonrpc: "2.0",
                result,
                id,
            },
            size_hint,
        ),
        Err(error) => serialized_frame(
            &Failure {
                jsonrpc: "2.0",
                error,
                id,
            },
            0,
        ),
    }
}

/// One frame: the header, then the body serialized after the room left for it.
fn serialized_frame(message: &impl serde::Serialize, size_hint: usize) -> Vec<u8> {
    // Room for `Content-Length: ` and any length's digits and the blank line.
    const HEADER_ROOM: usize = 40;
    let mut framed = Vec::with_capacity(HEADER_ROOM + size_hint.max(128));
    framed.resize(HEADER_ROOM, 0);
    // Serializing our own typed messages to memory cannot fail.
    let _ = serde_json::to_writer(&mut framed, message);
    let header = format!("Content-Length: {}\r\n\r\n", framed.len() - HEADER_ROOM);
    let start = HEADER_ROOM - header.len();
    framed[start..HEADER_ROOM].copy_from_slice(header.as_bytes());
    // Moves the frame to the buffer's start in place: no second buffer of its size.
    framed.drain(..start);
    framed
}

/// The [`CANCEL_PULL`] copy of a `$/cancelRequest` (`None` when it names no id).
fn cancel_as_copy(body: &[u8]) -> Option<Vec<u8>> {
    let mut cancel: Value = serde_json::from_slice(body).ok()?;
    let id = cancel.get_mut("params")?.get_mut("id")?.take();
    Some(serialize(&json!({
        "jsonrpc": "2.0",
        "method": CANCEL_PULL,
        "params": {"id": id},
    })))
}

/// The `internal` notification a request the session answers itself is sent on as
/// (see [`PULL_DIAGNOSTICS`]), or `None` when its params are not ones tower reads,
/// so the request goes on as it is and tower answers it with its error.
fn as_notification<P: DeserializeOwned + serde::Serialize>(
    body: &[u8],
    internal: &str,
) -> Option<Vec<u8>> {
    let Value::Object(mut request) = serde_json::from_slice(body).ok()? else {
        return None;
    };
    let id = request.remove("id")?;
    let params = P::deserialize(request.remove("params")?).ok()?;
    Some(serialize(&json!({
        "jsonrpc": "2.0",
        "method": internal,
        "params": FramedRequest { id, params },
    })))
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body);
    framed
}

/// How the client's side of the conversation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `exit` arrived; `after_shutdown` says whether `shutdown` came before it.
    Exit { after_shutdown: bool },
    /// The input ended without `exit`.
    EndOfInput { after_shutdown: bool },
}

impl Ending {
    /// The process status LSP asks for: 0 after `shutdown`, 1 otherwise.
    pub fn exit_status(self) -> u8 {
        match self {
            Ending::Exit { after_shutdown } | Ending::EndOfInput { after_shutdown } => {
                u8::from(!after_shutdown)
            }
        }
    }
}

/// Reads the client's stream, forwards the messages the server can take to
/// `server` and sends the transport's own answers to `replies`, until `exit` or
/// the end of the input.
pub async fn read_client(
    mut input: impl AsyncRead + Unpin,
    mut server: impl AsyncWrite + Unpin,
    replies: mpsc::UnboundedSender<Vec<u8>>,
) -> Ending {
    let mut reader = FrameReader::new();
    let mut chunk = vec![0; 1 << 16];
    let mut after_shutdown = false;
    let mut initialized = false;
    loop {
        while let Some(event) = reader.next_event() {
            let message = match event {
                Event::Forward(message) => message,
                Event::Repaired { message, reason } => {
                    eprintln!("copydesk: {reason}");
                    message
                }
                Event::Rejected {
                    replies: answers,
                    reason,
                } => {
                    eprintln!("copydesk: rejected {reason}");
                    for answer in answers {
                        let _ = replies.send(frame(&serialize(&answer)));
                    }
                    continue;
                }
            };
            let method = message.method.as_deref();
            after_shutdown |= message.is_request && method == Some("shutdown");
            // Only while tower serves requests: before `initialized` and after
            // `shutdown` it answers a request with its error, where a notification
            // would be dropped unanswered.
            let framed = match method {
                _ if !initialized || after_shutdown || !message.is_request => None,
                Some("textDocument/diagnostic") => {
                    as_notification::<DocumentDiagnosticParams>(&message.body, PULL_DIAGNOSTICS)
                }
                Some("textDocument/completion") => {
                    as_notification::<CompletionParams>(&message.body, COMPLETE)
                }
                _ => None,
            };
            let cancel_copy = (initialized && method == Some("$/cancelRequest"))
                .then(|| cancel_as_copy(&message.body))
                .flatten();
            initialized |= !message.is_request && method == Some("initialized");
            let body = framed.as_deref().unwrap_or(&message.body);
            let written = async {
                server.write_all(&frame(body)).await?;
                if let Some(copy) = &cancel_copy {
                    server.write_all(&frame(copy)).await?;
                }
                server.flush().await
            };
            if written.await.is_err() || method == Some("exit") {
                return Ending::Exit { after_shutdown };
            }
        }
        let read = input.read(&mut chunk).await.unwrap_or(0);
        if read == 0 {
            if let Some(Event::Rejected {
                replies: answers,
                reason,
            }) = reader.finish()
            {
                eprintln!("copydesk: rejected {reason}");
                for answer in answers {
                    let _ = replies.send(frame(&serialize(&answer)));
                }
            }
            return Ending::EndOfInput { after_shutdown };
        }
        reader.push(&chunk[..read]);
    }
}

/// Writes the server's frames and the transport's answers to the client, each
/// frame whole, until both sources end.
pub async fn write_client(
    mut server: impl AsyncRead + Unpin,
    mut replies: mpsc::UnboundedReceiver<Vec<u8>>,
    mut output: impl AsyncWrite + Unpin,
) {
    let mut pending = Vec::new();
    let mut server_open = true;
    let mut replies_open = true;
    while server_open || replies_open {
        let frame = tokio::select! {
            read = server.read_buf(&mut pending), if server_open => {
                if read.unwrap_or(0) == 0 {
                    server_open = false;
                }
                let complete = complete_frames_len(&pending);
                if complete == 0 {
                    continue;
                }
                pending.drain(..complete).collect::<Vec<u8>>()
            }
            reply = replies.recv(), if replies_open => match reply {
                Some(reply) => reply,
                None => {
                    replies_open = false;
                    continue;
                }
            },
        };
        let written = async {
            output.write_all(&frame).await?;
            output.flush().await
        };
        if written.await.is_err() {
            return;
        }
    }
}

/// Bytes of whole frames at the start of `bytes` (the server's own, well-formed output).
fn complete_frames_len(bytes: &[u8]) -> usize {
    let mut total = 0;
    while let Header::Complete { length, header_len } = parse_header(&bytes[total..]) {
        let end = total + header_len + usize::try_from(length).unwrap_or(usize::MAX);
        if end > bytes.len() {
            break;
        }
        total = end;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &str) -> Vec<u8> {
        frame(body.as_bytes())
    }

    /// Every event from `bytes`, fed in one piece and byte by byte (the results must agree).
    fn events(bytes: &[u8]) -> Vec<Event> {
        let whole = events_in_chunks(bytes, bytes.len().max(1));
        assert_eq!(
            whole,
            events_in_chunks(bytes, 1),
            "chunking changed the result"
        );
        whole
    }

    fn events_in_chunks(bytes: &[u8], size: usize) -> Vec<Event> {
        let mut reader = FrameReader::new();
        let mut events = Vec::new();
        for chunk in bytes.chunks(size) {
            reader.push(chunk);
            while let Some(event) = reader.next_event() {
                events.push(event);
            }
        }
        events.extend(reader.finish());
        events
    }

    fn forwarded_methods(events: &[Event]) -> Vec<String> {
        events
            .iter()
            .filter_map(|event| match event {
                Event::Forward(message) | Event::Repaired { message, .. } => message.method.clone(),
                Event::Rejected { .. } => None,
            })
            .collect()
    }

    fn reply_codes(events: &[Event]) -> Vec<(Value, i64)> {
        events
            .iter()
            .flat_map(|event| match event {
                Event::Rejected { replies, .. } => replies.clone(),
                _ => Vec::new(),
            })
            .map(|reply| {
                let code = reply["error"]["code"].as_i64().unwrap_or(0);
                (reply["id"].clone(), code)
            })
            .collect()
    }

    const PING: &str = r#"{"jsonrpc":"2.0","id":7,"method":"ping","params":{}}"#;

    #[test]
    fn well_formed_frames_pass_through() {
        let mut input = framed(PING);
        input.extend(b"content-length: 33\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n");
        input.extend(br#"{"jsonrpc":"2.0","method":"exit"}"#);
        let events = events(&input);
        assert_eq!(forwarded_methods(&events), ["ping", "exit"]);
        assert!(matches!(events[0], Event::Forward(_)));
    }

    #[test]
    fn a_length_counted_in_characters_is_read_to_the_end_of_the_json_value() {
        let body = r#"{"jsonrpc":"2.0","method":"didChange","params":{"text":"金融时报"}}"#;
        let mut input =
            format!("Content-Length: {}\r\n\r\n{body}", body.chars().count()).into_bytes();
        input.extend(framed(PING));
        let events = events(&input);
        assert_eq!(forwarded_methods(&events), ["didChange", "ping"]);
        assert!(matches!(events[0], Event::Repaired { .. }));
    }

    #[test]
    fn a_length_too_long_stops_at_the_next_header() {
        let body = r#"{"jsonrpc":"2.0","method":"first"}"#;
        let mut input = format!("Content-Length: {}\r\n\r\n{body}", body.len() + 40).into_bytes();
        input.extend(framed(PING));
        assert_eq!(forwarded_methods(&events(&input)), ["first", "ping"]);
    }

    #[test]
    fn bad_headers_are_answered_and_skipped() {
        for header in [
            "Content-Length: ten\r\n\r\n{}",
            "Content-Type: x\r\n\r\n{}",
            "Content-Length: 1099511627776\r\n\r\n",
            "Content-Length: 18446744073709551615\r\n\r\n",
            "Content-Length: 99999999999999999999999999\r\n\r\n",
            "Content-Length: 2\r\n\r\n{]",
            "garbage before anything\r\n",
        ] {
            let mut input = header.as_bytes().to_vec();
            input.extend(framed(PING));
            let events = events(&input);
            assert_eq!(forwarded_methods(&events), ["ping"], "{header:?}");
            let codes = reply_codes(&events);
            assert!(!codes.is_empty(), "{header:?} got no answer");
            assert!(codes.iter().all(|(id, _)| id.is_null()), "{header:?}");
        }
    }

    #[test]
    fn json_rpc_errors_carry_the_request_id() {
        let cases = [
            (
                r#"{"jsonrpc":"2.0","id":1,"method":"x","params":5}"#,
                INVALID_PARAMS,
            ),
            (
                r#"{"jsonrpc":"2.0","id":2,"method":"$/unknown"}"#,
                METHOD_NOT_FOUND,
            ),
            (r#"{"jsonrpc":"1.0","id":3,"method":"x"}"#, INVALID_REQUEST),
            (r#"{"jsonrpc":"2.0","id":4,"method":7}"#, INVALID_REQUEST),
            (r#"{"jsonrpc":"2.0","id":5}"#, INVALID_REQUEST),
        ];
        for (body, code) in cases {
            let events = events(&framed(body));
            let codes = reply_codes(&events);
            assert_eq!(codes.len(), 1, "{body}");
            assert_eq!(codes[0].1, code, "{body}");
            assert!(codes[0].0.is_i64(), "{body}");
        }
        let float_id = events(&framed(r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#));
        assert_eq!(reply_codes(&float_id), [(Value::Null, INVALID_REQUEST)]);
    }

    #[test]
    fn invalid_utf8_is_a_parse_error() {
        let mut body = br#"{"jsonrpc":"2.0","id":1,"method":"x","params":{"t":""#.to_vec();
        body.extend([0xff, 0xfe]);
        body.extend(br#""}}"#);
        let mut input = frame(&body);
        input.extend(framed(PING));
        let events = events(&input);
        assert_eq!(reply_codes(&events), [(Value::Null, PARSE_ERROR)]);
        assert_eq!(forwarded_methods(&events), ["ping"]);
    }

    #[test]
    fn a_batch_answers_each_request_in_it() {
        let body = r#"[{"jsonrpc":"2.0","id":1,"method":"a"},{"jsonrpc":"2.0","method":"n"},{"jsonrpc":"2.0","id":"b","method":"c"}]"#;
        let codes = reply_codes(&events(&framed(body)));
        assert_eq!(
            codes,
            [(json!(1), INVALID_REQUEST), (json!("b"), INVALID_REQUEST)]
        );
        assert_eq!(
            reply_codes(&events(&framed("[]"))),
            [(Value::Null, INVALID_REQUEST)]
        );
    }

    #[test]
    fn notifications_with_bad_params_are_dropped_without_an_answer() {
        let events = events(&framed(r#"{"jsonrpc":"2.0","method":"n","params":"x"}"#));
        assert!(reply_codes(&events).is_empty());
        assert!(forwarded_methods(&events).is_empty());
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let body = r#"{"jsonrpc":"2.0","method":"didOpen","params":{"text":"a\ud800b\\ud800\ud83d\ude00\udc00"}}"#;
        let events = events(&framed(body));
        let [Event::Repaired { message, .. }] = events.as_slice() else {
            panic!("expected one repaired message: {events:?}");
        };
        let value: Value = serde_json::from_slice(&message.body).expect("json");
        assert_eq!(value["params"]["text"], "a\u{FFFD}b\\ud800😀\u{FFFD}");
    }

    #[test]
    fn every_forwarded_body_is_one_tower_decodes() {
        let body = r#"{"jsonrpc":"2.0","jsonrpc":"2.0","id":1,"method":"x"}"#;
        for event in events(&framed(body)) {
            if let Event::Forward(message) = event {
                let decoded: Result<jsonrpc::Request, _> = serde_json::from_slice(&message.body);
                assert!(decoded.is_ok());
            }
        }
    }

    #[test]
    fn input_ending_inside_a_frame_is_reported() {
        let events = events(b"Content-Length: 50\r\n\r\n{\"jsonrpc\"");
        assert_eq!(reply_codes(&events), [(Value::Null, PARSE_ERROR)]);
    }

    #[test]
    fn the_internal_methods_are_refused_from_a_client() {
        let request = format!(r#"{{"jsonrpc":"2.0","id":3,"method":"{PULL_DIAGNOSTICS}"}}"#);
        let notification = format!(r#"{{"jsonrpc":"2.0","method":"{CANCEL_PULL}"}}"#);
        let mut input = framed(&request);
        input.extend(framed(&notification));
        let events = events(&input);
        assert!(forwarded_methods(&events).is_empty(), "{events:?}");
        assert_eq!(reply_codes(&events), vec![(json!(3), METHOD_NOT_FOUND)]);
    }

    /// What the protocol layer receives from `input`, message by message.
    fn sent_on(input: Vec<u8>) -> Vec<Value> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let mut server = Vec::new();
        let (replies, _transport_replies) = mpsc::unbounded_channel();
        runtime.block_on(read_client(&input[..], &mut server, replies));
        let mut messages = Vec::new();
        let mut rest = &server[..];
        while let Header::Complete { length, header_len } = parse_header(rest) {
            let end = header_len + length as usize;
            messages.push(serde_json::from_slice(&rest[header_len..end]).expect("json"));
            rest = &rest[end..];
        }
        messages
    }

    #[test]
    fn pulls_and_completions_reach_the_session_as_notifications_only_while_tower_serves_requests() {
        let pull = |id: i64| {
            framed(&format!(
                r#"{{"jsonrpc":"2.0","id":{id},"method":"textDocument/diagnostic","params":{{"textDocument":{{"uri":"file:///a.md"}}}}}}"#
            ))
        };
        let complete = |id: i64| {
            framed(&format!(
                r#"{{"jsonrpc":"2.0","id":{id},"method":"textDocument/completion","params":{{"textDocument":{{"uri":"file:///a.md"}},"position":{{"line":1,"character":2}}}}}}"#
            ))
        };
        let mut input = pull(1);
        input.extend(complete(10));
        input.extend(framed(
            r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        ));
        input.extend(pull(2));
        input.extend(complete(11));
        // Params tower cannot read: it answers them itself, as a request.
        input.extend(framed(
            r#"{"jsonrpc":"2.0","id":3,"method":"textDocument/diagnostic","params":{"textDocument":7}}"#,
        ));
        input.extend(framed(
            r#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":2}}"#,
        ));
        input.extend(framed(r#"{"jsonrpc":"2.0","id":4,"method":"shutdown"}"#));
        input.extend(pull(5));
        let methods: Vec<(Value, Value)> = sent_on(input)
            .iter()
            .map(|message| (message["method"].clone(), message["id"].clone()))
            .collect();
        assert_eq!(
            methods,
            vec![
                (json!("textDocument/diagnostic"), json!(1)),
                (json!("textDocument/completion"), json!(10)),
                (json!("initialized"), Value::Null),
                (json!(PULL_DIAGNOSTICS), Value::Null),
                (json!(COMPLETE), Value::Null),
                (json!("textDocument/diagnostic"), json!(3)),
                (json!("$/cancelRequest"), Value::Null),
                (json!(CANCEL_PULL), Value::Null),
                (json!("shutdown"), json!(4)),
                (json!("textDocument/diagnostic"), json!(5)),
            ]
        );
    }

    #[test]
    fn a_pull_sent_on_keeps_its_id_and_params() {
        let body = br#"{"jsonrpc":"2.0","id":"a7","method":"textDocument/diagnostic","params":{"textDocument":{"uri":"file:///a.md"},"previousResultId":"x"}}"#;
        let notification: Value = serde_json::from_slice(
            &as_notification::<DocumentDiagnosticParams>(body, PULL_DIAGNOSTICS).expect("sent on"),
        )
        .expect("json");
        let pulled = FramedPull::deserialize(&notification["params"]).expect("framed pull");
        assert_eq!(pulled.id, json!("a7"));
        assert_eq!(pulled.params.previous_result_id.as_deref(), Some("x"));
        assert!(jsonrpc::Request::deserialize(&notification).is_ok());
    }

    #[test]
    fn frames_serialized_by_the_server_are_whole_and_exact() {
        for hint in [0, 10, 1 << 16] {
            let answer = response_frame(&json!(9), Ok(&json!({"items": vec!["金融"; 50]})), hint);
            assert_eq!(complete_frames_len(&answer), answer.len());
            let Header::Complete { header_len, .. } = parse_header(&answer) else {
                panic!("no header");
            };
            let body: Value = serde_json::from_slice(&answer[header_len..]).expect("json");
            assert_eq!(body["id"], 9);
            assert_eq!(body["result"]["items"][49], "金融");
            let failure =
                response_frame::<Value>(&json!(9), Err(&jsonrpc::Error::request_cancelled()), hint);
            let Header::Complete { header_len, .. } = parse_header(&failure) else {
                panic!("no header");
            };
            let body: Value = serde_json::from_slice(&failure[header_len..]).expect("json");
            assert_eq!(body["error"]["code"], -32800);
            assert!(jsonrpc::Response::deserialize(&body).is_ok());
        }
    }

    #[test]
    fn server_output_is_split_into_whole_frames() {
        let mut output = framed(PING);
        let one = output.len();
        output.extend(&framed(PING)[..10]);
        assert_eq!(complete_frames_len(&output), one);
    }
}
