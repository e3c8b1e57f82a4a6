//! What `check`, `fix` and `taxonomy` share: find the site, walk and read its posts,
//! build the index, and run the linter over the requested files in parallel.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use rayon::prelude::*;

use super::RuleFilter;
use crate::diagnostic::{Diagnostic, Severity};
use crate::line_index::LineIndex;
use crate::site::SiteIndex;
use crate::workspace::{self, ReadError, Site, SourceFile, Walked, WorkspaceError};

/// A file that was not analysed, and why.
#[derive(Debug)]
pub struct Skipped {
    pub display: String,
    pub reason: String,
    /// An I/O failure (exit status 2) rather than a file that is not a post.
    pub is_error: bool,
}

/// The site, its index, and the files a command works on, read.
pub struct Session {
    pub site: Site,
    pub index: SiteIndex,
    /// Files to process, in path order.
    pub targets: Vec<SourceFile>,
    pub skipped: Vec<Skipped>,
    cwd: Option<PathBuf>,
}

impl Session {
    /// Finds the site from the first path (or the current folder), reads its content
    /// roots for the index, and reads `paths` (default: the content roots).
    pub fn open(paths: &[PathBuf], filter: Option<&RuleFilter>) -> anyhow::Result<Session> {
        let cwd = std::env::current_dir()
            .ok()
            .and_then(|dir| dir.canonicalize().ok());
        let start = match paths.first() {
            Some(path) => path.clone(),
            None => cwd.clone().context("cannot read the current folder")?,
        };
        let mut site = Site::discover(&start)?;
        // The core has no clock: FM006 inserts this as a missing `date`.
        site.config.now = Some(jiff::Zoned::now());
        if let Some(filter) = filter {
            apply_filter(&mut site, filter)?;
        }

        let requested = if paths.is_empty() {
            None
        } else {
            Some(site.walk(paths))
        };
        // A folder that is neither a detected site nor configured is not a site: files
        // named in it are indexed alone rather than everything around them (a post
        // in the home folder must not make copydesk read the whole home folder).
        let is_site =
            site.config_file.is_some() || site.config.generator != crate::config::Generator::Plain;
        let indexed = match &requested {
            Some(walked) if !is_site => Walked {
                files: walked.files.clone(),
                errors: Vec::new(),
            },
            _ => site.walk(&site.content_roots()),
        };
        for walked in [Some(&indexed), requested.as_ref()].into_iter().flatten() {
            if let Some(error) = walked.errors.first() {
                return Err(clone_error(error).into());
            }
        }

        let target_paths: Vec<PathBuf> = match &requested {
            Some(walked) => walked.files.clone(),
            None => indexed.files.clone(),
        };
        let mut to_read: Vec<PathBuf> = indexed
            .files
            .iter()
            .filter(|path| workspace::is_markdown(path))
            .cloned()
            .collect();
        to_read.extend(
            target_paths
                .iter()
                .filter(|path| workspace::is_markdown(path))
                .cloned(),
        );
        to_read.sort();
        to_read.dedup();
        let mut read: HashMap<PathBuf, Result<SourceFile, ReadError>> =
            workspace::read_all(&to_read).into_iter().collect();

        let index_files: Vec<SourceFile> = indexed
            .files
            .iter()
            .filter_map(|path| read.get(path)?.as_ref().ok().cloned())
            .collect();
        let index = workspace::build_index(&site, &index_files);
        drop(index_files);

        let mut session = Session {
            site,
            index,
            targets: Vec::new(),
            skipped: Vec::new(),
            cwd,
        };
        for path in target_paths {
            let display = session.display(&path);
            if !workspace::is_markdown(&path) {
                session.skipped.push(Skipped {
                    display,
                    reason: "not a Markdown file".to_owned(),
                    is_error: false,
                });
                continue;
            }
            match read.remove(&path) {
                Some(Ok(file)) => session.targets.push(file),
                Some(Err(error)) => session.skipped.push(Skipped {
                    display,
                    is_error: matches!(error, ReadError::Io(_)),
                    reason: error.to_string(),
                }),
                None => {}
            }
        }
        Ok(session)
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

    /// Prints skipped files on stderr; true when one of them was an I/O failure.
    pub fn report_skipped(&self) -> bool {
        for skipped in &self.skipped {
            eprintln!("{}: skipped: {}", skipped.display, skipped.reason);
        }
        self.skipped.iter().any(|s| s.is_error)
    }
}

fn clone_error(error: &WorkspaceError) -> WorkspaceError {
    match error {
        WorkspaceError::Config {
            path,
            line,
            column,
            message,
        } => WorkspaceError::Config {
            path: path.clone(),
            line: *line,
            column: *column,
            message: message.clone(),
        },
        WorkspaceError::Overlay { origin, message } => WorkspaceError::Overlay {
            origin: origin.clone(),
            message: message.clone(),
        },
        WorkspaceError::Io { path, cause } => WorkspaceError::Io {
            path: path.clone(),
            cause: std::io::Error::new(cause.kind(), cause.to_string()),
        },
    }
}

/// Turns `--select`/`--ignore` into rule severities: every rule left out is `off`.
fn apply_filter(site: &mut Site, filter: &RuleFilter) -> anyhow::Result<()> {
    let codes = crate::rules::codes();
    for pattern in filter.select.iter().chain(&filter.ignore) {
        let pattern = pattern.trim();
        if !codes.iter().any(|code| matches_code(code, pattern)) {
            bail!("unknown rule code or prefix `{pattern}` (see `copydesk rules`)");
        }
    }
    for code in codes {
        let selected =
            filter.select.is_empty() || filter.select.iter().any(|p| matches_code(code, p.trim()));
        let ignored = filter.ignore.iter().any(|p| matches_code(code, p.trim()));
        if !selected || ignored {
            site.config.rules.insert(code.to_owned(), Severity::Off);
        }
    }
    Ok(())
}

/// `MK`, `mk00` and `MK001` all match `MK001`.
fn matches_code(code: &str, pattern: &str) -> bool {
    !pattern.is_empty()
        && code.len() >= pattern.len()
        && code[..pattern.len()].eq_ignore_ascii_case(pattern)
        && pattern.is_ascii()
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

/// Lints every target in parallel. A rule that panics on a file is reported as an
/// internal error for that file; the others are still checked.
pub fn lint_all<'a>(
    session: &'a Session,
    linter: &crate::Linter,
    progress: &super::progress::Progress,
) -> (Vec<FileReport<'a>>, Vec<Skipped>) {
    let results: Vec<Result<FileReport<'a>, Skipped>> = session
        .targets
        .par_iter()
        .map(|file| {
            let display = session.display(&file.path);
            let key = session.site.post_key(&file.path);
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let doc = linter.parse(&file.text, Some(&key));
                let diagnostics = linter.check_document(&doc, &session.index);
                (doc.lines, diagnostics)
            }));
            progress.tick();
            match outcome {
                Ok((lines, diagnostics)) => Ok(FileReport {
                    display,
                    file,
                    lines,
                    diagnostics,
                }),
                Err(_) => Err(Skipped {
                    display,
                    reason: "internal error while checking (see above)".to_owned(),
                    is_error: true,
                }),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_by_prefix_case_insensitively() {
        assert!(matches_code("MK001", "MK"));
        assert!(matches_code("MK001", "mk00"));
        assert!(matches_code("MK001", "MK001"));
        assert!(!matches_code("MK001", "FM"));
        assert!(!matches_code("MK001", "MK0011"));
        assert!(!matches_code("MK001", ""));
        assert!(!matches_code("MK001", "金"));
    }
}
