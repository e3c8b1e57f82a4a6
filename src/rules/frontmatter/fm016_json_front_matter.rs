use crate::config::Generator;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::document::Context;
use crate::frontmatter::Format;

declare_rule! {
    /// ## What it does
    /// (Hexo) Flags a `;;;` JSON front-matter block that is not valid JSON, at the
    /// position of the error. Hexo reads the block as the members of an object
    /// WITHOUT the outer braces: it parses `{` + block + `}`.
    ///
    /// ## Why it matters
    /// Hexo silently ignores an invalid JSON block: the post loses its title, date
    /// and taxonomy, and the block is printed at the top of the page.
    ///
    /// ## Example
    /// ```markdown
    /// ;;;
    /// {"title": "标题", "date": "2022-06-14 15:00:49",}
    /// ;;;
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// ;;;
    /// "title": "标题",
    /// "date": "2022-06-14 15:00:49"
    /// ;;;
    /// ```
    ///
    /// ## Fix
    /// None: correct the JSON at the reported position (no outer braces, no
    /// trailing comma, double quotes only).
    pub struct JsonFrontMatter {
        code: "FM016", name: "json-front-matter", severity: Error, fix: None,
    }
}

impl JsonFrontMatter {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        if ctx.config.generator != Generator::Hexo {
            return;
        }
        let Some(fm) = &ctx.doc.front_matter else {
            return;
        };
        if fm.format != Format::Json || fm.implicit() || fm.close_fence.is_none() {
            return;
        }
        let Some(error) = &fm.error else {
            return;
        };
        let hint = if ctx
            .doc
            .slice(fm.content.clone())
            .trim_start()
            .starts_with('{')
        {
            " (Hexo adds the outer braces itself: remove them)"
        } else {
            ""
        };
        out.push(Diagnostic::new(
            &Self::META,
            error.range.clone(),
            format!(
                "invalid JSON front matter, Hexo ignores the block: {}{hint}",
                error.message
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Generator;
    use crate::rules::test_support::{lint_for, render};

    fn lint(text: &str, generator: Generator) -> Vec<crate::diagnostic::Diagnostic> {
        lint_for(text, generator, "FM016")
    }

    fn check(text: &str) -> String {
        render(text, &lint(text, Generator::Hexo))
    }

    #[test]
    fn trailing_comma() {
        insta::assert_snapshot!(check(";;;\n\"title\": \"标题 🚀\",\n;;;\n正文\n"));
    }

    #[test]
    fn outer_braces() {
        insta::assert_snapshot!(check(";;;\n{\"title\": \"标题\"}\n;;;\n"));
    }

    #[test]
    fn valid_json_and_other_generators() {
        assert_eq!(
            check(";;;\n\"title\": \"标题\",\n\"tags\": [\"a\"]\n;;;\n"),
            ""
        );
        assert!(lint(";;;\n{}}\n;;;\n", Generator::Hugo).is_empty());
    }
}
