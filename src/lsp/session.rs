//! The server's state and the one request prologue every handler shares: find the
//! open document, place it in its folder's site, wait for its version's analysis
//! and refuse a result for a version the client has replaced.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard};

use tokio::sync::oneshot;
use tower_lsp_server::Client;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{self as lsp, Position, Uri};

use crate::Linter;
use crate::document::Document;
use crate::frontmatter::{self, taxonomy::TaxonomyValue};
use crate::line_index::Encoding;
use crate::site::{PostKey, SiteIndex};
use crate::workspace::{self, Site};

use super::analysis::{Diagnostics, Outcome, Slot};
use super::convert::Positions;
use super::documents::{Documents, Snapshot};
use super::index;
use super::to_proto;
use super::transport::{self, FrameSender};

/// What the client told us at `initialize`.
#[derive(Default)]
pub struct ClientInfo {
    pub encoding: Encoding,
    /// The client pulls diagnostics itself (`textDocument.diagnostic` capability).
    pub pulls: bool,
    pub refresh: bool,
    pub work_done_progress: bool,
    pub dynamic_watchers: bool,
    /// The client takes a completion list's default edit range
    /// (`completionList.itemDefaults` holds `editRange`, LSP 3.17).
    pub completion_edit_range: bool,
}

/// One workspace folder: its resolved site, the linter built from it and its own
/// index, keyed by [`PostKey`] exactly as the CLI keys it.
#[derive(Clone)]
pub struct FolderSite {
    pub site: Site,
    pub linter: Arc<Linter>,
    pub index: Arc<RwLock<SiteIndex>>,
}

/// Where a document belongs: the linter and index of its folder, and its key there
/// (`None` outside every folder, where it is linted alone).
#[derive(Clone)]
pub struct Placement {
    pub linter: Arc<Linter>,
    pub index: Arc<RwLock<SiteIndex>>,
    pub key: Option<PostKey>,
    pub root: Option<PathBuf>,
}

impl Placement {
    pub fn index(&self) -> RwLockReadGuard<'_, SiteIndex> {
        self.index
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn update_index(&self, f: impl FnOnce(&mut SiteIndex, &PostKey)) {
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
pub struct State {
    pub client_info: ClientInfo,
    /// Canonical roots of the workspace folders.
    pub folders: Vec<PathBuf>,
    pub sites: Vec<FolderSite>,
    pub client_settings: Option<serde_json::Value>,
    pub documents: Documents,
    /// For documents outside every folder: defaults plus client settings.
    pub fallback: Option<Arc<Linter>>,
    /// The analysis of the latest requested version of each open document.
    pub analyses: HashMap<Uri, Arc<Slot>>,
    /// What each open document was last indexed from.
    pub indexed: HashMap<Uri, Indexed>,
}

/// An open document's last indexing: its version, and what its summary was read from
/// (the linter, whose config it used, and the front matter), to tell when an edit
/// cannot change the summary.
pub struct Indexed {
    pub version: i32,
    linter: Arc<Linter>,
    front_matter: Option<Box<str>>,
}

impl Indexed {
    fn reads_the_same(&self, linter: &Arc<Linter>, front_matter: Option<&str>) -> bool {
        Arc::ptr_eq(&self.linter, linter)
            && front_matter.is_some()
            && self.front_matter.as_deref() == front_matter
    }
}

/// What a request about one open document works on: one version of its text, the
/// site it belongs to, and the negotiated position encoding.
pub struct RequestContext {
    pub snapshot: Snapshot,
    pub place: Placement,
    pub encoding: Encoding,
}

impl RequestContext {
    pub fn linter(&self) -> &Linter {
        &self.place.linter
    }

    /// The document parsed as the site's generator reads it.
    pub fn parse(&self) -> Document<'_> {
        self.place.linter.parse(&self.snapshot.text, None)
    }

    /// The document with its front matter but not the HTML of its body: what
    /// completion reads, on every keystroke.
    pub fn parse_front_matter(&self) -> Document<'_> {
        let text = &self.snapshot.text;
        let front_matter = crate::frontmatter::parse_for(text, self.linter().config().generator);
        Document::from_front_matter(
            text,
            None,
            front_matter,
            crate::document::BodyParse::Structure,
        )
    }

