//! Document synchronization: every change is applied before the first `.await`, so
//! notifications processed concurrently cannot overtake each other; the site index
//! follows every version.

use std::sync::Arc;

use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
};

use crate::workspace;

use super::super::session::{INLINE_BYTES, Session};
use super::diagnostics::publish_when_analysed;

pub fn did_open(session: &Arc<Session>, params: DidOpenTextDocumentParams) {
    let document = params.text_document;
    // Before the state lock: `path_of` takes it too.
    let stripped_bom = !document.text.starts_with('\u{feff}')
        && session
            .path_of(&document.uri)
            .is_some_and(|path| workspace::starts_with_bom(&path));
    let snapshot = {
        let mut state = session.state();
        state
            .documents
            .open(document.uri.clone(), &document.text, document.version);
        if stripped_bom {
            state.documents.mark_stripped_bom(&document.uri);
        }
        state.documents.snapshot(&document.uri)
    };
    if let Some(snapshot) = snapshot {
        session.index_latest(&snapshot.uri);
        publish_when_analysed(session.clone(), snapshot.uri, snapshot.version);
    }
}

pub fn did_change(session: &Arc<Session>, params: DidChangeTextDocumentParams) {
    let uri = params.text_document.uri;
    let version = params.text_document.version;
    let (applied, small) = {
        let mut state = session.state();
        let encoding = state.client_info.encoding;
        let applied = state
            .documents
            .change(&uri, version, params.content_changes, encoding);
        (applied, state.documents.len_bytes(&uri) <= INLINE_BYTES)
    };
    if !applied {
        return;
    }
    // The index follows every edit; a large post's off the async workers (a long
    // analysis holding the index must not stall the message loop), with one pending
    // re-index per document: a burst of keystrokes on a huge post copies its text once.
    if small {
        session.index_latest(&uri);
    } else if session.state().documents.request_reindex(&uri) {
        let indexing = session.clone();
        let indexed = uri.clone();
        tokio::task::spawn_blocking(move || indexing.index_latest(&indexed));
    }
    publish_when_analysed(session.clone(), uri, version);
}

pub async fn did_close(session: &Session, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    {
        let mut state = session.state();
        state.documents.close(&uri);
        state.indexed.remove(&uri);
        if let Some(slot) = state.analyses.remove(&uri) {
            slot.make_obsolete();
        }
    }
    // The index goes back to what is on disk.
    if let Some(path) = session.path_of(&uri) {
        session.index_from_disk(&uri, &path);
    }
    if !session.state().client_info.pulls {
        session.publish(uri, Vec::new(), None);
    }
}
