//! The JSON-RPC frame reader over any byte stream, cut into reads of any size: no
//! panic, bounded memory, and every message it forwards is one tower-lsp-server
//! decodes (anything else would stop the protocol layer reading).
#![no_main]

use copydesk::lsp::transport::{Event, FrameReader};
use libfuzzer_sys::fuzz_target;
use tower_lsp_server::jsonrpc::{Request, Response};

fuzz_target!(|data: &[u8]| {
    let Some((&chunk, stream)) = data.split_first() else {
        return;
    };
    let mut reader = FrameReader::new();
    let mut events = Vec::new();
    for piece in stream.chunks(usize::from(chunk).max(1)) {
        reader.push(piece);
        while let Some(event) = reader.next_event() {
            events.push(event);
        }
    }
    events.extend(reader.finish());
    for event in events {
        match event {
            Event::Forward(message) | Event::Repaired { message, .. } => {
                let body = &message.body;
                let decodes = serde_json::from_slice::<Response>(body).is_ok()
                    || serde_json::from_slice::<Request>(body).is_ok();
                assert!(decodes, "forwarded {:?}", String::from_utf8_lossy(body));
            }
            Event::Rejected { replies, .. } => {
                for reply in replies {
                    assert!(serde_json::from_value::<Response>(reply).is_ok());
                }
            }
        }
    }
});
