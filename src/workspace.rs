//! File-system work shared by the CLI and the language server: finding the site root
//! and its config, detecting the generator, walking content roots, reading and writing
//! posts, and building the site index. Nothing else in the crate touches the disk.

use std::cmp::Ordering;
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::config::{Config, Generator};
use crate::frontmatter::FrontMatter;
use crate::site::{PostKey, PostSummary, SiteIndex};

/// The name of copydesk's own settings file.
pub const CONFIG_FILE: &str = "copydesk.toml";

/// File extensions treated as Markdown posts.
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mdx"];

const BOM: &str = "\u{feff}";

/// A problem that stops the run: an unreadable or invalid settings file, a missing path.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    /// An invalid `copydesk.toml`, with a one-based position.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Config {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}: {cause}", path.display())]
    Io { path: PathBuf, cause: io::Error },
    /// Invalid settings from elsewhere (the editor's), named by `source`.
    #[error("{origin}: {message}")]
    Overlay { origin: String, message: String },
}

impl WorkspaceError {
    pub(crate) fn io(path: &Path, source: io::Error) -> WorkspaceError {
        WorkspaceError::Io {
            path: path.to_owned(),
            cause: source,
        }
    }
}

/// A site: its root folder and the settings that apply to it.
#[derive(Clone, Debug)]
pub struct Site {
    /// Absolute, canonical path of the site root.
    pub root: PathBuf,
    /// The `copydesk.toml` that was loaded, if any.
    pub config_file: Option<PathBuf>,
    pub config: Config,
}

impl Site {
    /// Finds the site that `start` (a file or folder) belongs to: the nearest folder
    /// upwards holding `copydesk.toml`, else the nearest that looks like a Hexo, Hugo or
    /// Jekyll site, else `start` itself (plain Markdown). Loads the settings.
    pub fn discover(start: &Path) -> Result<Site, WorkspaceError> {
        let start = start
            .canonicalize()
            .map_err(|error| WorkspaceError::io(start, error))?;
        let start_dir = if start.is_dir() {
            start
        } else {
            start.parent().map(Path::to_owned).unwrap_or(start)
        };
        let config_root = start_dir
            .ancestors()
            .find(|dir| dir.join(CONFIG_FILE).is_file());
        let root = config_root
            .or_else(|| {
                start_dir
                    .ancestors()
                    .find(|dir| detect_generator(dir) != Generator::Plain)
            })
            .unwrap_or(&start_dir)
            .to_owned();
        let config_file = config_root.map(|dir| dir.join(CONFIG_FILE));
        Site::load(root, config_file)
    }

    /// Loads the settings of the site rooted at `root` (canonical), with an optional
    /// `copydesk.toml`, as the CLI does: no overlay, and any error stops the run.
    pub fn load(root: PathBuf, config_file: Option<PathBuf>) -> Result<Site, WorkspaceError> {
        let mut resolved = crate::resolve::resolve(root, config_file, None);
        match resolved.errors.is_empty() {
            true => Ok(resolved.site),
            false => Err(resolved.errors.remove(0)),
        }
    }

    /// The content roots that exist, as absolute paths.
    pub fn content_roots(&self) -> Vec<PathBuf> {
        self.config
            .content
            .iter()
            .map(|root| self.root.join(root))
            .filter(|path| path.exists())
            .collect()
    }

    /// The key of the post at `path`: its path relative to the site root. Paths
    /// outside the root are keyed whole.
    pub fn post_key(&self, path: &Path) -> PostKey {
        // `PostKey::new` drops the empty and `.` parts that `components` would.
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        PostKey::new(&relative.to_string_lossy())
    }

