//! Diagnostics of open documents: pulled (`textDocument/diagnostic`, with result
//! ids and unchanged reports) or pushed to clients that do not pull.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{
    DocumentDiagnosticParams, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    MessageType, Uri,
};

use super::super::session::Session;
use super::super::to_proto;
use super::super::transport::{self, CancelPull, FramedPull};

/// The answer is for the version current when the request arrived, and only while
/// it is still current: after a change the client is told to ask again (never a
/// result for an older text, nor for a newer one it did not ask about).
pub async fn pull(
    session: &Session,
    params: DocumentDiagnosticParams,
) -> Result<DocumentDiagnosticReportResult> {
    let uri = params.text_document.uri;
    if session.current_version(&uri).is_none() {
        return Ok(to_proto::empty_report());
    }
    let (context, found) = session.analysed(&uri).await?;
    let items = to_proto::diagnostics(&found, &uri, &context.positions());
    Ok(to_proto::document_report(
        items,
        params.previous_result_id.as_deref(),
    ))
}

/// A pull the transport handed over as a notification: answered like [`pull`],
/// with the response serialized straight into its frame.
pub async fn pull_framed(session: &Session, pulled: FramedPull) {
    let cancelled = session.pending_pulls.start(&pulled.id);
    let answer = tokio::select! {
        answer = pull(session, pulled.params) => answer,
        _ = cancelled => Err(Error::request_cancelled()),
    };
    session.pending_pulls.finish(&pulled.id);
    let size_hint = match &answer {
        Ok(DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(report))) => {
            to_proto::serialized_size_hint(&report.full_document_diagnostic_report.items)
        }
        _ => 0,
    };
    session.send_frame(transport::response_frame(
        &pulled.id,
        answer.as_ref(),
        size_hint,
    ));
}

/// `$/cancelRequest`, as the transport copies it: a pull still pending answers
/// `RequestCancelled`.
pub fn cancel_pull(session: &Session, cancel: CancelPull) {
    session.pending_pulls.cancel(&cancel.id);
}

/// Pushes diagnostics for `version` once analysed, unless the document moved on.
pub fn publish_when_analysed(session: Arc<Session>, uri: Uri, version: i32) {
    if session.state().client_info.pulls {
        return;
    }
    // No debounce: the analysis starts at once on the blocking pool, and an edit
    // that arrives meanwhile makes it stop between rules, so fast typing costs
    // only the analyses that are still current.
    tokio::spawn(async move {
        if session.current_version(&uri) != Some(version) {
            return;
        }
        let (context, found) = match session.analysed(&uri).await {
            Ok(analysed) => analysed,
            // A newer version replaced this one; its own push follows.
            Err(error) if error.code == ErrorCode::ContentModified => return,
            Err(error) if error.code == ErrorCode::InvalidParams => return,
            Err(error) => {
                session
                    .client
                    .log_message(MessageType::ERROR, error.message)
                    .await;
                return;
            }
        };
        let items = to_proto::diagnostics(&found, &uri, &context.positions());
        // Never publish for a version the client has already replaced.
        if session.current_version(&uri) == Some(context.snapshot.version) {
            session.publish(uri, items, Some(context.snapshot.version));
        }
    });
}

/// After the settings or the index changed: fresh diagnostics everywhere.
pub async fn refresh(session: &Arc<Session>) {
    let (pulls, refresh, uris) = {
        let mut state = session.state();
        state.analyses.clear();
        let info = &state.client_info;
        let uris: Vec<Uri> = state.documents.uris().cloned().collect();
        (info.pulls, info.refresh, uris)
    };
    if pulls {
        if refresh {
            let _ = session.client.workspace_diagnostic_refresh().await;
        }
        return;
    }
    for uri in uris {
        if let Some(version) = session.current_version(&uri) {
            publish_when_analysed(session.clone(), uri, version);
        }
    }
}
