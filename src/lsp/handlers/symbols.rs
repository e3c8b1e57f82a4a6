//! `textDocument/documentSymbol`: front-matter fields and nested headings.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentSymbolParams, DocumentSymbolResponse};

use crate::ide::symbols;

use super::super::session::{Session, guarded};
use super::super::to_proto;

pub fn document_symbol(
    session: &Session,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    let context = session.request(&params.text_document.uri)?;
    let symbols = guarded("symbols", || {
        let doc = context.parse();
        let positions = context.positions_for(&doc);
        symbols::symbols(&doc)
            .into_iter()
            .map(|symbol| to_proto::symbol(symbol, &positions))
            .collect()
    })?;
    Ok(Some(DocumentSymbolResponse::Nested(symbols)))
}
