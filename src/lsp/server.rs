//! The `LanguageServer` implementation: session state, and one thin handler per
//! request that snapshots the state, calls a pure feature function and converts
//! the result to LSP at the edge.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard};

use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::Linter;
use crate::diagnostic::{self, Edit};
use crate::document::Document;
use crate::frontmatter::taxonomy::TaxonomyValue;
use crate::line_index::Encoding;
use crate::site::{PostKey, SiteIndex};
use crate::workspace::{self, Site};

use super::analysis::{Diagnostics, Outcome, Slot};
use super::code_actions::{self, Action, ActionKind};
use super::convert::{self, Positions};
use super::documents::{Documents, Snapshot};
use super::{completion, diagnostics, hover, index, settings, symbols};
use crate::ide::rename;

/// How long push diagnostics wait for more keystrokes before computing.
const INDEX_PROGRESS_TOKEN: &str = "copydesk/index";

/// What the client told us at `initialize`.
#[derive(Default)]
struct ClientInfo {
    encoding: Encoding,
    /// The client pulls diagnostics itself (`textDocument.diagnostic` capability).
    pulls: bool,
    refresh: bool,
    work_done_progress: bool,
    dynamic_watchers: bool,
}

/// One workspace folder: its resolved site, the linter built from it and its own
/// index, keyed by [`PostKey`] exactly as the CLI keys it.
#[derive(Clone)]
struct FolderSite {
    site: Site,
    linter: Arc<Linter>,
    index: Arc<RwLock<SiteIndex>>,
}

/// Where a document belongs: the linter and index of its folder, and its key there
/// (`None` outside every folder, where it is linted alone).
#[derive(Clone)]
struct Placement {
    linter: Arc<Linter>,
    index: Arc<RwLock<SiteIndex>>,
    key: Option<PostKey>,
    root: Option<PathBuf>,
}

impl Placement {
    fn index(&self) -> RwLockReadGuard<'_, SiteIndex> {
        self.index
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn update_index(&self, f: impl FnOnce(&mut SiteIndex, &PostKey)) {
        let Some(key) = &self.key else {
            return;
        };
        let mut index = self
            .index
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut index, key);
    }
}

#[derive(Default)]
struct State {
    client_info: ClientInfo,
    /// Canonical roots of the workspace folders.
    folders: Vec<PathBuf>,
    sites: Vec<FolderSite>,
    client_settings: Option<serde_json::Value>,
    documents: Documents,
    /// For documents outside every folder: defaults plus client settings.
    fallback: Option<Arc<Linter>>,
    /// The analysis of the latest requested version of each open document.
    analyses: HashMap<Uri, Arc<Slot>>,
    /// The version each open document was last indexed at.
    indexed: HashMap<Uri, i32>,
}

pub struct Backend {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    state: Mutex<State>,
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            inner: Arc::new(Inner {
                client,
                state: Mutex::new(State::default()),
            }),
        }
    }
}

impl Inner {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn encoding(&self) -> Encoding {
        self.state().client_info.encoding
    }

    /// The folder site holding `uri`, and the post's key in it.
    fn placement(&self, uri: &Uri) -> Placement {
        let path = uri.to_file_path().map(|p| p.into_owned());
        let mut state = self.state();
        if let Some(path) = path.as_deref().and_then(|p| resolve(&state.folders, p)) {
            let site = state
                .sites
                .iter()
                .filter(|folder| path.starts_with(&folder.site.root))
                .max_by_key(|folder| folder.site.root.as_os_str().len());
            if let Some(folder) = site {
                return Placement {
                    linter: folder.linter.clone(),
                    index: folder.index.clone(),
                    key: Some(folder.site.post_key(&path)),
                    root: Some(folder.site.root.clone()),
                };
            }
        }
        let linter = state
            .fallback
            .get_or_insert_with(|| Arc::new(Linter::new(Default::default())))
            .clone();
        Placement {
            linter,
            index: Arc::default(),
            key: None,
            root: None,
        }
    }

    fn snapshot(&self, uri: &Uri) -> Result<Snapshot> {
        self.state()
            .documents
            .snapshot(uri)
            .ok_or_else(|| Error::invalid_params(format!("{} is not open", uri.as_str())))
    }

    fn current_version(&self, uri: &Uri) -> Option<i32> {
        self.state().documents.version(uri)
    }

    /// The file path of a `file:` URI, when it lies inside a workspace folder.
    fn path_of(&self, uri: &Uri) -> Option<PathBuf> {
        let path = uri.to_file_path()?.into_owned();
        resolve(&self.state().folders, &path)
    }

