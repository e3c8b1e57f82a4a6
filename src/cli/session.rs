//! What `check`, `fix` and `taxonomy` share: find the site of every path, walk and
//! read its posts, build each site's index, and run the linter over the requested
//! files in parallel.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use rayon::prelude::*;

use super::RuleFilter;
use crate::Linter;
use crate::diagnostic::{Diagnostic, Severity};
use crate::frontmatter::FrontMatter;
use crate::line_index::LineIndex;
use crate::site::{PostKey, SiteIndex};
use crate::workspace::{self, ReadError, ReadPost, Site, SourceFile, Walked, WorkspaceError};

/// A file that was not analysed, and why.
#[derive(Debug)]
pub struct Skipped {
    pub display: String,
    pub reason: String,
    /// An I/O failure (exit status 2) rather than a file that is not a post.
    pub is_error: bool,
    /// Left out on purpose (outside the content roots or excluded): said only with -v.
    pub excluded: bool,
}

impl Skipped {
    pub fn error(display: String, reason: String) -> Skipped {
        Skipped {
            display,
            reason,
            is_error: true,
            excluded: false,
        }
    }
}

/// How the settings are found, and whether named files obey `exclude`.
#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    pub config: Option<PathBuf>,
    pub isolated: bool,
    pub force_exclude: bool,
    pub filter: RuleFilter,
}

/// One site of a run: its settings, index, linter and the files to process in it.
pub struct SiteRun {
    pub site: Site,
    pub index: SiteIndex,
    pub linter: Linter,
    /// Files to process, in path order.
    pub targets: Vec<SourceFile>,
    /// The front matter of each target, parsed while the index was built, in
    /// `targets` order; [`Session::take_front_matter`] hands it to the lint.
    front_matter: Vec<Option<FrontMatter>>,
    /// Configured content roots that do not exist.
    pub missing_roots: Vec<String>,
}

impl SiteRun {
    /// Lints `text` as the post `key` (without the findings its
    /// `[per-file-ignores]` turn off: the core leaves those out); `stripped_bom`
    /// when the file's byte-order mark was removed from `text`.
    pub fn lint(&self, text: &str, stripped_bom: bool, key: &PostKey) -> Vec<Diagnostic> {
        self.linter
            .check_file(text, stripped_bom, Some(key), &self.index)
    }
}

/// Every site a run touches, and the files that were not analysed.
pub struct Session {
    pub sites: Vec<SiteRun>,
    pub skipped: Vec<Skipped>,
    /// Whether paths were given (a run that matches nothing then fails).
    pub explicit: bool,
    /// Files the paths matched, before force-exclusion.
    pub matched: usize,
    /// The post read from stdin when `--stdin-filename` names an excluded file:
    /// not linted, and `fix -` writes it back as it came.
    pub stdin_passed_through: Option<SourceFile>,
    cwd: Option<PathBuf>,
}

/// A post read from stdin, with the path it stands for.
pub struct StdinPost {
    pub bytes: Vec<u8>,
    pub filename: Option<PathBuf>,
}