    /// Every Markdown file under `paths` (files are taken as given), honouring
    /// `.gitignore`, hidden files and the config's `exclude` globs, walked in parallel.
    /// Symbolic links are never followed out of the site root. Sorted by path.
    pub fn walk(&self, paths: &[PathBuf]) -> Walked {
        let mut walked = Walked::default();
        let mut roots = Vec::new();
        for path in paths {
            match path.canonicalize() {
                Ok(canonical) => roots.push(canonical),
                Err(error) => walked.errors.push(WorkspaceError::io(path, error)),
            }
        }
        let Some((first, rest)) = roots.split_first() else {
            return walked;
        };
        let mut builder = ignore::WalkBuilder::new(first);
        for root in rest {
            builder.add(root);
        }
        builder.follow_links(false).require_git(false);
        // Dependencies and generator output are never posts, `.gitignore` or not.
        let root = self.root.clone();
        builder.filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|kind| kind.is_dir());
            !(is_dir && entry.depth() > 0 && is_never_content(&root, entry.path()))
        });
        match self.exclude_overrides() {
            Ok(overrides) => {
                builder.overrides(overrides);
            }
            Err(error) => {
                walked.errors.push(error);
                return walked;
            }
        }
        let found = Mutex::new(Vec::new());
        let errors = Mutex::new(Vec::new());
        builder.build_parallel().run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(entry) => {
                        if let Some(path) = self.accept(&entry) {
                            lock(&found).push(path);
                        }
                    }
                    Err(error) => lock(&errors).push(walk_error(error)),
                }
                ignore::WalkState::Continue
            })
        });
        let mut files = found.into_inner().unwrap_or_else(|e| e.into_inner());
        sort_paths(&mut files);
        dedup_paths(&mut files);
        walked.files = files;
        walked
            .errors
            .extend(errors.into_inner().unwrap_or_else(|e| e.into_inner()));
        walked
    }

    fn exclude_overrides(&self) -> Result<ignore::overrides::Override, WorkspaceError> {
        let mut overrides = ignore::overrides::OverrideBuilder::new(&self.root);
        for glob in &self.config.exclude {
            overrides
                .add(&format!("!{glob}"))
                .map_err(|error| WorkspaceError::Config {
                    path: self
                        .config_file
                        .clone()
                        .unwrap_or_else(|| self.root.join(CONFIG_FILE)),
                    line: 1,
                    column: 1,
                    message: format!("invalid exclude glob `{glob}`: {error}"),
                })?;
        }
        overrides.build().map_err(|error| WorkspaceError::Config {
            path: self.root.join(CONFIG_FILE),
            line: 1,
            column: 1,
            message: error.to_string(),
        })
    }

    /// The file to lint for a walked entry, if it is one.
    fn accept(&self, entry: &ignore::DirEntry) -> Option<PathBuf> {
        let file_type = entry.file_type()?;
        let path = entry.path();
        if file_type.is_symlink() {
            // Only links that stay inside the site and point at a file.
            let target = path.canonicalize().ok()?;
            let inside = target.starts_with(&self.root);
            return (inside && target.is_file() && is_markdown(path)).then(|| path.to_owned());
        }
        // Explicitly named files are linted whatever their extension; `fix` and
        // `check` report the ones that are not Markdown.
        if entry.depth() == 0 && file_type.is_file() {
            return Some(path.to_owned());
        }
        (file_type.is_file() && is_markdown(path)).then(|| path.to_owned())
    }
}

/// Folders that hold no posts: `node_modules` anywhere, and the generators' output
/// and cache folders at the site root (`public/`, Hugo's `resources/`, Jekyll's
/// `_site/`).
fn is_never_content(root: &Path, dir: &Path) -> bool {
    let name = dir.file_name().and_then(|name| name.to_str());
    name == Some("node_modules")
        || (dir.parent() == Some(root) && matches!(name, Some("public" | "resources" | "_site")))
}