    pub fn positions(&self) -> Positions<'_> {
        Positions::new(&self.snapshot.text, self.encoding)
    }

    /// Positions reusing the line index of an already parsed document.
    pub fn positions_for<'a>(&'a self, doc: &Document) -> Positions<'a> {
        Positions::with_lines(&self.snapshot.text, doc.lines.clone(), self.encoding)
    }

    pub fn offset(&self, doc: &Document, position: Position) -> usize {
        self.positions_for(doc).offset(position)
    }
}

pub struct Session {
    pub client: Client,
    /// Where `publishDiagnostics` frames go, serialized by us (see `publish`).
    frames: FrameSender,
    /// Pulls the transport handed over, until answered (see `PendingPulls`).
    pub pending_pulls: PendingPulls,
    state: Mutex<State>,
}

/// The pulls being answered, by request id: what a `$/cancelRequest` reaches
/// (tower keeps the same for the requests it answers itself).
#[derive(Default)]
pub struct PendingPulls(Mutex<HashMap<String, oneshot::Sender<()>>>);

impl PendingPulls {
    /// Records a pull; the receiver completes when it is cancelled.
    pub fn start(&self, id: &serde_json::Value) -> oneshot::Receiver<()> {
        let (cancel, cancelled) = oneshot::channel();
        self.lock().insert(id.to_string(), cancel);
        cancelled
    }

    pub fn finish(&self, id: &serde_json::Value) {
        self.lock().remove(&id.to_string());
    }