impl Session {
    /// Reads `paths` (default: the content roots of the site around the current folder),
    /// each file with its own site: the nearest site root above it.
    pub fn open(paths: &[PathBuf], options: &SessionOptions) -> anyhow::Result<Session> {
        let cwd = current_dir();
        let mut session = Session {
            sites: Vec::new(),
            skipped: Vec::new(),
            explicit: !paths.is_empty(),
            matched: 0,
            stdin_passed_through: None,
            cwd: cwd.clone(),
        };
        if paths.is_empty() {
            let start = cwd.context("cannot read the current folder")?;
            let site = open_site(&start, options)?;
            let run = session.read_site(site, None, options)?;
            session.sites.push(run);
            return Ok(session);
        }
        // Group the paths by site; a folder's site is looked up once. A folder that is
        // no site itself (a repository holding several) is walked and its files
        // placed one by one, so each gets the site it lies in.
        let mut root_of_dir: HashMap<PathBuf, PathBuf> = HashMap::new();
        let mut groups: BTreeMap<PathBuf, (Site, Vec<PathBuf>)> = BTreeMap::new();
        let mut queue: Vec<(PathBuf, bool)> = Vec::new();
        for path in paths {
            match path.canonicalize() {
                Ok(canonical) => queue.push((canonical, true)),
                Err(error) => session.skipped.push(Skipped::error(
                    path.to_string_lossy().into_owned(),
                    format!("cannot read: {error}"),
                )),
            }
        }
        while let Some((canonical, named)) = queue.pop() {
            let is_dir = canonical.is_dir();
            let dir = if is_dir {
                canonical.clone()
            } else {
                canonical
                    .parent()
                    .map_or_else(|| canonical.clone(), Path::to_owned)
            };
            let root = match root_of_dir.get(&dir) {
                Some(root) => root.clone(),
                None => {
                    let site = open_site(&dir, options)?;
                    let root = site.root.clone();
                    root_of_dir.insert(dir, root.clone());
                    groups.entry(root.clone()).or_insert((site, Vec::new()));
                    root
                }
            };
            let Some((site, requested)) = groups.get_mut(&root) else {
                continue;
            };
            let no_site = site.config_file.is_none()
                && site.config.generator == crate::config::Generator::Plain;
            if is_dir && named && no_site && options.config.is_none() {
                let walked = site.walk(std::slice::from_ref(&canonical));
                let errors: Vec<Skipped> = walked
                    .errors
                    .iter()
                    .map(|error| walk_skip(&session, error))
                    .collect();
                session.skipped.extend(errors);
                queue.extend(walked.files.into_iter().map(|file| (file, false)));
                continue;
            }
            requested.push(canonical);
        }
        for (_, (site, mut requested)) in groups {
            workspace::sort_paths(&mut requested);
            let run = session.read_site(site, Some(&requested), options)?;
            session.sites.push(run);
        }
        Ok(session)
    }

    /// One post from stdin, placed in the site of `--stdin-filename` (else the current
    /// folder's site) and linted against that site's index.
    pub fn open_stdin(post: StdinPost, options: &SessionOptions) -> anyhow::Result<Session> {
        let cwd = current_dir();
        let base = cwd.clone().context("cannot read the current folder")?;
        let path = match &post.filename {
            Some(name) => base.join(name),
            None => base.join("-"),
        };
        let start = existing_ancestor(&path).unwrap_or_else(|| base.clone());
        let site = open_site(&start, options)?;
        let mut session = Session {
            sites: Vec::new(),
            skipped: Vec::new(),
            explicit: true,
            matched: 1,
            stdin_passed_through: None,
            cwd,
        };
        let file = match workspace::decode(path.clone(), post.bytes) {
            Ok(file) => file,
            Err(error) => bail!("stdin: {error}"),
        };
        let mut run = session.read_site(site, Some(&[]), options)?;
        // ruff's force-exclude: a post that stands for an excluded file is left
        // alone (`fix -` gives it back unchanged).
        let is_site = run.site.config_file.is_some()
            || run.site.config.generator != crate::config::Generator::Plain;
        let scope = Scope::new(&run.site, is_site && options.force_exclude);
        let out_of_scope = post
            .filename
            .as_ref()
            .and_then(|_| scope.why_out(&run.site, &canonical_guess(&path)));
        if let Some(reason) = out_of_scope {
            session.skipped.push(Skipped {
                display: session.display(&path),
                reason,
                is_error: false,
                excluded: true,
            });
            session.stdin_passed_through = Some(file);
            session.sites.push(run);
            return Ok(session);
        }
        // The post on stdin replaces its saved version in the index.
        let key = run.site.post_key(&path);
        run.index.remove(&key);
        run.index
            .insert(key, workspace::summarize(&file.text, &run.site.config));
        run.targets = vec![file];
        run.front_matter.clear();
        session.sites.push(run);
        Ok(session)
    }

