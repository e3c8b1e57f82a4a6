use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::document::Context;

declare_rule! {
    /// ## What it does
    /// Flags a post that has no front matter at all.
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
        if ctx.doc.front_matter.is_some() || text.trim().is_empty() {
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
}
