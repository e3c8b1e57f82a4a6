//! `workspace/diagnostic`: every post of every folder, open ones at their current
//! version, the others as saved (linted on the blocking pool), each with a result
//! id so what the client already has comes back as unchanged.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use rayon::prelude::*;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    Diagnostic, Uri, WorkspaceDiagnosticParams, WorkspaceDiagnosticReport,
    WorkspaceDiagnosticReportResult,
};

use super::super::convert::Positions;
use super::super::index;
use super::super::session::Session;
use super::super::to_proto;

pub async fn workspace_diagnostic(
    session: &Session,
    params: WorkspaceDiagnosticParams,
) -> Result<WorkspaceDiagnosticReportResult> {
    let previous: HashMap<String, String> = params
        .previous_result_ids
        .into_iter()
        .map(|id| (id.uri.as_str().to_owned(), id.value))
        .collect();
    let (sites, folders, encoding, open) = {
        let state = session.state();
        (
            state.sites.clone(),
            state.folders.clone(),
            state.client_info.encoding,
            state.documents.uris().cloned().collect::<Vec<Uri>>(),
        )
    };
    let mut items = Vec::new();
    for uri in &open {
        let Ok((context, found)) = session.analysed(uri).await else {
            continue;
        };
        let lsp = to_proto::diagnostics(&found, uri, &context.positions());
        let version = Some(i64::from(context.snapshot.version));
        items.push(to_proto::workspace_report(
            uri.clone(),
            version,
            lsp,
            &previous,
        ));
    }
    for folder in sites {
        let (roots, open) = (folders.clone(), open.clone());
        let saved: Vec<(Uri, Vec<Diagnostic>)> = tokio::task::spawn_blocking(move || {
            index::collect_posts(&folder.site)
                .par_iter()
                .with_max_len(crate::workspace::PARALLEL_CHUNK)
                .filter_map(|path| {
                    let uri = Uri::from_file_path(path)?;
                    if open.contains(&uri) {
                        return None;
                    }
                    let file = index::read_post_file(&roots, path)?;
                    let text = file.text;
                    let key = folder.site.post_key(path);
                    let found = catch_unwind(AssertUnwindSafe(|| {
                        let index = folder
                            .index
                            .read()
                            .unwrap_or_else(|poisoned| poisoned.into_inner());
                        folder
                            .linter
                            .check_file(&text, file.bom, Some(&key), &index)
                    }))
                    .ok()?;
                    let positions = Positions::new(&text, encoding);
                    let lsp = to_proto::diagnostics(&found, &uri, &positions);
                    Some((uri, lsp))
                })
                .collect()
        })
        .await
        .unwrap_or_default();
        items.extend(
            saved
                .into_iter()
                .map(|(uri, lsp)| to_proto::workspace_report(uri, None, lsp, &previous)),
        );
    }
    Ok(WorkspaceDiagnosticReportResult::Report(
        WorkspaceDiagnosticReport { items },
    ))
}