    /// Walks and reads one site: its content roots for the index, and `requested`
    /// (default: the content roots) as the files to process.
    fn read_site(
        &mut self,
        mut site: Site,
        requested: Option<&[PathBuf]>,
        options: &SessionOptions,
    ) -> anyhow::Result<SiteRun> {
        apply_filter(&mut site, &options.filter)?;
        let missing_roots: Vec<String> = site
            .config
            .content
            .iter()
            .filter(|root| !site.root.join(root).exists())
            .cloned()
            .collect();

        // A folder that is neither a detected site nor configured is not a site: files
        // named in it are indexed alone rather than everything around them (a post
        // in the home folder must not make copydesk read the whole home folder).
        let is_site =
            site.config_file.is_some() || site.config.generator != crate::config::Generator::Plain;
        let request = requested.filter(|paths| !paths.is_empty());
        // The two walks run at once: each waits on the file system for part of its
        // time, which the other fills.
        let (walked_request, walked_roots) = rayon::join(
            || request.map(|paths| site.walk(paths)),
            || (is_site || request.is_none()).then(|| site.walk(&site.content_roots())),
        );
        let indexed = walked_roots.unwrap_or_else(|| Walked {
            files: walked_request
                .as_ref()
                .map(|walked| walked.files.clone())
                .unwrap_or_default(),
            errors: Vec::new(),
        });
        let walk_errors: Vec<Skipped> = [Some(&indexed), walked_request.as_ref()]
            .into_iter()
            .flatten()
            .flat_map(|walked| &walked.errors)
            .map(|error| walk_skip(self, error))
            .collect();
        self.skipped.extend(walk_errors);

        let matched: Vec<PathBuf> = match (&walked_request, requested) {
            (Some(walked), _) => walked.files.clone(),
            (None, Some(_)) => Vec::new(),
            (None, None) => indexed.files.clone(),
        };
        self.matched += matched.len();
        let scope = Scope::new(
            &site,
            is_site && options.force_exclude && requested.is_some(),
        );
        let mut target_paths = Vec::new();
        for path in matched {
            match scope.why_out(&site, &path) {
                Some(reason) => self.skipped.push(Skipped {
                    display: self.display(&path),
                    reason,
                    is_error: false,
                    excluded: true,
                }),
                None => target_paths.push(path),
            }
        }

        // Every post is read and its front matter parsed once: the summaries feed
        // the index, and the targets keep their parse for the rules.
        let mut to_read: Vec<PathBuf> = indexed
            .files
            .iter()
            .chain(&target_paths)
            .filter(|path| workspace::is_markdown(path))
            .cloned()
            .collect();
        workspace::sort_paths(&mut to_read);
        workspace::dedup_paths(&mut to_read);
        // The linter (its pattern automata) is built on a second thread while the
        // posts are read: built after, it was serial time in every run.
        let (read, linter) = rayon::join(
            || workspace::read_and_parse(&site, &to_read),
            // The core has no clock: FM006 inserts this as a missing `date`.
            || Linter::new(site.config.clone()).with_clock(jiff::Zoned::now()),
        );
        let mut read: Vec<Option<Result<ReadPost, ReadError>>> =
            read.into_iter().map(Some).collect();
        // Looked up by the path's bytes (the identity `dedup_paths` kept): a binary
        // search compared each of 20,000 lookups with 14 long paths, serial time
        // before the index could be built.
        let slots: rustc_hash::FxHashMap<&[u8], usize> = to_read
            .iter()
            .enumerate()
            .map(|(at, path)| (path.as_os_str().as_encoded_bytes(), at))
            .collect();
        let slot_of = |path: &Path| slots.get(path.as_os_str().as_encoded_bytes()).copied();

        // The command line never hovers: counting every post's title under each of
        // its values was a third of the serial index build.
        let mut index = SiteIndex::without_titles();
        index.extend(indexed.files.iter().filter_map(|path| {
            match slot_of(path).and_then(|at| read.get_mut(at)) {
                Some(Some(Ok(post))) => Some((post.key.clone(), std::mem::take(&mut post.summary))),
                _ => None,
            }
        }));

        let mut targets = Vec::with_capacity(target_paths.len());
        let mut front_matter = Vec::with_capacity(target_paths.len());
        for path in target_paths {
            if !workspace::is_markdown(&path) {
                self.skipped.push(Skipped {
                    display: self.display(&path),
                    reason: "not a Markdown file".to_owned(),
                    is_error: false,
                    excluded: false,
                });
                continue;
            }
            match slot_of(&path).and_then(|at| read.get_mut(at)?.take()) {
                Some(Ok(post)) => {
                    targets.push(post.file);
                    front_matter.push(post.front_matter);
                }
                Some(Err(error)) => self.skipped.push(Skipped {
                    display: self.display(&path),
                    is_error: matches!(error, ReadError::Io(_)),
                    reason: error.to_string(),
                    excluded: false,
                }),
                None => {}
            }
        }
        Ok(SiteRun {
            site,
            index,
            linter,
            targets,
            front_matter,
            missing_roots,
        })
    }

