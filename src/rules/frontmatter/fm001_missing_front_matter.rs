use std::ops::Range;

use crate::config::Generator;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Context;
use crate::frontmatter::unread_by;

declare_rule! {
    /// ## What it does
    /// Flags a post that has no front matter at all.
    ///
    /// Also flags, as an error, a block the site's generator does not read: `+++`
    /// (TOML) on Hexo and Jekyll, `;;;` on Hugo and Jekyll, a fence followed by
    /// spaces or a `...` closing fence on Hexo, `...` on Hugo (the build fails),
    /// a byte-order mark before the fence on Jekyll.
    ///
    /// An empty or whitespace-only file is not flagged: it is a post being
    /// started, and there is nothing in it to point at.
    ///
    /// ## Why it matters
    /// Without front matter a post has no title, date, categories or tags: Jekyll
    /// does not even treat the file as a post, Hugo and Hexo fall back to the file
    /// name and the file's dates, and the post is missing from every taxonomy page.
    ///
    /// ## Example
    /// ```markdown
    /// # 新浪财经头条
    ///
    /// 正文……
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// ---
    /// title: 新浪财经头条
    /// date: 2022-06-14 15:00:49
    /// ---
    /// 正文……
    /// ```
    ///
    /// ## Fix
    /// None: only the author knows the title and date. Add a `---` block at the top.
    pub struct MissingFrontMatter {
        code: "FM001", name: "missing-front-matter", severity: Warning, fix: None,
    }
}

impl MissingFrontMatter {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let text = ctx.doc.text;
        let fenced = ctx.doc.front_matter.as_ref().filter(|fm| !fm.implicit());
        if fenced.is_none()
            && let Some((range, reason)) = unread_fence_like(ctx.config.generator, text)
        {
            let mut diagnostic = Diagnostic::new(&Self::META, range, reason);
            diagnostic.severity = Severity::Error;
            out.push(diagnostic);
            return;
        }
        if let Some(fm) = &ctx.doc.front_matter {
            if let Some(reason) = unread_by(ctx.config.generator, text, fm, ctx.doc.bom) {
                let mut diagnostic = Diagnostic::new(
                    &Self::META,
                    fm.open_fence.clone(),
                    format!(
                        "{reason}: the post has no front matter for it and shows the block as text"
                    ),
                );
                diagnostic.severity = Severity::Error;
                out.push(diagnostic);
            }
            return;
        }
        if text.trim().is_empty() {
            return;
        }
        let first_line_end = text.find(['\r', '\n']).unwrap_or(text.len());
        out.push(Diagnostic::new(
            &Self::META,
            0..first_line_end,
            "post has no front matter: add a `---` block with at least a title",
        ));
    }
}

/// A first line that is a fence to some generator but not to this one (an
/// indented `---`, `----`, Hugo's JSON `{`): the author meant front matter, and
/// the generator loses it (Hexo drops the post when it then reads invalid YAML).
fn unread_fence_like(generator: Generator, text: &str) -> Option<(Range<usize>, String)> {
    let start = text.len() - text.trim_start_matches(['\u{FEFF}', '\r', '\n']).len();
    let line_end = text[start..]
        .find(['\r', '\n'])
        .map_or(text.len(), |at| start + at);
    let line = &text[start..line_end];
    let fence = line.trim();
    let indented = line.starts_with([' ', '\t']) && matches!(fence, "---" | "+++" | ";;;");
    let long_dashes = fence.len() > 3 && fence.bytes().all(|b| b == b'-');
    let reason = match generator {
        Generator::Hexo if indented => {
            "an indented fence: Hexo reads the lines up to the next `---` as YAML and drops the post when they are not"
        }
        Generator::Hexo if fence == "{" => "Hexo does not read `{…}` (JSON) front matter",
        Generator::Jekyll if indented || long_dashes => {
            "Jekyll reads front matter only after `---` alone on the first line"
        }
        Generator::Jekyll if fence == "{" => "Jekyll does not read `{…}` (JSON) front matter",
        Generator::Hugo if long_dashes => "Hugo does not accept this fence: the build fails",
        _ => return None,
    };
    Some((
        start..line_end,
        format!("{reason}: the post has no front matter for it"),
    ))
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::rules::test_support::{lint_code, render};
    use crate::site::SiteIndex;

    fn check(text: &str) -> String {
        let site = SiteIndex::new();
        render(
            text,
            &lint_code(text, None, Config::default(), &site, "FM001"),
        )
    }

    #[test]
    fn flags_a_post_without_front_matter() {
        insta::assert_snapshot!(check("# 新浪财经头条\n\n正文\n"));
    }

    #[test]
    fn quiet_with_front_matter_or_empty_file() {
        assert_eq!(check("---\ntitle: x\n---\nbody\n"), "");
        assert_eq!(check("+++\ntitle = \"x\"\n+++\n"), "");
        assert_eq!(check(""), "");
        assert_eq!(check("\n  \n"), "");
    }

    #[test]
    fn blocks_the_generator_does_not_read_are_errors() {
        use crate::config::Generator;
        use crate::diagnostic::Severity;
        use crate::rules::test_support::lint_for;
        let error = |text: &str, generator| {
            lint_for(text, generator, "FM001")
                .first()
                .is_some_and(|d| d.severity == Severity::Error)
        };
        let toml = "+++\ntitle = \"x\"\n+++\n";
        assert!(error(toml, Generator::Hexo) && error(toml, Generator::Jekyll));
        assert!(lint_for(toml, Generator::Hugo, "FM001").is_empty());
        let trailing = "--- \ntitle: x\n---\n";
        assert!(error(trailing, Generator::Hexo));
        assert!(lint_for(trailing, Generator::Jekyll, "FM001").is_empty());
        let indented = " ---\ntitle: x\n---\n";
        assert!(error(indented, Generator::Hexo) && error(indented, Generator::Jekyll));
        let dashes = "----\ntitle: x\n----\n";
        assert!(error(dashes, Generator::Hugo) && error(dashes, Generator::Jekyll));
        assert!(!error(dashes, Generator::Hexo));
        let json = "{\n\"title\": \"x\"\n}\n";
        assert!(error(json, Generator::Hexo) && !error(json, Generator::Hugo));
    }

    #[test]
    fn a_bom_the_shell_removed_is_an_error_on_jekyll_only() {
        use crate::Linter;
        use crate::config::Generator;
        use crate::diagnostic::Severity;
        let text = "---\ntitle: x\n---\nbody\n";
        let site = SiteIndex::new();
        let fm001 = |generator, bom| {
            let config = Config {
                generator,
                ..Config::default()
            };
            Linter::new(config)
                .check_file(text, bom, None, &site)
                .into_iter()
                .filter(|d| d.code == "FM001")
                .map(|d| (d.severity, d.range))
                .collect::<Vec<_>>()
        };
        assert_eq!(fm001(Generator::Jekyll, true), [(Severity::Error, 0..3)]);
        assert!(fm001(Generator::Jekyll, false).is_empty());
        assert!(fm001(Generator::Hexo, true).is_empty());
        assert!(fm001(Generator::Hugo, true).is_empty());
    }
}
