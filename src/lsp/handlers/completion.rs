//! `textDocument/completion`: keys and values inside the front matter.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::CompletionParams;

use crate::ide::completion;

use super::super::session::{Session, guarded};
use super::super::to_proto::{self, CompletionAnswer};
use super::super::transport::{self, FramedCompletion};

/// A completion as the transport hands it over ([`transport::COMPLETE`]): answered
/// with a frame of the session's own list type.
pub fn complete_framed(session: &Session, request: FramedCompletion) {
    let answer = completion(session, request.params);
    let size_hint = match &answer {
        Ok(Some(list)) => list.size_hint(),
        _ => 0,
    };
    session.send_frame(transport::response_frame(
        &request.id,
        answer.as_ref(),
        size_hint,
    ));
}

pub fn completion(session: &Session, params: CompletionParams) -> Result<Option<CompletionAnswer>> {
    let at = params.text_document_position;
    let context = session.request(&at.text_document.uri)?;
    let default_edit_range = session.state().client_info.completion_edit_range;
    let now = jiff::Zoned::now().strftime("%Y-%m-%d %H:%M:%S").to_string();
    let site = context.place.index();
    guarded("completion", || {
        let doc = context.parse_front_matter();
        let positions = context.positions_for(&doc);
        let own = context
            .place
            .key
            .as_ref()
            .and_then(|key| site.post(key.as_str()));
        let found = completion::complete_at(
            &doc,
            positions.offset(at.position),
            &site,
            own,
            context.linter().config(),
            &now,
        )?;
        Some(to_proto::completion(found, &positions, default_edit_range))
    })
}
