use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::document::Context;

declare_rule! {
    /// ## What it does
    /// Flags an opening front-matter fence (`---`, `+++`, `;;;`) that is never
    /// closed by the same fence.
    ///
    /// ## Why it matters
    /// Without the closing fence no generator reads the block as front matter: the
    /// post loses its title, date and taxonomy, and the fence and the keys are
    /// printed at the top of the page.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// title: 标题
    /// date: 2022-06-14 15:00:49
    ///
    /// 正文……
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// ---
    /// title: 标题
    /// date: 2022-06-14 15:00:49
    /// ---
    /// 正文……
    /// ```
    ///
    /// ## Fix
    /// None: only the author knows where the front matter ends. Add the closing
    /// fence after the last key.
    pub struct UnterminatedFrontMatter {
        code: "FM003", name: "unterminated-front-matter", severity: Error, fix: None,
    }
}

impl UnterminatedFrontMatter {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(fm) = &ctx.doc.front_matter else {
            return;
        };
        if fm.close_fence.is_some() || fm.implicit() {
            return;
        }
        let fence = ctx.doc.slice(fm.open_fence.clone()).trim_end();
        out.push(Diagnostic::new(
            &Self::META,
            fm.open_fence.clone(),
            format!(
                "front matter opened here is never closed: add a `{fence}` line after the last key"
            ),
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
            &lint_code(text, None, Config::default(), &SiteIndex::new(), "FM003"),
        )
    }

    #[test]
    fn flags_unclosed_yaml_and_toml() {
        insta::assert_snapshot!(check("---\ntitle: 标题\n\n正文\n"));
        insta::assert_snapshot!("toml", check("+++\r\ntitle = \"x\"\r\n"));
    }

    #[test]
    fn quiet_when_closed() {
        assert_eq!(check("---\ntitle: x\n---\n"), "");
        assert_eq!(check("---\ntitle: x\n...\n"), "");
    }
}
