//! `textDocument/prepareRename`, `rename` and `references` on taxonomy values, over
//! `ide::rename`: every post of the site that uses the value, open ones at their
//! live text.

use std::collections::HashMap;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{
    Location, PrepareRenameResponse, ReferenceParams, RenameParams, TextDocumentPositionParams,
    TextEdit, Uri, WorkspaceEdit,
};

use crate::frontmatter::taxonomy::TaxonomyValue;
use crate::ide::rename;

use super::super::convert::Positions;
use super::super::session::{RequestContext, Session, guarded};
use super::super::to_proto;

/// The taxonomy value under the cursor.
fn target(
    context: &RequestContext,
    position: tower_lsp_server::ls_types::Position,
) -> Result<Option<TaxonomyValue>> {
    guarded("rename", || {
        let doc = context.parse();
        rename::target_at(
            &doc,
            context.offset(&doc, position),
            context.linter().config(),
        )
    })
}

pub fn prepare_rename(
    session: &Session,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let context = session.request(&params.text_document.uri)?;
    Ok(target(&context, params.position)?.map(|target| {
        PrepareRenameResponse::RangeWithPlaceholder {
            range: context.positions().range(target.raw_range.clone()),
            placeholder: target.value,
        }
    }))
}

pub fn rename(session: &Session, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let at = params.text_document_position;
    let context = session.request(&at.text_document.uri)?;
    rename::validate(&params.new_name)
        .map_err(|error| Error::invalid_params(format!("cannot rename: {error}")))?;
    let target = target(&context, at.position)?
        .ok_or_else(|| Error::invalid_params("only a category, tag or author can be renamed"))?;
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (uri, text) in session.posts_using(&context.place, &target) {
        let linter = session.placement(&uri).linter;
        let edits = guarded("rename", || {
            rename::edits_for_post(&text, &target, &params.new_name, linter.config())
        })?
        .map_err(|error| Error::invalid_params(format!("cannot rename: {error}")))?;
        if !edits.is_empty() {
            changes.insert(uri, to_proto::text_edits(&text, &edits, context.encoding));
        }
    }
    Ok(Some(WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }))
}

pub fn references(session: &Session, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
    let at = params.text_document_position;
    let context = session.request(&at.text_document.uri)?;
    let Some(target) = target(&context, at.position)? else {
        return Ok(None);
    };
    let mut locations = Vec::new();
    for (uri, text) in session.posts_using(&context.place, &target) {
        let linter = session.placement(&uri).linter;
        let ranges = guarded("references", || {
            rename::occurrences(&text, &target, linter.config())
        })?;
        let positions = Positions::new(&text, context.encoding);
        locations.extend(
            ranges
                .into_iter()
                .map(|range| Location::new(uri.clone(), positions.range(range))),
        );
    }
    Ok(Some(locations))
}
