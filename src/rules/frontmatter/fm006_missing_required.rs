use crate::config::Generator;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;
use crate::frontmatter::{FrontMatter, dates};

declare_rule! {
    /// ## What it does
    /// Flags a post whose front matter lacks a key the generator cannot do
    /// without. By default that is `title`, except where the generator titles the
    /// page itself: Jekyll posts and drafts (titled from their file name) and Hugo
    /// section pages (`_index.md`, titled from their folder). `date` is not
    /// required by default: Hexo takes a missing date from the file, Jekyll from
    /// the `YYYY-MM-DD-` file name (a draft from the file's time), and Hugo
    /// builds undated pages (documentation, sections, headless bundles) as they
    /// are meant to be. `[frontmatter] required = [...]` in `copydesk.toml`
    /// replaces the default.
    ///
    /// ## Why it matters
    /// A post without a title shows up untitled in lists and feeds; on a site
    /// that requires dates, an undated post sorts wherever the file system puts it.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// tags: [rust]
    /// ---
    /// ```
    /// Use instead:
    /// ```markdown
    /// ---
    /// tags: [rust]
    /// title: Hello, world
    /// ---
    /// ```
    ///
    /// ## Fix
    /// Unsafe, for `date` only: inserts the current time in the site's format
    /// (Hexo `YYYY-MM-DD HH:mm:ss`, Jekyll `YYYY-MM-DD HH:MM:SS +0800`, Hugo RFC
    /// 3339), a value the author confirms. A title is the author's to write:
    /// none is made up from the file name.
    pub struct MissingRequired {
        code: "FM006", name: "missing-required", severity: Error, fix: Unsafe,
    }
}

/// Keys Hugo reads a post's date from when `date` itself is absent.
const HUGO_DATE_ALIASES: &[&str] = &[
    "date",
    "publishDate",
    "pubdate",
    "published",
    "lastmod",
    "modified",
];

impl MissingRequired {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(fm) = &ctx.doc.front_matter else {
            return;
        };
        // With a syntax error the entries are partial: FM003/FM004 speak first.
        let Some(close_fence) = &fm.close_fence else {
            return;
        };
        if fm.error.is_some() {
            return;
        }
        let generator = ctx.config.generator;
        let defaults;
        let required: &[String] = match &ctx.config.frontmatter.required {
            Some(keys) => keys,
            None => {
                defaults = default_required(generator, ctx.doc.path);
                &defaults
            }
        };
        for key in required {
            if has_key(fm, key, generator) {
                continue;
            }
            let mut diagnostic = Diagnostic::new(
                &Self::META,
                fm.open_fence.clone(),
                format!("required key `{key}` is missing"),
            );
            if let Some(line) = new_line(ctx, fm, key) {
                diagnostic = diagnostic.with_fix(Fix::unsafe_(
                    format!("Insert `{}`", line.trim_end()),
                    vec![Edit::insert(close_fence.start, line)],
                ));
            }
            out.push(diagnostic);
        }
    }
}

/// `title`, where the generator does not title the page itself.
fn default_required(generator: Generator, path: Option<&str>) -> Vec<String> {
    let path = path.unwrap_or_default();
    let titled_by_generator = match generator {
        Generator::Jekyll => path
            .split('/')
            .any(|segment| segment == "_posts" || segment == "_drafts"),
        Generator::Hugo => file_name(path) == "_index.md",
        Generator::Hexo | Generator::Plain => false,
    };
    if titled_by_generator {
        Vec::new()
    } else {
        vec!["title".to_owned()]
    }
}