/// What a walk found: files to lint and paths that could not be read.
#[derive(Debug, Default)]
pub struct Walked {
    pub files: Vec<PathBuf>,
    pub errors: Vec<WorkspaceError>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn walk_error(error: ignore::Error) -> WorkspaceError {
    let mut path = PathBuf::new();
    let mut inner = &error;
    loop {
        match inner {
            ignore::Error::WithPath { path: p, err } => {
                path = p.clone();
                inner = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                inner = err
            }
            _ => break,
        }
    }
    let source = match inner {
        ignore::Error::Io(io) => io::Error::new(io.kind(), io.to_string()),
        other => io::Error::other(other.to_string()),
    };
    WorkspaceError::Io {
        path,
        cause: source,
    }
}

/// Whether `path` has a Markdown extension.
pub fn is_markdown(path: &Path) -> bool {
    // The extension's bytes, without `Path`'s component parsing: this runs for every
    // file of every walk. Like `Path::extension` for paths with no `.` components
    // (what the walk and `canonicalize` give).
    let mut name = path.as_os_str().as_encoded_bytes();
    while let [rest @ .., last] = name
        && std::path::is_separator(char::from(*last))
    {
        name = rest;
    }
    let Some(dot) = name
        .iter()
        .rposition(|&byte| byte == b'.' || std::path::is_separator(char::from(byte)))
    else {
        return false;
    };
    let extension = &name[dot + 1..];
    name[dot] == b'.'
        && dot > 0
        && !std::path::is_separator(char::from(name[dot - 1]))
        && MARKDOWN_EXTENSIONS
            .iter()
            .any(|known| known.as_bytes().eq_ignore_ascii_case(extension))
}

/// Top-level keys of `_config.yml` that only Hexo uses (Jekyll shares the file name).
const HEXO_ONLY_KEYS: &[&str] = &[
    "new_post_name",
    "post_asset_folder",
    "source_dir",
    "public_dir",
    "i18n_dir",
    "pagination_dir",
    "default_layout",
    "index_generator",
    "render_drafts",
];

/// The generator whose files are in `dir`, or `Plain`.
pub fn detect_generator(dir: &Path) -> Generator {
    let has_file = |name: &str| dir.join(name).is_file();
    let has_dir = |name: &str| dir.join(name).is_dir();
    let hexo_config = has_file("_config.yml")
        && (has_dir("source/_posts") || is_hexo_config(dir) || is_hexo_package(dir));
    if hexo_config {
        Generator::Hexo
    } else if ["hugo.toml", "hugo.yaml", "hugo.json"]
        .iter()
        .any(|name| has_file(name))
        || (["config.toml", "config.yaml", "config.yml", "config.json"]
            .iter()
            .any(|name| has_file(name))
            && has_dir("content"))
    {
        Generator::Hugo
    } else if (has_file("_config.yml") || has_file("_config.toml")) && has_dir("_posts") {
        Generator::Jekyll
    } else {
        Generator::Plain
    }
}

/// `_config.yml` sets a key only Hexo reads (a site whose posts a script writes has
/// no `source/_posts` yet). Read line by line: detection must not fail on bad YAML.
fn is_hexo_config(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("_config.yml")) else {
        return false;
    };
    text.lines().any(|line| {
        line.split_once(':')
            .is_some_and(|(key, _)| HEXO_ONLY_KEYS.contains(&key))
    })
}

/// `package.json` depends on `hexo`.
fn is_hexo_package(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("package.json")) else {
        return false;
    };
    let Ok(package) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    ["dependencies", "devDependencies"]
        .iter()
        .any(|section| package[section].get("hexo").is_some())
}

/// The generator's content roots, relative to the site root.
pub fn generator_content(generator: Generator) -> &'static [&'static str] {
    match generator {
        Generator::Hexo => &["source/_posts", "source/_drafts"],
        Generator::Hugo => &["content"],
        Generator::Jekyll => &["_posts", "_drafts"],
        Generator::Plain => &["."],
    }
}

/// The generator's content roots; the drafts folders only when they exist. Hugo's
/// come from its own configuration when it names them.
pub(crate) fn default_content_for(root: &Path, generator: Generator) -> Vec<String> {
    if generator == Generator::Hugo {
        if let Some(content) = hugo_content_dirs(root) {
            return content;
        }
    }
    let roots = generator_content(generator);
    let mut content: Vec<String> = roots
        .iter()
        .enumerate()
        .filter(|(i, name)| *i == 0 || root.join(name).exists())
        .map(|(_, name)| (*name).to_owned())
        .collect();
    content.dedup();
    content
}

