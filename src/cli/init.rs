//! `copydesk init [PATH]`: a commented starter `copydesk.toml` for the detected site.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context as _, bail};

use super::EXIT_OK;
use crate::config::Generator;
use crate::workspace::{self, CONFIG_FILE};

pub fn run(path: Option<&Path>) -> anyhow::Result<u8> {
    let start = match path {
        Some(path) => path.to_owned(),
        None => std::env::current_dir().context("cannot read the current folder")?,
    };
    let start = start
        .canonicalize()
        .with_context(|| format!("cannot read {}", start.display()))?;
    // The nearest Hexo, Hugo or Jekyll root above, else the folder itself.
    let root = start
        .ancestors()
        .find(|dir| workspace::detect_generator(dir) != Generator::Plain)
        .unwrap_or(&start);
    let target = root.join(CONFIG_FILE);
    if target.exists() {
        bail!("{} already exists; edit it instead", target.display());
    }
    let generator = workspace::detect_generator(root);
    std::fs::write(&target, starter(generator))
        .with_context(|| format!("cannot write {}", target.display()))?;
    eprintln!(
        "Wrote {} for a {} site; `copydesk check --show-settings` shows what is in force.",
        target.display(),
        generator.name()
    );
    Ok(EXIT_OK)
}

/// The starter file: the detected generator and its content roots set, everything
/// else present as a comment with its default.
fn starter(generator: Generator) -> String {
    let content: Vec<String> = workspace::generator_content(generator)
        .iter()
        .map(|root| format!("{root:?}"))
        .collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# copydesk settings; every key is optional. `copydesk rules` lists the codes."
    );
    let _ = writeln!(out,);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "generator = \"{}\"   # hexo | hugo | jekyll | plain",
        generator.name()
    );
    let _ = writeln!(
        out,
        "content = [{}]   # roots to index and check",
        content.join(", ")
    );
    let _ = writeln!(
        out,
        "# exclude = [\"archive/**\"]   # globs relative to the site root"
    );
    out.push_str(
        r#"
[frontmatter]
# required = ["title", "date"]
# [frontmatter.fields]   # field = string, text, date, bool, integer, url,
# headimg = "url"        # string-list, string-or-list or category-list

[taxonomy]
# closed vocabularies; without them, the vocabulary is what the site uses
# categories = ["News"]
# tags = ["rust"]
# authors = ["Editor"]

[rules]
# codes, prefixes or names = off | hint | info | warning | error
# MK008 = "off"
# boilerplate = "warning"

[markup]
# additions to the built-in pattern lists
# ad_classes = ["promo-box"]
# tracking_params = ["ref_src"]
# boilerplate = ["Originally published at"]
# allowed_iframe_hosts = ["www.youtube.com"]

[per-file-ignores]
# "archive/**" = ["MK"]
"#,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_is_a_valid_config_for_every_generator() {
        let codes = crate::rules::codes();
        for generator in [
            Generator::Hexo,
            Generator::Hugo,
            Generator::Jekyll,
            Generator::Plain,
        ] {
            let mut config = crate::config::Config::default();
            config
                .merge_toml(&starter(generator), &codes)
                .unwrap_or_else(|error| panic!("{generator:?}: {error}"));
            assert_eq!(config.generator, generator);
        }
    }
}
