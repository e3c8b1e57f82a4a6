//! `--show-settings` and `--show-files`: what a run would use, without running it.

use std::fmt::Write as _;

use super::session::Session;
use super::{EXIT_OK, RunArgs};
use crate::workspace;

pub fn show(session: &Session, run: &RunArgs) -> anyhow::Result<u8> {
    let mut out = String::new();
    if run.show_files {
        for (_, file) in session.targets() {
            let _ = writeln!(out, "{}", session.display(&file.path));
        }
    }
    if run.show_settings {
        for site in &session.sites {
            write_site(&mut out, site);
        }
    }
    super::check::write_stdout(out.as_bytes());
    Ok(EXIT_OK)
}

fn write_site(out: &mut String, run: &super::session::SiteRun) {
    let site = &run.site;
    let config = &site.config;
    let detected = workspace::detect_generator(&site.root);
    let why = if config.generator != detected {
        "set in copydesk.toml"
    } else if detected == crate::config::Generator::Plain {
        "no Hexo, Hugo or Jekyll files found"
    } else {
        "detected from the site's files"
    };
    let _ = writeln!(out, "site root: {}", site.root.display());
    let _ = writeln!(out, "generator: {} ({why})", config.generator.name());
    let _ = writeln!(
        out,
        "config file: {}",
        site.config_file
            .as_deref()
            .map_or_else(|| "none".to_owned(), |path| path.display().to_string())
    );
    let _ = writeln!(out, "content roots: {}", list(&config.content));
    let _ = writeln!(out, "exclude: {}", list(&config.exclude));
    let _ = writeln!(
        out,
        "posts: {} indexed, {} to process",
        run.index.len(),
        run.targets.len()
    );
    let _ = writeln!(out, "rules:");
    for rule in crate::rules::all() {
        let meta = rule.meta;
        let severity = config.severity(meta.code, meta.default_severity);
        let origin = if config.rules.contains_key(meta.code) {
            ""
        } else {
            " (default)"
        };
        let _ = writeln!(
            out,
            "  {} {:<28} {}{origin}",
            meta.code,
            meta.name,
            severity.as_str()
        );
    }
    let _ = writeln!(out);
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".to_owned()
    } else {
        items.join(", ")
    }
}