/// The content folders Hugo reads: `contentDir`, each language's `contentDir`, and
/// the sources of `[[module.mounts]]` whose target is `content`. `None` when the
/// configuration is not TOML, unreadable or names none (Hugo's default applies).
fn hugo_content_dirs(root: &Path) -> Option<Vec<String>> {
    let text = ["hugo.toml", "config.toml"]
        .iter()
        .find_map(|name| std::fs::read_to_string(root.join(name)).ok())?;
    let config: toml::Table = toml::from_str(&text).ok()?;
    let string =
        |value: Option<&toml::Value>| value.and_then(toml::Value::as_str).map(str::to_owned);
    let mut dirs: Vec<String> = Vec::new();
    dirs.extend(string(config.get("contentDir")));
    if let Some(languages) = config.get("languages").and_then(toml::Value::as_table) {
        for language in languages.values() {
            dirs.extend(string(language.get("contentDir")));
        }
    }
    let mounts = config
        .get("module")
        .and_then(|module| module.get("mounts"))
        .and_then(toml::Value::as_array);
    for mount in mounts.into_iter().flatten() {
        let target = string(mount.get("target"));
        if target.as_deref().map(|t| t.trim_matches('/')) == Some("content") {
            dirs.extend(string(mount.get("source")));
        }
    }
    let mut dirs: Vec<String> = dirs
        .into_iter()
        .map(|dir| dir.trim_matches('/').to_owned())
        .filter(|dir| !dir.is_empty() && !dir.split('/').any(|part| part == ".."))
        .collect();
    dirs.sort();
    dirs.dedup();
    // A folder inside another is walked with it.
    let nested: Vec<String> = dirs
        .iter()
        .filter(|dir| {
            dirs.iter()
                .any(|other| other != *dir && dir.starts_with(&format!("{other}/")))
        })
        .cloned()
        .collect();
    dirs.retain(|dir| !nested.contains(dir));
    (!dirs.is_empty()).then_some(dirs)
}

/// Why a file was not analysed.
#[derive(Debug)]
pub enum ReadError {
    /// Not valid UTF-8; `at` is the byte offset of the first invalid sequence.
    NotUtf8 {
        at: usize,
    },
    /// Holds NUL bytes: not a text file.
    Binary,
    Io(io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotUtf8 { at } => write!(f, "not valid UTF-8 (at byte {at})"),
            ReadError::Binary => write!(f, "binary file"),
            ReadError::Io(error) => write!(f, "{error}"),
        }
    }
}

/// A post read from disk, ready for analysis.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The text without its UTF-8 byte-order mark.
    pub text: String,
    /// Whether the file started with a byte-order mark (restored on write).
    pub bom: bool,
}

/// Reads a post. Binary files and invalid UTF-8 are refused, never guessed at. A UTF-8
/// byte-order mark is removed: generators and editors treat it as an encoding mark,
/// not as text, so the analysis does too.
pub fn read_post(path: &Path) -> Result<SourceFile, ReadError> {
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    decode(path.to_owned(), bytes)
}

/// Whether the file at `path` starts with a UTF-8 byte-order mark (which
/// [`read_post`] would remove), reading only its first bytes.
pub fn starts_with_bom(path: &Path) -> bool {
    let mut head = [0u8; BOM.len()];
    std::fs::File::open(path)
        .and_then(|mut file| std::io::Read::read_exact(&mut file, &mut head))
        .is_ok_and(|()| head == *BOM.as_bytes())
}

/// Decodes the bytes of a post (see [`read_post`]).
pub fn decode(path: PathBuf, bytes: Vec<u8>) -> Result<SourceFile, ReadError> {
    // memchr's SIMD search: the slice's own `contains` showed in the profile.
    if memchr::memchr(0, &bytes).is_some() {
        return Err(ReadError::Binary);
    }
    // SIMD validation, then one copy into the `String`: std's validation goes byte
    // by byte through non-ASCII text and was 4% of a run over CJK posts; the copy
    // costs a tenth of that. Only an invalid file is validated again, for the offset.
    let text = simdutf8::basic::from_utf8(&bytes).map_err(|_| ReadError::NotUtf8 {
        at: std::str::from_utf8(&bytes).map_or_else(|error| error.valid_up_to(), |_| 0),
    })?;
    let (text, bom) = match text.strip_prefix(BOM) {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    Ok(SourceFile {
        path,
        text: text.to_owned(),
        bom,
    })
}

/// Replaces the post's content with `new_text` atomically (a temporary file in the same
/// folder renamed over it), keeping its permissions and byte-order mark.
pub fn write_post(file: &SourceFile, new_text: &str) -> io::Result<()> {
    let dir = match file.path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let permissions = std::fs::metadata(&file.path)?.permissions();
    // Renaming over a read-only file would succeed (only the folder's permission
    // counts); its owner made it read-only so that it is not changed.
    if permissions.readonly() {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the file is read-only",
        ));
    }
    let mut temp = tempfile::Builder::new()
        .prefix(&temp_prefix(std::process::id()))
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)?;
    if file.bom {
        temp.write_all(BOM.as_bytes())?;
    }
    temp.write_all(new_text.as_bytes())?;
    temp.as_file().sync_all()?;
    temp.as_file().set_permissions(permissions)?;
    temp.persist(&file.path).map_err(|error| error.error)?;
    Ok(())
}