    /// Diagnostics for exactly the snapshot's version: computed once per version on
    /// the blocking pool, shared by every request for that version.
    async fn diagnostics(&self, snapshot: &Snapshot) -> Result<Diagnostics> {
        let place = self.placement(&snapshot.uri);
        let slot = {
            let mut state = self.state();
            match state.analyses.get(&snapshot.uri) {
                Some(slot) if slot.version == snapshot.version => slot.clone(),
                _ => {
                    let (slot, job) = Slot::new(snapshot.version);
                    if state.documents.version(&snapshot.uri) == Some(snapshot.version) {
                        if let Some(old) = state.analyses.insert(snapshot.uri.clone(), slot.clone())
                        {
                            old.make_obsolete();
                        }
                    }
                    let text = snapshot.text.clone();
                    tokio::task::spawn_blocking(move || {
                        let index = place.index();
                        let outcome = catch_unwind(AssertUnwindSafe(|| {
                            let stop = || job.is_obsolete();
                            place
                                .linter
                                .check_until(&text, place.key.as_ref(), &index, &stop)
                        }));
                        drop(index);
                        job.finish(match outcome {
                            Ok(Some(found)) => Outcome::Done(Arc::new(found)),
                            Ok(None) => Outcome::Obsolete,
                            Err(panic) => Outcome::Failed(panic_message(panic.as_ref())),
                        });
                    });
                    slot
                }
            }
        };
        match slot.outcome().await {
            Outcome::Done(found) => Ok(found),
            Outcome::Obsolete => Err(content_modified()),
            Outcome::Failed(detail) => Err(Error {
                code: ErrorCode::InternalError,
                message: format!("copydesk: diagnostics failed: {detail}").into(),
                data: None,
            }),
        }
    }

    fn lsp_diagnostics(
        &self,
        snapshot: &Snapshot,
        found: &[diagnostic::Diagnostic],
    ) -> Vec<Diagnostic> {
        let positions = Positions::new(&snapshot.text, self.encoding());
        found
            .iter()
            .map(|d| diagnostics::to_lsp(d, &snapshot.uri, &positions))
            .collect()
    }

    /// Indexes the latest text of an open document, unless a newer version was
    /// indexed already (these run on the blocking pool and may finish out of order).
    fn index_latest(&self, uri: &Uri) {
        let Some(snapshot) = self.state().documents.snapshot_to_reindex(uri) else {
            return;
        };
        let place = self.placement(uri);
        let Ok(summary) = guarded("indexing", || {
            workspace::summarize(&snapshot.text, place.linter.config())
        }) else {
            return;
        };
        let mut state = self.state();
        let newest = state.indexed.get(uri).is_none_or(|v| *v < snapshot.version);
        if !newest || state.documents.version(uri) != Some(snapshot.version) {
            return;
        }
        state.indexed.insert(uri.clone(), snapshot.version);
        let mut changed = false;
        // Lock order: state, then index (no one takes the state holding an index).
        place.update_index(|index, key| {
            if index.post(key.as_str()) != Some(&summary) {
                index.insert(key.clone(), summary);
                changed = true;
            }
        });
        // Other posts' taxonomy findings depend on this one's.
        if changed {
            state.analyses.retain(|other, _| other == uri);
        }
    }

    /// The posts of `place`'s site that may use `target`: the open ones (live text)
    /// and those the index says use it (read from disk).
    fn posts_using(&self, place: &Placement, target: &TaxonomyValue) -> Vec<(Uri, Arc<str>)> {
        let (folders, uris): (Vec<PathBuf>, Vec<Uri>) = {
            let state = self.state();
            (
                state.folders.clone(),
                state.documents.uris().cloned().collect(),
            )
        };
        let mut files: Vec<(Uri, Arc<str>)> = uris
            .into_iter()
            .filter(|uri| self.placement(uri).root == place.root)
            .filter_map(|uri| Some((uri.clone(), self.snapshot(&uri).ok()?.text)))
            .collect();
        let on_disk: Vec<PathBuf> = match &place.root {
            Some(root) => place
                .index()
                .posts_using(target.kind, &target.value)
                .map(|key| root.join(key.as_str()))
                .collect(),
            None => Vec::new(),
        };
        for path in on_disk {
            let Some(file_uri) = Uri::from_file_path(&path) else {
                continue;
            };
            if files.iter().any(|(u, _)| *u == file_uri) {
                continue;
            }
            if let Some(text) = index::read_post(&folders, &path) {
                files.push((file_uri, Arc::from(text)));
            }
        }
        files.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        files
    }

