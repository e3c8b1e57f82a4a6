//! `initialize` (what the client offers, what we advertise) and `initialized`
//! (file watchers, then indexing).

use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::ide::code_actions;
use crate::line_index::Encoding;

use super::super::convert;
use super::super::session::{ClientInfo, Session};
use super::{configuration, indexing};

pub async fn initialize(session: &Session, params: InitializeParams) -> Result<InitializeResult> {
    let client_info = client_info(&params.capabilities);
    let encoding = client_info.encoding;
    #[allow(deprecated)]
    let folders: Vec<PathBuf> = match &params.workspace_folders {
        Some(folders) => folders
            .iter()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect(),
        None => params
            .root_uri
            .iter()
            .filter_map(|uri| uri.to_file_path().map(|p| p.into_owned()))
            .collect(),
    };
    {
        let mut state = session.state();
        state.client_info = client_info;
        // Canonical roots, so links inside resolve against them.
        state.folders = folders
            .into_iter()
            .filter_map(|folder| folder.canonicalize().ok())
            .collect();
        state.client_settings = params.initialization_options;
    }
    configuration::reload(session).await;
    Ok(InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(ServerInfo {
            name: "copydesk".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        }),
        offset_encoding: None,
    })
}

fn client_info(capabilities: &ClientCapabilities) -> ClientInfo {
    let text_document = capabilities.text_document.as_ref();
    let workspace = capabilities.workspace.as_ref();
    ClientInfo {
        encoding: convert::negotiate(
            capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        ),
        pulls: text_document.is_some_and(|t| t.diagnostic.is_some()),
        refresh: workspace
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false),
        work_done_progress: capabilities
            .window
            .as_ref()
            .and_then(|w| w.work_done_progress)
            .unwrap_or(false),
        dynamic_watchers: workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        completion_edit_range: text_document
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_list.as_ref())
            .and_then(|l| l.item_defaults.as_ref())
            .is_some_and(|defaults| defaults.iter().any(|d| d == "editRange")),
    }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    let code_action_kinds = vec![
        CodeActionKind::QUICKFIX,
        CodeActionKind::new(code_actions::FIX_ALL_KIND),
        CodeActionKind::new(code_actions::REMOVE_MARKUP_KIND),
    ];
    ServerCapabilities {
        position_encoding: Some(convert::encoding_kind(encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..Default::default()
            },
        )),
        diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
            identifier: Some("copydesk".to_owned()),
            inter_file_dependencies: true,
            // Every post of every folder, with result ids (SPEC §4).
            workspace_diagnostics: true,
            work_done_progress_options: Default::default(),
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(code_action_kinds),
            ..Default::default()
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(["-", ":", "[", ",", " "].map(str::to_owned).to_vec()),
            ..Default::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..Default::default()
    }
}

/// Asks for file watching when the client can register it, then indexes.
pub async fn initialized(session: &Arc<Session>) {
    let dynamic = session.state().client_info.dynamic_watchers;
    if dynamic {
        let watchers = ["**/*.md", "**/*.markdown", "**/copydesk.toml"]
            .into_iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob.to_owned()),
                kind: None,
            })
            .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: "copydesk-watch".to_owned(),
            method: "workspace/didChangeWatchedFiles".to_owned(),
            register_options: serde_json::to_value(options).ok(),
        };
        if let Err(error) = session.client.register_capability(vec![registration]).await {
            session
                .client
                .log_message(
                    MessageType::WARNING,
                    format!("copydesk: no file watching: {error}"),
                )
                .await;
        }
    }
    tokio::spawn(indexing::index_workspace(session.clone()));
}