/// Temporary copies of posts being written are named
/// `.copydesk-fix-<writer's process id>-<random>.tmp`: hidden from the content walk,
/// and recognisable as ours after the writer was killed.
const TEMP_PREFIX: &str = ".copydesk-fix-";
const TEMP_SUFFIX: &str = ".tmp";

fn temp_prefix(pid: u32) -> String {
    format!("{TEMP_PREFIX}{pid}-")
}

/// The process id in the name of one of our temporary files, if it is one.
fn temp_file_writer(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?.strip_suffix(TEMP_SUFFIX)?;
    let (pid, random) = rest.split_once('-')?;
    if random.is_empty() {
        return None;
    }
    pid.parse().ok()
}

/// Whether the process that named a temporary file may still be writing it. Where the
/// system cannot tell (no `/proc`), a file is left alone for an hour.
fn writer_may_be_running(pid: u32, path: &Path) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if Path::new("/proc/self").exists() {
        return Path::new("/proc").join(pid.to_string()).exists();
    }
    let age = std::fs::metadata(path)
        .and_then(|metadata| metadata.modified())
        .ok()
        .and_then(|modified| modified.elapsed().ok());
    age.is_none_or(|age| age < std::time::Duration::from_secs(3600))
}

/// Removes the temporary files a killed `copydesk fix` left in `dir` (ours by name,
/// and their writer is no longer running); returns the ones removed. A post itself is
/// never touched: a killed run left each one either original or fully fixed.
pub fn remove_stale_temp_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(pid) = entry.file_name().to_str().and_then(temp_file_writer) else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|kind| kind.is_file());
        if is_file && !writer_may_be_running(pid, &path) && std::fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed.sort();
    removed
}

/// Keeps the layout of `original` in a fixed text: a file whose line breaks are all
/// CRLF stays CRLF, and a final newline is kept. Fixes use the post's own line ending
/// already; this guards the file against one that did not.
pub fn keep_layout(original: &str, fixed: &str) -> String {
    let mut out = if uses_crlf_only(original) && has_bare_lf(fixed) {
        let mut converted = String::with_capacity(fixed.len() + 64);
        let mut previous = '\0';
        for ch in fixed.chars() {
            if ch == '\n' && previous != '\r' {
                converted.push('\r');
            }
            converted.push(ch);
            previous = ch;
        }
        converted
    } else {
        fixed.to_owned()
    };
    if original.ends_with('\n') && !out.is_empty() && !out.ends_with('\n') {
        out.push_str(if original.ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        });
    }
    out
}

fn uses_crlf_only(text: &str) -> bool {
    text.contains("\r\n") && !has_bare_lf(text)
}

fn has_bare_lf(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\n' && (i == 0 || bytes[i - 1] != b'\r'))
}

/// What the site index keeps of one post: its front matter read as the site's
/// generator reads it, summarized by the same code the rules use.
pub fn summarize(text: &str, config: &Config) -> PostSummary {
    let front_matter = crate::frontmatter::parse_for(text, config.generator);
    crate::frontmatter::taxonomy::summarize(front_matter.as_ref(), config)
}

/// Builds the site index from posts already read, in parallel.
pub fn build_index(site: &Site, files: &[SourceFile]) -> SiteIndex {
    let summaries: Vec<(PostKey, PostSummary)> = files
        .par_iter()
        .with_max_len(PARALLEL_CHUNK)
        .map(|file| {
            (
                site.post_key(&file.path),
                summarize(&file.text, &site.config),
            )
        })
        .collect();
    let mut index = SiteIndex::new();
    index.extend(summaries);
    index
}

/// A post read for a run: the file, its front matter parsed once as the site's
/// generator reads it (for the rules), and what the index keeps of it.
pub struct ReadPost {
    pub file: SourceFile,
    pub key: PostKey,
    pub front_matter: Option<FrontMatter>,
    pub summary: PostSummary,
}