    /// Re-reads a post from disk into the index (or drops it when it is gone).
    fn index_from_disk(&self, uri: &Uri, path: &Path) {
        let folders = self.state().folders.clone();
        let place = self.placement(uri);
        match index::read_post(&folders, path) {
            Some(text) => {
                if let Ok(summary) = guarded("indexing", || {
                    workspace::summarize(&text, place.linter.config())
                }) {
                    place.update_index(|index, key| index.insert(key.clone(), summary));
                }
            }
            None => place.update_index(|index, key| index.remove(key)),
        }
    }

    /// Re-resolves each folder's settings through the resolver the CLI uses: what
    /// the site implies, the client's settings, then its `copydesk.toml`. A folder
    /// keeps its index when its content roots and generator stay the same.
    async fn reload_config(&self) -> bool {
        let (client_settings, folders, old_sites) = {
            let state = self.state();
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
            let mut site = resolved.site;
            // FM006 inserts this as a missing `date`. Read when the settings are;
            // passing it per analysis needs `Context` to carry it (FM006 reads
            // `Config::now` today).
            site.config.now = Some(jiff::Zoned::now());
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
        let (mut fallback, fallback_errors) = crate::resolve::without_site(overlay.as_ref());
        fallback.now = Some(jiff::Zoned::now());
        if errors.is_empty() {
            errors.extend(fallback_errors.iter().map(ToString::to_string));
        }
        {
            let mut state = self.state();
            state.sites = sites;
            state.fallback = Some(Arc::new(Linter::new(fallback)));
            state.analyses.clear();
        }
        for error in errors {
            self.client
                .show_message(MessageType::ERROR, format!("copydesk: {error}"))
                .await;
        }
        reindex
    }

    /// After the settings or the index changed: fresh diagnostics everywhere.
    async fn refresh_diagnostics(self: &Arc<Self>) {
        let (pulls, refresh, uris) = {
            let mut state = self.state();
            state.analyses.clear();
            let info = &state.client_info;
            let uris: Vec<Uri> = state.documents.uris().cloned().collect();
            (info.pulls, info.refresh, uris)
        };
        if pulls {
            if refresh {
                let _ = self.client.workspace_diagnostic_refresh().await;
            }
            return;
        }
        for uri in uris {
            if let Some(version) = self.current_version(&uri) {
                self.clone().publish_when_analysed(uri, version);
            }
        }
    }

    /// Pushes diagnostics for `version` once analysed, unless the document moved on.
    fn publish_when_analysed(self: Arc<Self>, uri: Uri, version: i32) {
        if self.state().client_info.pulls {
            return;
        }
        // No debounce: the analysis starts at once on the blocking pool, and an edit
        // that arrives meanwhile makes it stop between rules, so fast typing costs
        // only the analyses that are still current.
        tokio::spawn(async move {
            if self.current_version(&uri) != Some(version) {
                return;
            }
            let Ok(snapshot) = self.snapshot(&uri) else {
                return;
            };
            let found = match self.diagnostics(&snapshot).await {
                Ok(found) => found,
                // A newer version replaced this one; its own push follows.
                Err(error) if error.code == ErrorCode::ContentModified => return,
                Err(error) => {
                    self.client
                        .log_message(MessageType::ERROR, error.message)
                        .await;
                    return;
                }
            };
            let items = self.lsp_diagnostics(&snapshot, &found);
            // Never publish for a version the client has already replaced.
            if self.current_version(&uri) == Some(snapshot.version) {
                self.client
                    .publish_diagnostics(uri, items, Some(snapshot.version))
                    .await;
            }
        });
    }

    /// Builds each folder's index from disk (open documents from their live text)
    /// and swaps it in whole, so requests meanwhile read the previous one.
    async fn index_workspace(self: Arc<Self>) {
        let (folders, sites, work_done) = {
            let state = self.state();
            (
                state.folders.clone(),
                state.sites.clone(),
                state.client_info.work_done_progress,
            )
        };
        let token = NumberOrString::String(INDEX_PROGRESS_TOKEN.to_owned());
        let progress = if work_done
            && self
                .client
                .create_work_done_progress(token.clone())
                .await
                .is_ok()
        {
            Some(
                self.client
                    .progress(token, "copydesk: indexing posts")
                    .with_percentage(0)
                    .begin()
                    .await,
            )
        } else {
            None
        };
        let walk_sites: Vec<Site> = sites.iter().map(|folder| folder.site.clone()).collect();
        let paths: Vec<Vec<PathBuf>> = tokio::task::spawn_blocking(move || {
            walk_sites.iter().map(index::collect_posts).collect()
        })
        .await
        .unwrap_or_default();
        let total: usize = paths.iter().map(Vec::len).sum();
        let mut done = 0;
        for (folder, paths) in sites.iter().zip(&paths) {
            let mut fresh = SiteIndex::new();
            for chunk in paths.chunks(4096) {
                let (chunk, roots, site) = (chunk.to_vec(), folders.clone(), folder.site.clone());
                let summaries = tokio::task::spawn_blocking(move || {
                    index::summarize_files(&roots, &chunk, &site)
                })
                .await
                .unwrap_or_default();
                done += summaries.len();
                for (key, summary) in summaries {
                    fresh.insert(key, summary);
                }
                if let Some(progress) = &progress {
                    let percent = (done * 100 / total.max(1)) as u32;
                    progress
                        .report_with_message(format!("{done}/{total} posts"), percent)
                        .await;
                }
            }
            // Open documents are indexed from their live text, not from disk.
            let open: Vec<Snapshot> = {
                let mut state = self.state();
                let uris: Vec<Uri> = state.documents.uris().cloned().collect();
                uris.iter()
                    .filter_map(|uri| state.documents.snapshot(uri))
                    .collect()
            };
            for snapshot in open {
                let place = self.placement(&snapshot.uri);
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
        self.client
            .log_message(
                MessageType::INFO,
                format!("copydesk: indexed {total} posts"),
            )
            .await;
        self.refresh_diagnostics().await;
    }
}

/// `path` resolved inside one of the (canonical) `folders`, or `None`.
fn resolve(folders: &[PathBuf], path: &Path) -> Option<PathBuf> {
    if folders.iter().any(|folder| path.starts_with(folder)) {
        return Some(path.to_owned());
    }
    // The client may name the folder through a link; a file not saved yet has no
    // canonical form, so its parent is resolved instead.
    let canonical = path.canonicalize().ok().or_else(|| {
        let parent = path.parent()?.canonicalize().ok()?;
        Some(parent.join(path.file_name()?))
    })?;
    folders
        .iter()
        .any(|folder| canonical.starts_with(folder))
        .then_some(canonical)
}

/// Runs a pure feature call; a panic becomes an error response instead of a dead server.
fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|panic| Error {
        code: ErrorCode::InternalError,
        message: format!("copydesk: {what} failed: {}", panic_message(panic.as_ref())).into(),
        data: None,
    })
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

fn content_modified() -> Error {
    Error {
        code: ErrorCode::ContentModified,
        message: "the document changed while it was analysed".into(),
        data: None,
    }
}

fn to_text_edits(text: &str, edits: &[Edit], encoding: Encoding) -> Vec<TextEdit> {
    let positions = Positions::new(text, encoding);
    edits
        .iter()
        .map(|edit| {
            TextEdit::new(
                positions.range(edit.range.clone()),
                edit.replacement.clone(),
            )
        })
        .collect()
}

fn kind_matches(only: Option<&Vec<CodeActionKind>>, kind: &str) -> bool {
    match only {
        None => true,
        Some(only) => only.iter().any(|wanted| {
            let wanted = wanted.as_str();
            kind == wanted || kind.starts_with(&format!("{wanted}."))
        }),
    }
}

fn symbol_to_lsp(symbol: symbols::Symbol, positions: &Positions) -> DocumentSymbol {
    #[allow(deprecated)]
    DocumentSymbol {
        name: symbol.name,
        detail: symbol.detail,
        kind: match symbol.kind {
            symbols::SymbolKind::Field => SymbolKind::FIELD,
            symbols::SymbolKind::Heading => SymbolKind::STRING,
        },
        tags: None,
        deprecated: None,
        range: positions.range(symbol.range),
        selection_range: positions.range(symbol.selection),
        children: (!symbol.children.is_empty()).then(|| {
            symbol
                .children
                .into_iter()
                .map(|child| symbol_to_lsp(child, positions))
                .collect()
        }),
    }
}

fn now_for_front_matter() -> String {
    jiff::Zoned::now().strftime("%Y-%m-%d %H:%M:%S").to_string()
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let capabilities = &params.capabilities;
        let encoding = convert::negotiate(
            capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        let text_document = capabilities.text_document.as_ref();
        let workspace = capabilities.workspace.as_ref();
        let client_info = ClientInfo {
            encoding,
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
        };
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
        // Canonical roots, so links inside resolve against them.
        let folders = folders
            .into_iter()
            .filter_map(|folder| folder.canonicalize().ok())
            .collect();
        {
            let mut state = self.inner.state();
            state.client_info = client_info;
            state.folders = folders;
            state.client_settings = params.initialization_options.clone();
        }
        self.inner.reload_config().await;
        let code_action_kinds = vec![
            CodeActionKind::QUICKFIX,
            CodeActionKind::new(code_actions::FIX_ALL_KIND),
            CodeActionKind::new(code_actions::REMOVE_MARKUP_KIND),
        ];
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(convert::encoding_kind(encoding)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..Default::default()
                    },
                )),
                diagnostic_provider: Some(DiagnosticServerCapabilities::Options(
                    DiagnosticOptions {
                        identifier: Some("copydesk".to_owned()),
                        inter_file_dependencies: true,
                        // Answered, not yet advertised: VS Code would then list every
                        // post's problems in its panel, which the editor test does
                        // not expect yet (it counts the open post's rows).
                        workspace_diagnostics: false,
                        work_done_progress_options: Default::default(),
                    },
                )),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(code_action_kinds),
                        ..Default::default()
                    },
                )),
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
            },
            server_info: Some(ServerInfo {
                name: "copydesk".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let dynamic = self.inner.state().client_info.dynamic_watchers;
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
            if let Err(error) = self
                .inner
                .client
                .register_capability(vec![registration])
                .await
            {
                self.inner
                    .client
                    .log_message(
                        MessageType::WARNING,
                        format!("copydesk: no file watching: {error}"),
                    )
                    .await;
            }
        }
        tokio::spawn(self.inner.clone().index_workspace());
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    // Document synchronization: every change is applied before the first `.await`,
    // so notifications processed concurrently cannot overtake each other.

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        let snapshot = {
            let mut state = self.inner.state();
            state
                .documents
                .open(document.uri.clone(), &document.text, document.version);
            state.documents.snapshot(&document.uri)
        };
        if let Some(snapshot) = snapshot {
            self.inner.index_latest(&snapshot.uri);
            self.inner
                .clone()
                .publish_when_analysed(snapshot.uri, snapshot.version);
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let applied = {
            let mut state = self.inner.state();
            let encoding = state.client_info.encoding;
            state
                .documents
                .change(&uri, version, params.content_changes, encoding)
        };
        if !applied {
            return;
        }
        // The index follows every edit, off the async workers: a long analysis
        // holding the index must not stall the message loop.
        let inner = self.inner.clone();
        let indexed = uri.clone();
        if self.inner.state().documents.request_reindex(&uri) {
            tokio::task::spawn_blocking(move || inner.index_latest(&indexed));
        }
        self.inner.clone().publish_when_analysed(uri, version);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        {
            let mut state = self.inner.state();
            state.documents.close(&uri);
            state.indexed.remove(&uri);
            if let Some(slot) = state.analyses.remove(&uri) {
                slot.make_obsolete();
            }
        }
        // The index goes back to what is on disk.
        if let Some(path) = self.inner.path_of(&uri) {
            self.inner.index_from_disk(&uri, &path);
        }
        if !self.inner.state().client_info.pulls {
            self.inner
                .client
                .publish_diagnostics(uri, Vec::new(), None)
                .await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.inner.state().client_settings = Some(params.settings);
        if self.inner.reload_config().await {
            tokio::spawn(self.inner.clone().index_workspace());
        }
        self.inner.refresh_diagnostics().await;
    }

    /// Each folder is its own site: added folders are resolved and indexed, removed
    /// ones dropped with their index.
    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let canonical = |folders: &[WorkspaceFolder]| -> Vec<PathBuf> {
            folders
                .iter()
                .filter_map(|f| f.uri.to_file_path()?.canonicalize().ok())
                .collect()
        };
        let (added, removed) = (
            canonical(&params.event.added),
            canonical(&params.event.removed),
        );
        {
            let mut state = self.inner.state();
            state.folders.retain(|folder| !removed.contains(folder));
            for folder in added {
                if !state.folders.contains(&folder) {
                    state.folders.push(folder);
                }
            }
        }
        self.inner.reload_config().await;
        tokio::spawn(self.inner.clone().index_workspace());
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
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
            } else if index::is_post(&path) && !self.inner.state().documents.is_open(&change.uri) {
                self.inner.index_from_disk(&change.uri, &path);
            }
        }
        if config_changed && self.inner.reload_config().await {
            tokio::spawn(self.inner.clone().index_workspace());
        }
        self.inner.refresh_diagnostics().await;
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        // The answer is for the version current when the request arrived, and only
        // while it is still current: after a change the client is told to ask again
        // (never a result for an older text, nor for a newer one it did not ask about).
        let Ok(snapshot) = self.inner.snapshot(&uri) else {
            return Ok(full_report(Vec::new(), None));
        };
        let found = self.inner.diagnostics(&snapshot).await?;
        if self.inner.current_version(&uri) != Some(snapshot.version) {
            return Err(content_modified());
        }
        let items = self.inner.lsp_diagnostics(&snapshot, &found);
        let id = result_id(&items);
        if params.previous_result_id.as_deref() == Some(id.as_str()) {
            return Ok(DocumentDiagnosticReportResult::Report(
                DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id: id,
                    },
                }),
            ));
        }
        Ok(full_report(items, Some(id)))
    }

    /// Every post of every folder: open ones at their current version, the others
    /// as saved, linted on the blocking pool.
    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        let previous: HashMap<String, String> = params
            .previous_result_ids
            .into_iter()
            .map(|id| (id.uri.as_str().to_owned(), id.value))
            .collect();
        let (sites, folders, encoding, open) = {
            let state = self.inner.state();
            (
                state.sites.clone(),
                state.folders.clone(),
                state.client_info.encoding,
                state.documents.uris().cloned().collect::<Vec<Uri>>(),
            )
        };
        let mut items = Vec::new();
        for uri in &open {
            let Ok(snapshot) = self.inner.snapshot(uri) else {
                continue;
            };
            let found = self.inner.diagnostics(&snapshot).await?;
            let lsp = self.inner.lsp_diagnostics(&snapshot, &found);
            items.push(workspace_report(
                uri.clone(),
                Some(i64::from(snapshot.version)),
                lsp,
                &previous,
            ));
        }
        for folder in sites {
            let (roots, open) = (folders.clone(), open.clone());
            let saved: Vec<(Uri, Vec<Diagnostic>)> = tokio::task::spawn_blocking(move || {
                use rayon::prelude::*;
                index::collect_posts(&folder.site)
                    .par_iter()
                    .filter_map(|path| {
                        let uri = Uri::from_file_path(path)?;
                        if open.contains(&uri) {
                            return None;
                        }
                        let text = index::read_post(&roots, path)?;
                        let key = folder.site.post_key(path);
                        let found = catch_unwind(AssertUnwindSafe(|| {
                            let index = folder
                                .index
                                .read()
                                .unwrap_or_else(|poisoned| poisoned.into_inner());
                            folder.linter.check(&text, Some(&key), &index)
                        }))
                        .ok()?;
                        let positions = Positions::new(&text, encoding);
                        let lsp = found
                            .iter()
                            .map(|d| diagnostics::to_lsp(d, &uri, &positions))
                            .collect();
                        Some((uri, lsp))
                    })
                    .collect()
            })
            .await
            .unwrap_or_default();
            items.extend(
                saved
                    .into_iter()
                    .map(|(uri, lsp)| workspace_report(uri, None, lsp, &previous)),
            );
        }
        Ok(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items },
        ))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let snapshot = self.inner.snapshot(&uri)?;
        let encoding = self.inner.encoding();
        let found = self.inner.diagnostics(&snapshot).await?;
        let positions = Positions::new(&snapshot.text, encoding);
        let range = positions.offsets(params.range);
        let only = params.context.only.as_ref();
        let mut actions: Vec<Action> = Vec::new();
        if kind_matches(only, CodeActionKind::QUICKFIX.as_str()) {
            actions.extend(guarded("code actions", || {
                code_actions::quick_fixes(&found, range)
            })?);
        }
        let place = self.inner.placement(&uri);
        {
            let index = place.index();
            let lint = |text: &str| place.linter.check(text, place.key.as_ref(), &index);
            if kind_matches(only, code_actions::FIX_ALL_KIND) {
                actions.extend(guarded("fix all", || {
                    code_actions::fix_all(&snapshot.text, lint)
                })?);
            }
            if kind_matches(only, code_actions::REMOVE_MARKUP_KIND) {
                actions.extend(guarded("remove markup", || {
                    code_actions::remove_all_markup(&snapshot.text, lint)
                })?);
            }
        }
        let response = actions
            .into_iter()
            .map(|action| {
                let kind = match action.kind {
                    ActionKind::QuickFix => CodeActionKind::QUICKFIX,
                    ActionKind::FixAll => CodeActionKind::new(code_actions::FIX_ALL_KIND),
                    ActionKind::RemoveAllMarkup => {
                        CodeActionKind::new(code_actions::REMOVE_MARKUP_KIND)
                    }
                };
                let diagnostics = action
                    .diagnostic
                    .and_then(|i| found.get(i))
                    .map(|d| vec![diagnostics::to_lsp(d, &uri, &positions)]);
                let edits = to_text_edits(&snapshot.text, &action.edits, encoding);
                CodeActionOrCommand::CodeAction(CodeAction {
                    title: action.title,
                    kind: Some(kind),
                    diagnostics,
                    edit: Some(WorkspaceEdit {
                        changes: Some(HashMap::from([(uri.clone(), edits)])),
                        ..Default::default()
                    }),
                    is_preferred: action.preferred.then_some(true),
                    ..Default::default()
                })
            })
            .collect();
        Ok(Some(response))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let position = params.text_document_position;
        let snapshot = self.inner.snapshot(&position.text_document.uri)?;
        let encoding = self.inner.encoding();
        let place = self.inner.placement(&position.text_document.uri);
        let linter = &place.linter;
        let now = now_for_front_matter();
        let completion = {
            let site = place.index();
            guarded("completion", || {
                let doc = Document::parse_for(&snapshot.text, None, linter.config().generator);
                let front_matter = doc.front_matter.as_ref()?;
                let keys: Vec<String> =
                    front_matter.entries.iter().map(|e| e.key.clone()).collect();
                let positions = Positions::with_lines(&snapshot.text, doc.lines.clone(), encoding);
                completion::complete(&completion::Request {
                    text: &snapshot.text,
                    offset: positions.offset(position.position),
                    front_matter: front_matter.content.clone(),
                    keys_present: &keys,
                    site: &site,
                    own: place.key.as_ref().and_then(|key| site.post(key.as_str())),
                    config: linter.config(),
                    now: &now,
                })
            })?
        };
        let Some(completion) = completion else {
            return Ok(None);
        };
        let positions = Positions::new(&snapshot.text, encoding);
        let range = positions.range(completion.replace);
        let items = completion
            .items
            .into_iter()
            .enumerate()
            .map(|(rank, item)| CompletionItem {
                kind: Some(match item.kind {
                    completion::ItemKind::Key => CompletionItemKind::PROPERTY,
                    completion::ItemKind::Value => CompletionItemKind::VALUE,
                    completion::ItemKind::Keyword => CompletionItemKind::KEYWORD,
                    completion::ItemKind::Snippet => CompletionItemKind::SNIPPET,
                }),
                detail: item.detail,
                documentation: item.documentation.map(|doc| {
                    Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: doc,
                    })
                }),
                sort_text: Some(format!("{rank:06}")),
                filter_text: Some(item.label.clone()),
                insert_text_format: Some(if item.kind == completion::ItemKind::Snippet {
                    InsertTextFormat::SNIPPET
                } else {
                    InsertTextFormat::PLAIN_TEXT
                }),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, item.insert))),
                label: item.label,
                ..Default::default()
            })
            .collect();
        Ok(Some(CompletionResponse::List(CompletionList {
            is_incomplete: false,
            items,
        })))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let position = params.text_document_position_params;
        let snapshot = self.inner.snapshot(&position.text_document.uri)?;
        let encoding = self.inner.encoding();
        let found = self.inner.diagnostics(&snapshot).await?;
        let place = self.inner.placement(&position.text_document.uri);
        let linter = &place.linter;
        let result = {
            let site = place.index();
            guarded("hover", || {
                let doc = Document::parse_for(&snapshot.text, None, linter.config().generator);
                let positions = Positions::with_lines(&snapshot.text, doc.lines.clone(), encoding);
                let offset = positions.offset(position.position);
                hover::hover(&doc, &found, offset, &site, linter.config())
                    .map(|(text, range)| (text, positions.range(range)))
            })?
        };
        Ok(result.map(|(value, range)| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: Some(range),
        }))
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let snapshot = self.inner.snapshot(&params.text_document.uri)?;
        let encoding = self.inner.encoding();
        let linter = self.inner.placement(&params.text_document.uri).linter;
        guarded("prepare rename", || {
            let doc = Document::parse_for(&snapshot.text, None, linter.config().generator);
            let positions = Positions::with_lines(&snapshot.text, doc.lines.clone(), encoding);
            let target =
                rename::target_at(&doc, positions.offset(params.position), linter.config())?;
            Some(PrepareRenameResponse::RangeWithPlaceholder {
                range: positions.range(target.raw_range.clone()),
                placeholder: target.value.clone(),
            })
        })
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let position = params.text_document_position;
        let uri = position.text_document.uri;
        let snapshot = self.inner.snapshot(&uri)?;
        let encoding = self.inner.encoding();
        rename::validate(&params.new_name)
            .map_err(|error| Error::invalid_params(format!("cannot rename: {error}")))?;
        let place = self.inner.placement(&uri);
        let linter = &place.linter;
        let target = guarded("rename", || {
            let doc = Document::parse_for(&snapshot.text, None, linter.config().generator);
            let positions = Positions::with_lines(&snapshot.text, doc.lines.clone(), encoding);
            rename::target_at(&doc, positions.offset(position.position), linter.config())
        })?
        .ok_or_else(|| Error::invalid_params("only a category, tag or author can be renamed"))?;
        let files = self.inner.posts_using(&place, &target);
        let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
        for (file_uri, text) in files {
            let edits = guarded("rename", || {
                let linter = self.inner.placement(&file_uri).linter;
                rename::edits_for_post(&text, &target, &params.new_name, linter.config())
            })?
            .map_err(|error| Error::invalid_params(format!("cannot rename: {error}")))?;
            if !edits.is_empty() {
                changes.insert(file_uri, to_text_edits(&text, &edits, encoding));
            }
        }
        Ok(Some(WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let position = params.text_document_position;
        let uri = position.text_document.uri;
        let snapshot = self.inner.snapshot(&uri)?;
        let encoding = self.inner.encoding();
        let place = self.inner.placement(&uri);
        let linter = &place.linter;
        let Some(target) = guarded("references", || {
            let doc = Document::parse_for(&snapshot.text, None, linter.config().generator);
            let positions = Positions::with_lines(&snapshot.text, doc.lines.clone(), encoding);
            rename::target_at(&doc, positions.offset(position.position), linter.config())
        })?
        else {
            return Ok(None);
        };
        let mut locations = Vec::new();
        for (file_uri, text) in self.inner.posts_using(&place, &target) {
            let ranges = guarded("references", || {
                let linter = self.inner.placement(&file_uri).linter;
                rename::occurrences(&text, &target, linter.config())
            })?;
            let positions = Positions::new(&text, encoding);
            locations.extend(
                ranges
                    .into_iter()
                    .map(|range| Location::new(file_uri.clone(), positions.range(range))),
            );
        }
        Ok(Some(locations))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let snapshot = self.inner.snapshot(&params.text_document.uri)?;
        let encoding = self.inner.encoding();
        let linter = self.inner.placement(&params.text_document.uri).linter;
        let symbols = guarded("symbols", || {
            let doc = Document::parse_for(&snapshot.text, None, linter.config().generator);
            let positions = Positions::with_lines(&snapshot.text, doc.lines.clone(), encoding);
            symbols::symbols(&doc)
                .into_iter()
                .map(|symbol| symbol_to_lsp(symbol, &positions))
                .collect::<Vec<_>>()
        })?;
        Ok(Some(DocumentSymbolResponse::Nested(symbols)))
    }
}

/// A result id names the report's content, so an unchanged report is exact even
/// when the site index, not the document, changed.
fn result_id(items: &[Diagnostic]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_string(items)
        .unwrap_or_default()
        .hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// The report of one post for `workspace/diagnostic`: unchanged when the client
/// already has this result.
fn workspace_report(
    uri: Uri,
    version: Option<i64>,
    items: Vec<Diagnostic>,
    previous: &HashMap<String, String>,
) -> WorkspaceDocumentDiagnosticReport {
    let id = result_id(&items);
    if previous.get(uri.as_str()) == Some(&id) {
        return WorkspaceDocumentDiagnosticReport::Unchanged(
            WorkspaceUnchangedDocumentDiagnosticReport {
                uri,
                version,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                    result_id: id,
                },
            },
        );
    }
    WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
        uri,
        version,
        full_document_diagnostic_report: FullDocumentDiagnosticReport {
            result_id: Some(id),
            items,
        },
    })
}

fn full_report(
    items: Vec<Diagnostic>,
    result_id: Option<String>,
) -> DocumentDiagnosticReportResult {
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
        },
    ))
}