/// A present key counts even when empty (FM011 reports that). Hugo reads keys
/// case-insensitively and takes the date from its aliases.
fn has_key(fm: &FrontMatter, key: &str, generator: Generator) -> bool {
    fm.entries.iter().any(|entry| {
        if generator != Generator::Hugo {
            return entry.key == key;
        }
        entry.key.eq_ignore_ascii_case(key)
            || (key == "date"
                && HUGO_DATE_ALIASES
                    .iter()
                    .any(|alias| entry.key.eq_ignore_ascii_case(alias)))
    })
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The line to insert for `key` (with the post's line ending), when copydesk can
/// supply a value.
fn new_line(ctx: &Context, fm: &FrontMatter, key: &str) -> Option<String> {
    let generator = ctx.config.generator;
    let toml = fm.format == crate::frontmatter::Format::Toml;
    let value = match key {
        "date" => {
            let now = dates::format_now(generator, ctx.now?);
            // TOML has native date-times only in RFC 3339 form.
            if toml && generator != Generator::Hugo {
                toml_string(&now)
            } else {
                now
            }
        }
        _ => return None,
    };
    let separator = match fm.format {
        crate::frontmatter::Format::Yaml => ": ",
        crate::frontmatter::Format::Toml => " = ",
        crate::frontmatter::Format::Json => return None,
    };
    Some(format!("{key}{separator}{value}{}", ctx.doc.newline()))
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generators_that_title_pages_themselves_need_no_title() {
        assert!(default_required(Generator::Jekyll, Some("_posts/2014-1-8-a.md")).is_empty());
        assert!(default_required(Generator::Jekyll, Some("_drafts/a.md")).is_empty());
        assert_eq!(
            default_required(Generator::Jekyll, Some("about.md")),
            ["title"]
        );
        assert!(default_required(Generator::Hugo, Some("content/docs/_index.md")).is_empty());
        assert_eq!(
            default_required(Generator::Hugo, Some("content/docs/a.md")),
            ["title"]
        );
        assert_eq!(default_required(Generator::Hexo, None), ["title"]);
        assert_eq!(default_required(Generator::Plain, None), ["title"]);
    }
}

#[cfg(test)]
mod snapshots {
    use super::super::value_rules_test_support::{clock, config, snapshot, snapshot_at};
    use crate::config::Generator;
    use crate::site::SiteIndex;

    fn check(text: &str, path: &str, generator: Generator) -> String {
        snapshot(text, path, config(generator), &SiteIndex::new(), "FM006")
    }

    #[test]
    fn hexo_needs_a_title_only() {
        let text = "---\ntags: [科技, 🎉]\ndate: 2022-06-14 15:00:49\n---\n正文\n";
        insta::assert_snapshot!(check(text, "source/_posts/法治蓝皮书.md", Generator::Hexo));
    }

    #[test]
    fn hugo_needs_a_title_but_no_date() {
        let text = "+++\ndraft = false\n+++\nBody\n";
        insta::assert_snapshot!(check(
            text,
            "content/post/my-trip/index.md",
            Generator::Hugo
        ));
        assert_eq!(check(text, "content/docs/_index.md", Generator::Hugo), "");
    }

    #[test]
    fn hugo_takes_the_date_from_its_aliases() {
        let mut config = config(Generator::Hugo);
        config.frontmatter.required = Some(vec!["title".into(), "date".into()]);
        let text = "---\nTitle: Hi\nlastmod: 2022-06-14\n---\n";
        assert_eq!(
            snapshot(text, "content/a.md", config, &SiteIndex::new(), "FM006"),
            ""
        );
    }

    #[test]
    fn jekyll_titles_posts_and_drafts_from_their_file_names() {
        let text = "---\r\nlayout: post\r\n---\r\nBody\r\n";
        assert_eq!(
            check(text, "_posts/2014-1-8-it's-here.md", Generator::Jekyll),
            ""
        );
        assert_eq!(check(text, "_drafts/untitled.md", Generator::Jekyll), "");
        insta::assert_snapshot!(check(text, "about.md", Generator::Jekyll));
    }

    #[test]
    fn a_required_date_is_inserted_only_as_an_unsafe_fix_with_the_posts_line_ending() {
        let mut config = config(Generator::Jekyll);
        config.frontmatter.required = Some(vec!["title".into(), "date".into()]);
        let text = "---\r\nlayout: post\r\n---\r\n";
        let diagnostics = crate::rules::test_support::lint_code_at(
            text,
            Some("_posts/a.md"),
            config,
            &SiteIndex::new(),
            "FM006",
            Some(&clock()),
        );
        assert_eq!(diagnostics.len(), 2);
        let fixes: Vec<_> = diagnostics.iter().filter_map(|d| d.fix.as_ref()).collect();
        assert_eq!(fixes.len(), 1, "no title is made up");
        assert_eq!(
            fixes[0].applicability,
            crate::diagnostic::Applicability::Unsafe
        );
        assert_eq!(
            fixes[0].edits[0].replacement,
            "date: 2026-11-27 19:15:53 +0800\r\n"
        );
    }

    #[test]
    fn configured_keys_replace_the_default() {
        let mut config = config(Generator::Hexo);
        config.frontmatter.required = Some(vec!["title".into(), "author".into()]);
        let text = "---\ntitle: x\n---\n";
        insta::assert_snapshot!(snapshot(text, "a.md", config, &SiteIndex::new(), "FM006"));
    }

    #[test]
    fn no_clock_no_date_fix() {
        let mut config = config(Generator::Hugo);
        config.frontmatter.required = Some(vec!["title".into(), "date".into()]);
        let text = "---\ntitle: x\n---\n";
        let site = SiteIndex::new();
        insta::assert_snapshot!(snapshot_at(text, "a.md", config, &site, "FM006", None));
    }
}
