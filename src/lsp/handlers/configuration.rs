//! Settings: resolving each folder through the resolver the CLI uses
//! (`crate::resolve`), `workspace/didChangeConfiguration` and
//! `workspace/didChangeWatchedFiles` (a post re-indexed, `copydesk.toml` re-read).

use std::sync::Arc;

use tower_lsp_server::ls_types::{
    DidChangeConfigurationParams, DidChangeWatchedFilesParams, MessageType,
};

use crate::Linter;
use crate::workspace;

use super::super::index;
use super::super::session::{FolderSite, Session};
use super::super::settings;
use super::{diagnostics, indexing};

/// Re-resolves each folder's settings: what the site implies, the client's
/// settings, then its `copydesk.toml`. A folder keeps its index when its content
/// roots and generator stay the same; returns whether some folder needs indexing.
pub async fn reload(session: &Session) -> bool {
    let (client_settings, folders, old_sites) = {
        let state = session.state();
        (
            state.client_settings.clone(),
            state.folders.clone(),
            state.sites.clone(),
        )
    };
    let mut errors = Vec::new();
    let overlay = match settings::overlay(client_settings.as_ref()) {
        Ok(overlay) => overlay,
        Err(message) => {
            errors.push(message);
            None
        }
    };
    let mut sites = Vec::new();
    let mut reindex = false;
    for root in folders {
        let config_file = Some(root.join(workspace::CONFIG_FILE)).filter(|f| f.is_file());
        let resolved = crate::resolve::resolve(root, config_file, overlay.as_ref());
        errors.extend(resolved.errors.iter().map(ToString::to_string));
        let site = resolved.site;
        let kept = old_sites.iter().find(|old| {
            old.site.root == site.root
                && old.site.config.content == site.config.content
                && old.site.config.exclude == site.config.exclude
                && old.site.config.generator == site.config.generator
        });
        reindex |= kept.is_none();
        sites.push(FolderSite {
            index: kept.map(|old| old.index.clone()).unwrap_or_default(),
            linter: Arc::new(Linter::new(site.config.clone())),
            site,
        });
    }
    let (fallback, fallback_errors) = crate::resolve::without_site(overlay.as_ref());
    if errors.is_empty() {
        errors.extend(fallback_errors.iter().map(ToString::to_string));
    }
    {
        let mut state = session.state();
        state.sites = sites;
        state.fallback = Some(Arc::new(Linter::new(fallback)));
        state.analyses.clear();
    }
    for error in errors {
        session
            .client
            .show_message(MessageType::ERROR, format!("copydesk: {error}"))
            .await;
    }
    reindex
}

pub async fn did_change_configuration(
    session: &Arc<Session>,
    params: DidChangeConfigurationParams,
) {
    session.state().client_settings = Some(params.settings);
    if reload(session).await {
        tokio::spawn(indexing::index_workspace(session.clone()));
    }
    diagnostics::refresh(session).await;
}

pub async fn did_change_watched_files(session: &Arc<Session>, params: DidChangeWatchedFilesParams) {
    let mut config_changed = false;
    for change in params.changes {
        let Some(path) = change.uri.to_file_path().map(|p| p.into_owned()) else {
            continue;
        };
        if path
            .file_name()
            .is_some_and(|name| name == workspace::CONFIG_FILE)
        {
            config_changed = true;
        } else if index::is_post(&path) && !session.state().documents.is_open(&change.uri) {
            session.index_from_disk(&change.uri, &path);
        }
    }
    if config_changed && reload(session).await {
        tokio::spawn(indexing::index_workspace(session.clone()));
    }
    diagnostics::refresh(session).await;
}