/// Reads and parses the front matter of `paths` in parallel, in order: each post
/// is read and parsed once for both the site index and the rules.
pub fn read_and_parse(site: &Site, paths: &[PathBuf]) -> Vec<Result<ReadPost, ReadError>> {
    paths
        .par_iter()
        .with_max_len(PARALLEL_CHUNK)
        .map(|path| {
            let file = read_post(path)?;
            let front_matter = crate::frontmatter::parse_for(&file.text, site.config.generator);
            let summary =
                crate::frontmatter::taxonomy::summarize(front_matter.as_ref(), &site.config);
            Ok(ReadPost {
                key: site.post_key(path),
                file,
                front_matter,
                summary,
            })
        })
        .collect()
}

/// The most posts one parallel job reads, lints or fixes in a row. Rayon cannot
/// split a job once it runs: left to choose, the last ~25 ms of a 10,000-post
/// `check` ran on one core while the other had nothing left (perf timeline).
pub const PARALLEL_CHUNK: usize = 8;

/// Removes repeated paths from a sorted list. Equal paths from the walk are equal
/// bytes: `Path`'s own `==` splits unequal neighbours into components, which showed
/// in the serial start of a 10,000-post run.
pub fn dedup_paths(paths: &mut Vec<PathBuf>) {
    paths.dedup_by(|a, b| a.as_os_str() == b.as_os_str());
}

/// Sorts paths in [`path_order`]. A stable sort: the lists sorted here are mostly
/// sorted runs already (a walk's files, the index's files followed by the
/// targets), which it merges in linear time.
pub fn sort_paths(paths: &mut [PathBuf]) {
    paths.sort_by(|a, b| path_order(a, b));
}

/// `Path`'s own order (component by component) without splitting the paths into
/// components, which showed in the profile of a 10,000-post run. For paths with no
/// `.` parts or doubled separators (what the walk and `canonicalize` give), that
/// order is the byte order with the separator ranked below every other byte.
fn path_order(a: &Path, b: &Path) -> Ordering {
    let (a, b) = (
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    );
    let common = common_prefix(a, b);
    let rank = |byte: u8| {
        if std::path::is_separator(char::from(byte)) {
            0
        } else {
            u16::from(byte) + 1
        }
    };
    match (a.get(common), b.get(common)) {
        (Some(&x), Some(&y)) => rank(x).cmp(&rank(y)),
        (x, y) => x.is_some().cmp(&y.is_some()),
    }
}

/// Whether `path` is `dir` or inside it, as `Path::starts_with` says for paths with
/// no `.` parts or doubled separators (what the walk and `canonicalize` give), on the
/// bytes: splitting 10,000 long paths into components showed in a run's serial start.
pub fn is_within(path: &Path, dir: &Path) -> bool {
    let (path, dir) = (
        path.as_os_str().as_encoded_bytes(),
        dir.as_os_str().as_encoded_bytes(),
    );
    let is_separator = |byte: &u8| std::path::is_separator(char::from(*byte));
    path.starts_with(dir)
        && (path.len() == dir.len()
            || dir.last().is_some_and(is_separator)
            || path.get(dir.len()).is_some_and(is_separator))
}

