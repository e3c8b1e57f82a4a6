//! Indexing every folder's posts, with `$/progress` when the client supports it.

use std::path::PathBuf;
use std::sync::Arc;

use tower_lsp_server::ls_types::{MessageType, NumberOrString};

use crate::site::SiteIndex;
use crate::workspace::{self, Site};

use super::super::documents::Snapshot;
use super::super::index;
use super::super::session::{Session, guarded};
use super::diagnostics;

const INDEX_PROGRESS_TOKEN: &str = "copydesk/index";

/// Builds each folder's index from disk (open documents from their live text) and
/// swaps it in whole, so requests meanwhile read the previous one.
pub async fn index_workspace(session: Arc<Session>) {
    let (folders, sites, work_done) = {
        let state = session.state();
        (
            state.folders.clone(),
            state.sites.clone(),
            state.client_info.work_done_progress,
        )
    };
    let token = NumberOrString::String(INDEX_PROGRESS_TOKEN.to_owned());
    let progress = if work_done
        && session
            .client
            .create_work_done_progress(token.clone())
            .await
            .is_ok()
    {
        Some(
            session
                .client
                .progress(token, "copydesk: indexing posts")
                .with_percentage(0)
                .begin()
                .await,
        )
    } else {
        None
    };
    let walk_sites: Vec<Site> = sites.iter().map(|folder| folder.site.clone()).collect();
    let paths: Vec<Vec<PathBuf>> =
        tokio::task::spawn_blocking(move || walk_sites.iter().map(index::collect_posts).collect())
            .await
            .unwrap_or_default();
    let total: usize = paths.iter().map(Vec::len).sum();
    let mut done = 0;
    for (folder, paths) in sites.iter().zip(&paths) {
        let mut fresh = SiteIndex::new();
        for chunk in paths.chunks(4096) {
            let (chunk, roots, site) = (chunk.to_vec(), folders.clone(), folder.site.clone());
            let summaries =
                tokio::task::spawn_blocking(move || index::summarize_files(&roots, &chunk, &site))
                    .await
                    .unwrap_or_default();
            done += summaries.len();
            fresh.extend(summaries);
            if let Some(progress) = &progress {
                let percent = (done * 100 / total.max(1)) as u32;
                progress
                    .report_with_message(format!("{done}/{total} posts"), percent)
                    .await;
            }
        }
        // Open documents are indexed from their live text, not from disk.
        let open: Vec<Snapshot> = {
            let mut state = session.state();
            let uris: Vec<_> = state.documents.uris().cloned().collect();
            uris.iter()
                .filter_map(|uri| state.documents.snapshot(uri))
                .collect()
        };
        for snapshot in open {
            let place = session.placement(&snapshot.uri);
            if place.root.as_ref() != Some(&folder.site.root) {
                continue;
            }
            if let (Some(key), Ok(summary)) = (
                place.key,
                guarded("indexing", || {
                    workspace::summarize(&snapshot.text, &folder.site.config)
                }),
            ) {
                fresh.insert(key, summary);
            }
        }
        *folder
            .index
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = fresh;
    }
    if let Some(progress) = progress {
        progress
            .finish_with_message(format!("{total} posts indexed"))
            .await;
    }
    session
        .client
        .log_message(
            MessageType::INFO,
            format!("copydesk: indexed {total} posts"),
        )
        .await;
    diagnostics::refresh(&session).await;
}