    /// How a path is shown: relative to the current folder when inside it.
    pub fn display(&self, path: &Path) -> String {
        let shown = self
            .cwd
            .as_deref()
            .and_then(|cwd| path.strip_prefix(cwd).ok())
            .unwrap_or(path);
        shown.to_string_lossy().into_owned()
    }

    /// Every file to process, with its site.
    pub fn targets(&self) -> impl Iterator<Item = (&SiteRun, &SourceFile)> {
        self.sites
            .iter()
            .flat_map(|run| run.targets.iter().map(move |file| (run, file)))
    }

    /// The parsed front matter of every target, per site, for [`lint_all`]; what
    /// is not there (stdin) is parsed again.
    pub fn take_front_matter(&mut self) -> Vec<Vec<Option<FrontMatter>>> {
        self.sites
            .iter_mut()
            .map(|run| std::mem::take(&mut run.front_matter))
            .collect()
    }

    pub fn target_count(&self) -> usize {
        self.sites.iter().map(|run| run.targets.len()).sum()
    }

    /// `-v`: which site each group of files was linted with, on stderr.
    pub fn report_sites(&self) {
        for run in &self.sites {
            let config = run
                .site
                .config_file
                .as_deref()
                .map_or_else(|| "no copydesk.toml".to_owned(), |path| self.display(path));
            eprintln!(
                "copydesk: site {} ({}, {config}): {} to process, {} indexed",
                run.site.root.display(),
                run.site.config.generator.name(),
                run.targets.len(),
                run.index.len()
            );
        }
    }

    /// Prints skipped files on stderr (excluded ones only when `verbose`); true when
    /// one of them was an I/O failure.
    pub fn report_skipped(&self, verbose: bool) -> bool {
        for skipped in &self.skipped {
            if skipped.is_error {
                eprintln!("{}: error: {}", skipped.display, skipped.reason);
            } else if !skipped.excluded || verbose {
                eprintln!("{}: skipped: {}", skipped.display, skipped.reason);
            }
        }
        self.skipped.iter().any(|s| s.is_error)
    }

    /// Says on stderr when nothing was processed; true when that fails the run: paths
    /// were given and matched no file, or a configured content root does not exist.
    pub fn report_empty(&self) -> bool {
        for run in &self.sites {
            for root in &run.missing_roots {
                eprintln!(
                    "copydesk: warning: content root `{root}` of {} does not exist",
                    self.display(&run.site.root)
                );
            }
        }
        if self.target_count() > 0 {
            return false;
        }
        let missing = self.sites.iter().any(|run| !run.missing_roots.is_empty());
        if self.explicit && self.matched == 0 {
            // A path that could not be read already says why nothing was found.
            if self.skipped.iter().any(|s| s.is_error) {
                return true;
            }
            eprintln!("copydesk: error: no posts found in the given paths");
            true
        } else if missing {
            eprintln!("copydesk: error: no posts found: the content roots do not exist");
            true
        } else if self.matched > 0 {
            eprintln!("copydesk: warning: every file given is excluded (see -v)");
            false
        } else {
            eprintln!("copydesk: warning: no posts found");
            false
        }
    }
}

fn current_dir() -> Option<PathBuf> {
    std::env::current_dir()
        .ok()
        .and_then(|dir| dir.canonicalize().ok())
}

