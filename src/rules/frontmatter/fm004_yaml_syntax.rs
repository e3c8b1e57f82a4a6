use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::document::Context;
use crate::frontmatter::Format;

declare_rule! {
    /// ## What it does
    /// Flags front matter that its parser rejects, at the exact position of the
    /// error, with the parser's message. YAML (`---`) and TOML (`+++`) blocks are
    /// checked; Hexo's JSON blocks have their own rule (FM016), and an unclosed
    /// block is FM003's business.
    ///
    /// ## Why it matters
    /// Hugo and Jekyll stop the build on invalid front matter; Hexo reports an error
    /// and skips the post. A common cause in imported posts is an unquoted title
    /// holding `: ` or starting with `[`, `@` or `` ` ``.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// title: 快讯: 美股收盘
    /// ---
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// ---
    /// title: '快讯: 美股收盘'
    /// ---
    /// ```
    ///
    /// ## Fix
    /// None: quote the value or fix the indentation at the reported position.
    pub struct YamlSyntax {
        code: "FM004", name: "yaml-syntax", severity: Error, fix: None,
    }
}

impl YamlSyntax {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(fm) = &ctx.doc.front_matter else {
            return;
        };
        if fm.implicit() || fm.close_fence.is_none() || fm.format == Format::Json {
            return;
        }
        let Some(error) = &fm.error else {
            return;
        };
        let language = if fm.format == Format::Toml {
            "TOML"
        } else {
            "YAML"
        };
        out.push(Diagnostic::new(
            &Self::META,
            error.range.clone(),
            format!("invalid {language} in front matter: {}", error.message),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::rules::test_support::{lint_code, render};
    use crate::site::SiteIndex;

    fn check(text: &str) -> String {
        render(
            text,
            &lint_code(text, None, Config::default(), &SiteIndex::new(), "FM004"),
        )
    }

    #[test]
    fn unquoted_colon_in_title() {
        insta::assert_snapshot!(check(
            "---\ndate: 2022-06-14\ntitle: 快讯: 美股收盘 🚀\n---\n"
        ));
    }

    #[test]
    fn bad_indentation_with_crlf() {
        insta::assert_snapshot!(check("---\r\ntags:\r\n  - a\r\n - b\r\n---\r\n"));
    }

    #[test]
    fn toml_error() {
        insta::assert_snapshot!(check("+++\ntitle = \"x\"\ndate = \n+++\n"));
    }

    #[test]
    fn quiet_on_valid_or_unclosed() {
        assert_eq!(check("---\ntitle: '快讯: 美股'\n---\n"), "");
        assert_eq!(check("---\ntitle: a: b\n"), "");
    }
}
