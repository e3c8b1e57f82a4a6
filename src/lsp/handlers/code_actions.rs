//! `textDocument/codeAction`: quick fixes, fix-all and remove-all-markup.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{CodeActionKind, CodeActionParams, CodeActionResponse};

use crate::ide::code_actions::{self, Action};

use super::super::session::{Session, guarded};
use super::super::to_proto;

pub async fn code_action(
    session: &Session,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
    let uri = params.text_document.uri;
    let (context, found) = session.analysed(&uri).await?;
    let text = &context.snapshot.text;
    let positions = context.positions();
    let range = positions.offsets(params.range);
    let only = params.context.only.as_ref();
    let mut actions: Vec<Action> = Vec::new();
    if kind_matches(only, CodeActionKind::QUICKFIX.as_str()) {
        actions.extend(guarded("code actions", || {
            code_actions::quick_fixes(&found, range)
        })?);
    }
    {
        let place = &context.place;
        let index = place.index();
        // As `fix` lints: a BOM the client's text lacks still counts.
        let stripped_bom = context.snapshot.stripped_bom;
        let lint = |text: &str| {
            place
                .linter
                .check_file(text, stripped_bom, place.key.as_ref(), &index)
        };
        if kind_matches(only, code_actions::FIX_ALL_KIND) {
            actions.extend(guarded("fix all", || code_actions::fix_all(text, lint))?);
        }
        if kind_matches(only, code_actions::REMOVE_MARKUP_KIND) {
            actions.extend(guarded("remove markup", || {
                code_actions::remove_all_markup(text, lint)
            })?);
        }
    }
    Ok(Some(
        actions
            .into_iter()
            .map(|action| {
                to_proto::code_action(action, &found, &uri, text, &positions, context.encoding)
            })
            .collect(),
    ))
}

/// Whether an action of `kind` is among the kinds the client asked for.
fn kind_matches(only: Option<&Vec<CodeActionKind>>, kind: &str) -> bool {
    match only {
        None => true,
        Some(only) => only.iter().any(|wanted| {
            let wanted = wanted.as_str();
            kind == wanted || kind.starts_with(&format!("{wanted}."))
        }),
    }
}