/// `path` with its nearest existing folder canonicalized (a file named by
/// `--stdin-filename` need not exist), to compare it with canonical roots.
fn canonical_guess(path: &Path) -> PathBuf {
    existing_ancestor(path)
        .and_then(|dir| {
            let rest = path.strip_prefix(&dir).ok()?;
            Some(dir.canonicalize().ok()?.join(rest))
        })
        .unwrap_or_else(|| path.to_owned())
}

/// The nearest folder of `path` (or its ancestors) that exists.
fn existing_ancestor(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .find(|dir| dir.is_dir())
        .map(Path::to_owned)
}

/// The site of `dir` under `--config` / `--isolated` / discovery.
fn open_site(dir: &Path, options: &SessionOptions) -> Result<Site, WorkspaceError> {
    if let Some(config) = &options.config {
        let canonical = config.canonicalize().map_err(|cause| WorkspaceError::Io {
            path: config.clone(),
            cause,
        })?;
        let root = canonical
            .parent()
            .map_or_else(|| canonical.clone(), Path::to_owned);
        return Site::load(root, Some(canonical));
    }
    if options.isolated {
        let dir = dir.canonicalize().map_err(|cause| WorkspaceError::Io {
            path: dir.to_owned(),
            cause,
        })?;
        let root = dir
            .ancestors()
            .find(|candidate| {
                workspace::detect_generator(candidate) != crate::config::Generator::Plain
            })
            .unwrap_or(&dir)
            .to_owned();
        return Site::load(root, None);
    }
    Site::discover(dir)
}

fn walk_skip(session: &Session, error: &WorkspaceError) -> Skipped {
    match error {
        WorkspaceError::Io { path, cause } => {
            Skipped::error(session.display(path), format!("cannot read: {cause}"))
        }
        other => Skipped::error(String::new(), other.to_string()),
    }
}

/// Which files of a site may be processed: inside its content roots and not
/// excluded (ruff's force-exclude, applied to files named explicitly too).
struct Scope {
    roots: Vec<PathBuf>,
    exclude: Option<ignore::overrides::Override>,
    /// Whether each folder met so far is excluded, itself or through a parent:
    /// the posts of a site share a few folders, and matching every ancestor of
    /// every post again showed in the profile.
    excluded_dirs: std::cell::RefCell<rustc_hash::FxHashMap<PathBuf, bool>>,
}

impl Scope {
    /// A scope that lets everything through unless `enforce`.
    fn new(site: &Site, enforce: bool) -> Scope {
        if !enforce {
            return Scope {
                roots: Vec::new(),
                exclude: None,
                excluded_dirs: Default::default(),
            };
        }
        let roots = site
            .content_roots()
            .into_iter()
            .filter_map(|root| root.canonicalize().ok())
            .collect();
        let mut builder = ignore::overrides::OverrideBuilder::new(&site.root);
        for glob in &site.config.exclude {
            // Invalid globs were reported by the walk already.
            let _ = builder.add(glob);
        }
        Scope {
            roots,
            exclude: builder.build().ok(),
            excluded_dirs: Default::default(),
        }
    }

    /// Why `path` is out of scope, if it is.
    fn why_out(&self, site: &Site, path: &Path) -> Option<String> {
        let exclude = self.exclude.as_ref()?;
        if !self
            .roots
            .iter()
            .any(|root| workspace::is_within(path, root))
        {
            return Some(format!(
                "outside the content roots of the site ({})",
                site.config.content.join(", ")
            ));
        }
        if exclude.is_empty() {
            return None;
        }
        let relative = path.strip_prefix(&site.root).unwrap_or(path);
        let excluded = exclude.matched(relative, false).is_whitelist()
            || relative
                .parent()
                .is_some_and(|dir| self.is_excluded_dir(exclude, dir));
        excluded.then(|| "matches `exclude`".to_owned())
    }

    /// Whether `dir` (relative to the site root) or a folder above it is excluded.
    fn is_excluded_dir(&self, exclude: &ignore::overrides::Override, dir: &Path) -> bool {
        if dir.as_os_str().is_empty() {
            return false;
        }
        if let Some(&known) = self.excluded_dirs.borrow().get(dir) {
            return known;
        }
        let excluded = exclude.matched(dir, true).is_whitelist()
            || dir
                .parent()
                .is_some_and(|parent| self.is_excluded_dir(exclude, parent));
        self.excluded_dirs
            .borrow_mut()
            .insert(dir.to_path_buf(), excluded);
        excluded
    }
}

