use crate::config::Generator;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;
use crate::frontmatter::schema::{Shape, shape_of};
use crate::frontmatter::{FrontMatter, ScalarStyle, Value, dates};

declare_rule! {
    /// ## What it does
    /// Flags a post whose front matter lacks a required key. By default `title` is
    /// required everywhere, and `date` where the generator cannot work it out by
    /// itself: Hugo always, Jekyll when the file name does not start with
    /// `YYYY-MM-DD-` (Hexo takes a missing date from the file; plain Markdown has
    /// no generator that sorts by date).
    /// `[frontmatter] required = [...]` in `copydesk.toml` replaces the default.
    ///
    /// ## Why it matters
    /// A post without a title shows up untitled in lists and feeds; a post without
    /// a date sorts at the epoch or wherever the file system puts it.
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
    /// title: hello-world
    /// ---
    /// ```
    ///
    /// ## Fix
    /// Safe: inserts the key before the closing fence: `title` from the file name,
    /// `date` as the current time in the site's format (Hexo `YYYY-MM-DD HH:mm:ss`,
    /// Jekyll `YYYY-MM-DD HH:MM:SS +0800`, Hugo RFC 3339). Other keys are left to
    /// the author.
    pub struct MissingRequired {
        code: "FM006", name: "missing-required", severity: Error, fix: Safe,
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
                diagnostic = diagnostic.with_fix(Fix::safe(
                    format!("Insert `{}`", line.trim_end()),
                    vec![Edit::insert(close_fence.start, line)],
                ));
            }
            out.push(diagnostic);
        }
    }
}

/// `title`, plus `date` where the generator cannot infer it.
fn default_required(generator: Generator, path: Option<&str>) -> Vec<String> {
    let date_needed = match generator {
        Generator::Hexo => false,
        Generator::Jekyll => !path.is_some_and(|path| dated_file_name(file_name(path))),
        Generator::Hugo => true,
        // No generator sorts these posts by date, so none is demanded.
        Generator::Plain => false,
    };
    let mut keys = vec!["title".to_owned()];
    if date_needed {
        keys.push("date".to_owned());
    }
    keys
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

/// `2022-06-14-title.md`, Jekyll's post naming.
fn dated_file_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.len() > 11
        && bytes.iter().take(10).enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
        && bytes.get(10) == Some(&b'-')
}

/// The line to insert for `key` (with the post's line ending), when copydesk can
/// supply a value.
fn new_line(ctx: &Context, fm: &FrontMatter, key: &str) -> Option<String> {
    let generator = ctx.config.generator;
    let toml = fm.format == crate::frontmatter::Format::Toml;
    let value = match key {
        "title" => {
            let title = title_from_path(ctx.doc.path?, generator)?;
            if toml {
                toml_string(&title)
            } else {
                yaml_string(&title, generator)
            }
        }
        "date" => {
            let now = dates::format_now(generator, ctx.config.now.as_ref()?);
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

/// The file's stem: Jekyll's date prefix dropped, a bundle's `index` replaced by
/// its folder name.
fn title_from_path(path: &str, generator: Generator) -> Option<String> {
    let mut segments = path.rsplit('/');
    let name = segments.next()?;
    let mut stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    if stem == "index" || stem == "_index" {
        let folder = segments.next()?;
        stem = folder;
    }
    if generator == Generator::Jekyll && dated_file_name(name) {
        stem = stem.get(11..)?;
    }
    let stem = stem.trim();
    (!stem.is_empty()).then(|| stem.to_owned())
}

/// `text` as a YAML scalar: plain when YAML would read it back as the same string,
/// single-quoted otherwise.
fn yaml_string(text: &str, generator: Generator) -> String {
    let plain = Value::Scalar {
        text: text.to_owned(),
        style: ScalarStyle::Plain,
        raw_range: 0..0,
    };
    let safe_start = text
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_');
    let safe_chars = text
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' '));
    if safe_start && safe_chars && shape_of(&plain, generator) == Shape::String {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "''"))
    }
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jekyll_dates_come_from_file_names() {
        assert!(dated_file_name("2022-06-14-hello.md"));
        assert!(!dated_file_name("2022-6-14-hello.md"));
        assert!(!dated_file_name("hello.md"));
        assert_eq!(
            default_required(Generator::Jekyll, Some("_posts/2022-06-14-a.md")),
            ["title"]
        );
        assert_eq!(
            default_required(Generator::Jekyll, Some("_posts/a.md")),
            ["title", "date"]
        );
        assert_eq!(default_required(Generator::Hexo, None), ["title"]);
        assert_eq!(default_required(Generator::Plain, None), ["title"]);
        assert_eq!(default_required(Generator::Hugo, None), ["title", "date"]);
    }

    #[test]
    fn titles_come_from_file_names() {
        assert_eq!(
            title_from_path("_posts/2022-06-14-hello-world.md", Generator::Jekyll).as_deref(),
            Some("hello-world")
        );
        assert_eq!(
            title_from_path("content/post/my-trip/index.md", Generator::Hugo).as_deref(),
            Some("my-trip")
        );
        assert_eq!(yaml_string("科技 新闻", Generator::Hexo), "科技 新闻");
        assert_eq!(yaml_string("true", Generator::Hexo), "'true'");
        assert_eq!(yaml_string("it's: here", Generator::Hexo), "'it''s: here'");
        assert_eq!(yaml_string("2022", Generator::Hexo), "'2022'");
    }
}

#[cfg(test)]
mod snapshots {
    use super::super::value_rules_test_support::{config, snapshot};
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
    fn hugo_toml_needs_title_and_date() {
        let text = "+++\ndraft = false\n+++\nBody\n";
        insta::assert_snapshot!(check(
            text,
            "content/post/my-trip/index.md",
            Generator::Hugo
        ));
    }

    #[test]
    fn hugo_takes_the_date_from_its_aliases() {
        let text = "---\nTitle: Hi\nlastmod: 2022-06-14\n---\n";
        assert_eq!(check(text, "content/a.md", Generator::Hugo), "");
    }

    #[test]
    fn jekyll_dated_file_names_need_no_date_crlf() {
        let text = "---\r\nlayout: post\r\n---\r\nBody\r\n";
        insta::assert_snapshot!(check(
            text,
            "_posts/2022-06-14-it's-here.md",
            Generator::Jekyll
        ));
        insta::assert_snapshot!(check(text, "_posts/untitled.md", Generator::Jekyll));
    }

    #[test]
    fn inserted_lines_use_the_posts_line_ending() {
        let text = "---\r\nlayout: post\r\n---\r\n";
        let diagnostics = crate::rules::test_support::lint_code(
            text,
            Some("_posts/a.md"),
            config(Generator::Jekyll),
            &SiteIndex::new(),
            "FM006",
        );
        let inserted: Vec<&str> = diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .map(|fix| fix.edits[0].replacement.as_str())
            .collect();
        assert_eq!(
            inserted,
            ["title: a\r\n", "date: 2026-11-27 19:15:53 +0800\r\n"]
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
        config.now = None;
        let text = "---\ntitle: x\n---\n";
        insta::assert_snapshot!(snapshot(text, "a.md", config, &SiteIndex::new(), "FM006"));
    }
}