    /// Cancels the pull `id`, if it is still pending.
    pub fn cancel(&self, id: &serde_json::Value) {
        if let Some(cancel) = self.lock().remove(&id.to_string()) {
            let _ = cancel.send(());
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, oneshot::Sender<()>>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Texts up to this size are analysed and re-indexed on the async worker at hand:
/// that work (well under a millisecond) costs less than the hop to the blocking pool
/// and back.
pub const INLINE_BYTES: usize = 64 * 1024;

impl Session {
    pub fn new(client: Client, frames: FrameSender) -> Session {
        Session {
            client,
            frames,
            pending_pulls: PendingPulls::default(),
            state: Mutex::new(State::default()),
        }
    }

    /// Sends `publishDiagnostics` as one frame serialized from the typed items. Every
    /// push goes this way, so pushes for one document keep their order.
    pub fn publish(&self, uri: Uri, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) {
        let size_hint = to_proto::serialized_size_hint(&diagnostics);
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send_frame(transport::notification_frame(
            "textDocument/publishDiagnostics",
            &params,
            size_hint,
        ));
    }

    /// Sends a frame the server serialized itself (a push, or the answer to a
    /// pull the transport handed over as [`transport::PULL_DIAGNOSTICS`]).
    pub fn send_frame(&self, frame: Vec<u8>) {
        if let Some(frames) = self.frames.upgrade() {
            let _ = frames.send(frame);
        }
    }

    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn encoding(&self) -> Encoding {
        self.state().client_info.encoding
    }

    /// The context of a request about `uri`: an error response when it is not open.
    pub fn request(&self, uri: &Uri) -> Result<RequestContext> {
        Ok(RequestContext {
            snapshot: self.snapshot(uri)?,
            place: self.placement(uri),
            encoding: self.encoding(),
        })
    }

    /// The context of a request about `uri` with its current version's diagnostics;
    /// `ContentModified` when the client changed the document meanwhile.
    pub async fn analysed(&self, uri: &Uri) -> Result<(RequestContext, Diagnostics)> {
        let context = self.request(uri)?;
        let found = self.diagnostics(&context.snapshot).await?;
        if self.current_version(uri) != Some(context.snapshot.version) {
            return Err(content_modified());
        }
        Ok((context, found))
    }

    /// The folder site holding `uri`, and the post's key in it.
    pub fn placement(&self, uri: &Uri) -> Placement {
        let path = uri.to_file_path().map(|p| p.into_owned());
        let mut state = self.state();
        if let Some(path) = path.as_deref().and_then(|p| inside(&state.folders, p)) {
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

    pub fn snapshot(&self, uri: &Uri) -> Result<Snapshot> {
        self.state()
            .documents
            .snapshot(uri)
            .ok_or_else(|| Error::invalid_params(format!("{} is not open", uri.as_str())))
    }

    pub fn current_version(&self, uri: &Uri) -> Option<i32> {
        self.state().documents.version(uri)
    }

    /// The file path of a `file:` URI, when it lies inside a workspace folder.
    pub fn path_of(&self, uri: &Uri) -> Option<PathBuf> {
        let path = uri.to_file_path()?.into_owned();
        inside(&self.state().folders, &path)
    }

    /// Diagnostics for exactly the snapshot's version: computed once per version (on
    /// the blocking pool unless the text is small), shared by every request for it.
    pub async fn diagnostics(&self, snapshot: &Snapshot) -> Result<Diagnostics> {
        let (slot, job) = {
            let mut state = self.state();
            match state.analyses.get(&snapshot.uri) {
                Some(slot) if slot.version == snapshot.version => (slot.clone(), None),
                _ => {
                    let (slot, job) = Slot::new(snapshot.version);
                    if state.documents.version(&snapshot.uri) == Some(snapshot.version) {
                        if let Some(old) = state.analyses.insert(snapshot.uri.clone(), slot.clone())
                        {
                            old.make_obsolete();
                        }
                    }
                    (slot, Some(job))
                }
            }
        };
        if let Some(job) = job {
            let place = self.placement(&snapshot.uri);
            let text = snapshot.text.clone();
            let stripped_bom = snapshot.stripped_bom;
            // FM006 inserts this as a missing `date`: the time of the analysis.
            let now = jiff::Zoned::now();
            let analyse = move || {
                let index = place.index();
                let outcome = catch_unwind(AssertUnwindSafe(|| {
                    let stop = || job.is_obsolete();
                    place.linter.check_until(
                        &text,
                        stripped_bom,
                        place.key.as_ref(),
                        &index,
                        Some(&now),
                        &stop,
                    )
                }));
                drop(index);
                job.finish(match outcome {
                    Ok(Some(found)) => Outcome::Done(Arc::new(found)),
                    Ok(None) => Outcome::Obsolete,
                    Err(panic) => Outcome::Failed(panic_message(panic.as_ref())),
                });
            };
            if snapshot.text.len() <= INLINE_BYTES {
                analyse();
            } else {
                tokio::task::spawn_blocking(analyse);
            }
        }
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

    /// Indexes the latest text of an open document, unless a newer version was
    /// indexed already (these run on the blocking pool and may finish out of order).
    pub fn index_latest(&self, uri: &Uri) {
        let Some(snapshot) = self.state().documents.snapshot_to_reindex(uri) else {
            return;
        };
        let place = self.placement(uri);
        let front_matter = frontmatter::closed_block_text(&snapshot.text);
        let is_newest = |state: &State| {
            state
                .indexed
                .get(uri)
                .is_none_or(|indexed| indexed.version < snapshot.version)
                && state.documents.version(uri) == Some(snapshot.version)
        };
        let indexed = |front_matter: Option<&str>| Indexed {
            version: snapshot.version,
            linter: place.linter.clone(),
            front_matter: front_matter.map(Box::from),
        };
        // An edit below the front matter cannot change the summary: skip the parse.
        {
            let mut state = self.state();
            if state
                .indexed
                .get(uri)
                .is_some_and(|last| last.reads_the_same(&place.linter, front_matter))
            {
                // Only the version moves on: no copy of the block per keystroke.
                if is_newest(&state)
                    && let Some(last) = state.indexed.get_mut(uri)
                {
                    last.version = snapshot.version;
                }
                return;
            }
        }
        let Ok(summary) = guarded("indexing", || {
            workspace::summarize(&snapshot.text, place.linter.config())
        }) else {
            return;
        };
        let mut state = self.state();
        if !is_newest(&state) {
            return;
        }
        state.indexed.insert(uri.clone(), indexed(front_matter));
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

    /// Re-reads a post from disk into the index (or drops it when it is gone).
    pub fn index_from_disk(&self, uri: &Uri, path: &Path) {
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

    /// The posts of `place`'s site that may use `target`: the open ones (live text)
    /// and those the index says use it (read from disk), by URI.
    pub fn posts_using(&self, place: &Placement, target: &TaxonomyValue) -> Vec<(Uri, Arc<str>)> {
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
}

/// `path` resolved inside one of the (canonical) `folders`, or `None`.
fn inside(folders: &[PathBuf], path: &Path) -> Option<PathBuf> {
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
pub fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
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

pub fn content_modified() -> Error {
    Error {
        code: ErrorCode::ContentModified,
        message: "the document changed while it was analysed".into(),
        data: None,
    }
}