/// Turns `--select`/`--extend-select`/`--ignore` into rule severities: every rule
/// left out is `off`; a rule in `--extend-select` runs at least at its default.
fn apply_filter(site: &mut Site, filter: &RuleFilter) -> anyhow::Result<()> {
    let codes = crate::rules::codes();
    for pattern in filter
        .select
        .iter()
        .chain(&filter.extend_select)
        .chain(&filter.ignore)
    {
        let pattern = pattern.trim();
        if !codes
            .iter()
            .any(|code| crate::rules::matches_rule(code, pattern))
        {
            bail!("unknown rule code, prefix or name `{pattern}` (see `copydesk rules`)");
        }
    }
    let matches_any = |patterns: &[String], code: &str| {
        patterns
            .iter()
            .any(|p| crate::rules::matches_rule(code, p.trim()))
    };
    for code in codes {
        let extended = matches_any(&filter.extend_select, code);
        let selected = (filter.select.is_empty() || matches_any(&filter.select, code)) || extended;
        let ignored = matches_any(&filter.ignore, code);
        if !selected || ignored {
            site.config.rules.insert(code.to_owned(), Severity::Off);
        } else if extended && site.config.rules.get(code) == Some(&Severity::Off) {
            site.config.rules.remove(code);
        }
    }
    Ok(())
}

/// One linted file: its text, line index and findings.
pub struct FileReport<'a> {
    pub display: String,
    pub file: &'a SourceFile,
    pub lines: LineIndex,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport<'_> {
    pub fn text(&self) -> &str {
        &self.file.text
    }
}

/// Lints every target in parallel, each with its own site, and hands each file's
/// report to `each` on the same thread (so what is made of it, such as its part of
/// the output, is made in parallel too). A rule that panics on a file is reported
/// as an internal error for that file; the others are still checked.
/// `front_matter` is what [`Session::take_front_matter`] gave, so no post is parsed twice.
pub fn lint_all<T: Send>(
    session: &Session,
    front_matter: Vec<Vec<Option<FrontMatter>>>,
    progress: &super::progress::Progress,
    each: impl Fn(FileReport) -> T + Sync,
) -> (Vec<T>, Vec<Skipped>) {
    let mut parsed = front_matter.into_iter();
    let targets: Vec<(&SiteRun, &SourceFile, Option<Option<FrontMatter>>)> = session
        .sites
        .iter()
        .flat_map(|run| {
            let mut site_parsed = parsed.next().unwrap_or_default().into_iter();
            run.targets
                .iter()
                .map(move |file| (run, file, site_parsed.next()))
        })
        .collect();
    let results: Vec<Result<T, Skipped>> = targets
        .into_par_iter()
        .with_max_len(workspace::PARALLEL_CHUNK)
        .map(|(run, file, front_matter)| {
            let display = session.display(&file.path);
            let key = run.site.post_key(&file.path);
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let front_matter = front_matter.unwrap_or_else(|| {
                    crate::frontmatter::parse_for(&file.text, run.linter.config().generator)
                });
                let doc = run
                    .linter
                    .parse_for_rules(&file.text, Some(&key), front_matter)
                    .with_stripped_bom(file.bom);
                let diagnostics = run.linter.check_document(&doc, &run.index);
                (doc.lines, diagnostics)
            }));
            progress.tick();
            match outcome {
                Ok((lines, diagnostics)) => Ok(each(FileReport {
                    display,
                    file,
                    lines,
                    diagnostics,
                })),
                Err(_) => Err(Skipped::error(
                    display,
                    "internal error while checking (see above)".to_owned(),
                )),
            }
        })
        .collect();
    let mut reports = Vec::new();
    let mut failed = Vec::new();
    for result in results {
        match result {
            Ok(report) => reports.push(report),
            Err(skipped) => failed.push(skipped),
        }
    }
    (reports, failed)
}
