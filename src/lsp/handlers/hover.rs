//! `textDocument/hover`: a rule's explanation, a key's type, a value's use.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Hover, HoverParams};

use crate::ide::hover;

use super::super::session::{Session, guarded};
use super::super::to_proto;

pub async fn hover(session: &Session, params: HoverParams) -> Result<Option<Hover>> {
    let at = params.text_document_position_params;
    let (context, found) = session.analysed(&at.text_document.uri).await?;
    let site = context.place.index();
    guarded("hover", || {
        let doc = context.parse();
        let positions = context.positions_for(&doc);
        let offset = positions.offset(at.position);
        hover::hover(&doc, &found, offset, &site, context.linter().config())
            .map(|(markdown, range)| to_proto::hover(markdown, range, &positions))
    })
}
