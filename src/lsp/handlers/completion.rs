//! `textDocument/completion`: keys and values inside the front matter.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{CompletionParams, CompletionResponse};

use crate::ide::completion;

use super::super::session::{Session, guarded};
use super::super::to_proto;

pub fn completion(
    session: &Session,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>> {
    let at = params.text_document_position;
    let context = session.request(&at.text_document.uri)?;
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
        Some(to_proto::completion(found, &positions))
    })
}
