//! `workspace/didChangeWorkspaceFolders`: each folder is its own site; added folders
//! are resolved and indexed, removed ones dropped with their index.

use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::ls_types::{DidChangeWorkspaceFoldersParams, WorkspaceFolder};

use super::super::session::Session;
use super::{configuration, indexing};

pub async fn did_change_workspace_folders(
    session: &Arc<Session>,
    params: DidChangeWorkspaceFoldersParams,
) {
    let (added, removed) = (
        canonical(&params.event.added),
        canonical(&params.event.removed),
    );
    {
        let mut state = session.state();
        state.folders.retain(|folder| !removed.contains(folder));
        for folder in added {
            if !state.folders.contains(&folder) {
                state.folders.push(folder);
            }
        }
    }
    configuration::reload(session).await;
    tokio::spawn(indexing::index_workspace(session.clone()));
}

/// Canonical roots, so links inside resolve against them.
pub fn canonical(folders: &[WorkspaceFolder]) -> Vec<PathBuf> {
    folders
        .iter()
        .filter_map(|f| f.uri.to_file_path()?.canonicalize().ok())
        .collect()
}