/// The length of the bytes `a` and `b` begin with alike. The paths of one site share
/// a long prefix, compared 16 bytes at a time (one `memcmp` each) rather than byte
/// by byte: the sorts and lookups of a run's serial start showed in its profile.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 16;
    let same_chunks = a
        .chunks_exact(CHUNK)
        .zip(b.chunks_exact(CHUNK))
        .take_while(|(x, y)| x == y)
        .count();
    let start = same_chunks * CHUNK;
    start
        + a[start..]
            .iter()
            .zip(&b[start..])
            .take_while(|(x, y)| x == y)
            .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_temporary_files_of_writers_no_longer_running_are_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        // No process has the largest id: its writer was killed.
        let stale = format!("{}abc123{TEMP_SUFFIX}", temp_prefix(u32::MAX));
        let ours = format!("{}def456{TEMP_SUFFIX}", temp_prefix(std::process::id()));
        let others = [".copydesk-notes.tmp", "post.md", ".copydesk-fix-12-.tmp"];
        for name in [stale.as_str(), ours.as_str()].into_iter().chain(others) {
            std::fs::write(dir.path().join(name), "x").expect("write");
        }
        assert_eq!(
            remove_stale_temp_files(dir.path()),
            vec![dir.path().join(&stale)]
        );
        for name in [ours.as_str()].into_iter().chain(others) {
            assert!(dir.path().join(name).exists(), "{name} was removed");
        }
    }

    #[test]
    fn post_keys_are_the_components_under_the_root_joined_by_slashes() {
        let site = Site {
            root: PathBuf::from("/site"),
            config_file: None,
            config: Config::default(),
        };
        let by_components = |path: &Path| {
            let relative = path.strip_prefix(&site.root).unwrap_or(path);
            let parts: Vec<String> = relative
                .components()
                .map(|part| part.as_os_str().to_string_lossy().into_owned())
                .collect();
            PostKey::new(&parts.join("/"))
        };
        for path in [
            "/site/source/_posts/a.md",
            "/site/./source//_posts/./a.md",
            "/site/source/_posts/",
            "/elsewhere/post.md",
            "relative/../post.md",
            "./post.md",
            "/site/dir\\name/post.md",
            "/site/文章/新闻.md",
        ] {
            let path = Path::new(path);
            assert_eq!(site.post_key(path), by_components(path), "{path:?}");
        }
        assert_eq!(
            site.post_key(Path::new("/site/source/_posts/a.md"))
                .as_str(),
            "source/_posts/a.md"
        );
    }

    #[test]
    fn a_written_post_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("post.md");
        std::fs::write(&path, "old").expect("write");
        let file = SourceFile {
            path: path.clone(),
            text: "old".to_owned(),
            bom: true,
        };
        write_post(&file, "new").expect("write post");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "\u{feff}new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("read dir")
            .flatten()
            .map(|entry| entry.file_name())
            .collect();
        assert_eq!(names, ["post.md"]);
    }

    #[test]
    fn a_hexo_site_without_posts_yet_is_hexo() {
        let by_keys = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            by_keys.path().join("_config.yml"),
            "title: x\nnew_post_name: :title.md\n",
        )
        .expect("write");
        assert_eq!(detect_generator(by_keys.path()), Generator::Hexo);
        let by_package = tempfile::tempdir().expect("tempdir");
        std::fs::write(by_package.path().join("_config.yml"), "title: x\n").expect("write");
        std::fs::write(
            by_package.path().join("package.json"),
            r#"{"dependencies": {"hexo": "^8.1.0"}}"#,
        )
        .expect("write");
        assert_eq!(detect_generator(by_package.path()), Generator::Hexo);
        let jekyll = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            jekyll.path().join("_config.yml"),
            "title: x\npermalink: /:title/\n",
        )
        .expect("write");
        std::fs::create_dir(jekyll.path().join("_posts")).expect("mkdir");
        assert_eq!(detect_generator(jekyll.path()), Generator::Jekyll);
    }

    #[test]
    fn hugo_content_roots_come_from_its_config() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = "contentDir = \"posts\"\n[languages.en]\ncontentDir = \"content/en\"\n\
                      [languages.zh]\ncontentDir = \"content/zh\"\n\
                      [[module.mounts]]\nsource = \"notes/\"\ntarget = \"content\"\n\
                      [[module.mounts]]\nsource = \"pics\"\ntarget = \"static\"\n";
        std::fs::write(dir.path().join("hugo.toml"), config).expect("write");
        assert_eq!(
            default_content_for(dir.path(), Generator::Hugo),
            ["content/en", "content/zh", "notes", "posts"]
        );
        std::fs::write(
            dir.path().join("hugo.toml"),
            "[languages.en]\ncontentDir = \"content/en\"\ncontentDir2 = [",
        )
        .expect("write");
        assert_eq!(
            default_content_for(dir.path(), Generator::Hugo),
            ["content"]
        );
    }

    #[test]
    fn strips_and_reports_the_bom_and_refuses_binary() {
        let file =
            decode(PathBuf::from("a.md"), "\u{feff}# hi\n".as_bytes().to_vec()).expect("UTF-8");
        assert!(file.bom);
        assert_eq!(file.text, "# hi\n");
        assert!(matches!(
            decode(PathBuf::from("b.md"), b"a\0b".to_vec()),
            Err(ReadError::Binary)
        ));
        assert!(matches!(
            decode(PathBuf::from("c.md"), b"ok\xff".to_vec()),
            Err(ReadError::NotUtf8 { at: 2 })
        ));
    }

    proptest::proptest! {
        #[test]
        fn common_prefix_is_where_the_bytes_first_differ(
            shared in proptest::collection::vec(0u8..4, 0..70),
            a in proptest::collection::vec(0u8..4, 0..40),
            b in proptest::collection::vec(0u8..4, 0..40),
        ) {
            let a = [shared.as_slice(), &a].concat();
            let b = [shared.as_slice(), &b].concat();
            let byte_by_byte = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
            proptest::prop_assert_eq!(common_prefix(&a, &b), byte_by_byte);
        }

        /// On the paths the walk gives, the byte test agrees with `Path::starts_with`.
        #[test]
        fn is_within_agrees_with_path_starts_with(
            path in proptest::collection::vec(proptest::prop_oneof!["a", "ab", "b", "文"], 0..5),
            dir in proptest::collection::vec(proptest::prop_oneof!["a", "ab", "b", "文"], 0..4),
        ) {
            let (path, dir) = (format!("/{}", path.join("/")), format!("/{}", dir.join("/")));
            let (path, dir) = (Path::new(&path), Path::new(&dir));
            proptest::prop_assert_eq!(is_within(path, dir), path.starts_with(dir), "{:?} in {:?}", path, dir);
        }

        /// The SIMD validation accepts and refuses what std does, at the same offset.
        #[test]
        fn decode_agrees_with_std_utf8(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![1u8..0x80, 0x80u8..=0xff, proptest::strategy::Just(0xef)],
                0..80,
            ),
            with_bom in proptest::bool::ANY,
        ) {
            let bytes = if with_bom { [BOM.as_bytes(), &bytes].concat() } else { bytes };
            let decoded = decode(PathBuf::from("p.md"), bytes.clone());
            match (std::str::from_utf8(&bytes), decoded) {
                (Ok(text), Ok(file)) => {
                    proptest::prop_assert_eq!(file.bom, text.starts_with(BOM));
                    proptest::prop_assert_eq!(file.text, text.strip_prefix(BOM).unwrap_or(text));
                }
                (Err(error), Err(ReadError::NotUtf8 { at })) => {
                    proptest::prop_assert_eq!(at, error.valid_up_to());
                }
                (expected, got) => {
                    let got = got.map(|file| file.text);
                    proptest::prop_assert!(false, "{expected:?} vs {got:?}");
                }
            }
        }
    }

    #[test]
    fn is_markdown_reads_the_extension_as_path_does() {
        let by_path = |path: &Path| {
            path.extension()
                .and_then(|ext| ext.to_str())
                .is_some_and(|ext| {
                    MARKDOWN_EXTENSIONS
                        .iter()
                        .any(|k| k.eq_ignore_ascii_case(ext))
                })
        };
        for name in [
            "a.md",
            "a.MD",
            "a.markdown",
            "a.mdx",
            "a.txt",
            "a.md.txt",
            "a.txt.md",
            ".md",
            "d/.md",
            "..md",
            "a.",
            "a",
            "md",
            "d.md/a",
            "d/a.md/",
            "d/a.md//",
            "/",
            "",
            ".",
            "..",
            "d/..",
            "金融.Md",
            "a.mdd",
            "a.m",
            "d/a .md",
        ] {
            let path = Path::new(name);
            assert_eq!(is_markdown(path), by_path(path), "{name:?}");
        }
    }

    #[test]
    fn path_order_is_the_order_of_components() {
        let names = [
            "/s/a",
            "/s/a/b",
            "/s/a-b",
            "/s/a b",
            "/s/ab/c",
            "/s/a.md",
            "/s/a/b.md",
            "/s/b",
            "/s/金融/a.md",
            "/s/é",
            "/s/A",
            "/t",
            "/s",
            "/s0",
            "/s/a/b/c",
        ];
        let paths: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
        for a in &paths {
            for b in &paths {
                assert_eq!(path_order(a, b), a.cmp(b), "{a:?} vs {b:?}");
            }
        }
        let mut sorted = paths.clone();
        sort_paths(&mut sorted);
        let mut by_components = paths;
        by_components.sort();
        assert_eq!(sorted, by_components);
    }

    #[test]
    fn keeps_crlf_and_the_final_newline() {
        assert_eq!(keep_layout("a\r\nb\r\n", "a\nb"), "a\r\nb\r\n");
        assert_eq!(keep_layout("a\nb\n", "a"), "a\n");
        assert_eq!(keep_layout("a\nb", "a"), "a");
        assert_eq!(keep_layout("a\r\n", ""), "");
        assert_eq!(keep_layout("a\n\r\nb", "a\nb"), "a\nb");
    }
}
