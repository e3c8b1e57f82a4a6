use crate::config::Generator;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::document::Context;
use crate::rules::frontmatter::fm008_invalid_date::generator_name;

declare_rule! {
    /// ## What it does
    /// Flags blank or whitespace-only lines before the opening `---`, `+++` or
    /// `;;;` fence of the front matter.
    ///
    /// A UTF-8 byte-order mark alone is not flagged: Jekyll, Hugo and Hexo all
    /// strip it when they read the file, and `copydesk fix` keeps it.
    ///
    /// ## Why it matters
    /// Jekyll only reads front matter that starts on the first line: after a blank
    /// line the whole block is printed as text. Hexo finds the block after exactly
    /// one empty line, but not after two, nor after a line holding only spaces or
    /// tabs (its splitter then takes that line as the front matter, finds nothing
    /// in it, and renders the real block as body text). Where the generator loses
    /// the block (Jekyll, and those cases on Hexo) it is reported as an error.
    ///
    /// ## Example
    /// ```markdown
    ///
    /// ---
    /// title: 标题
    /// ---
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// ---
    /// title: 标题
    /// ---
    /// ```
    ///
    /// ## Fix
    /// Safe: deletes the lines before the fence (a byte-order mark stays).
    pub struct FrontMatterNotAtStart {
        code: "FM002", name: "front-matter-not-at-start", severity: Warning, fix: Safe,
    }
}

const BOM: &str = "\u{FEFF}";

impl FrontMatterNotAtStart {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(fm) = &ctx.doc.front_matter else {
            return;
        };
        if fm.implicit() {
            return;
        }
        let text = ctx.doc.text;
        let start = if text.starts_with(BOM) { BOM.len() } else { 0 };
        let range = start.max(fm.leading.start)..fm.leading.end;
        if range.is_empty() {
            return;
        }
        let leading = &text[range.clone()];
        let lines = leading.matches('\n').count();
        let has_whitespace = leading.contains([' ', '\t']);
        // Hexo finds the block only after a single empty line (it reads CRLF as LF);
        // Jekyll only when `---` is the file's first line.
        let generator_misses = match ctx.config.generator {
            Generator::Hexo => !matches!(leading, "\n" | "\r\n"),
            Generator::Jekyll => true,
            Generator::Hugo | Generator::Plain => false,
        };
        let what = match (lines, has_whitespace) {
            (1, false) => "a blank line".to_owned(),
            (1, true) => "a line of spaces or tabs".to_owned(),
            (n, false) => format!("{n} blank lines"),
            (n, true) => format!("{n} blank lines, some holding spaces or tabs"),
        };
        let message = if generator_misses {
            let name = generator_name(ctx.config.generator);
            format!(
                "{what} before the front matter: {name} does not find the block and shows it as text"
            )
        } else {
            format!("{what} before the front matter: it must start on the first line")
        };
        let mut diagnostic =
            Diagnostic::new(&Self::META, range.clone(), message).with_fix(Fix::safe(
                "Delete the lines before the front matter",
                vec![Edit::delete(range)],
            ));
        if generator_misses {
            diagnostic.severity = Severity::Error;
        }
        out.push(diagnostic);
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, Generator};
    use crate::diagnostic::Severity;
    use crate::rules::test_support::{lint_code, lint_for, render};
    use crate::site::SiteIndex;

    fn lint(text: &str, generator: Generator) -> Vec<crate::diagnostic::Diagnostic> {
        lint_for(text, generator, "FM002")
    }

    fn check(text: &str, generator: Generator) -> String {
        render(text, &lint(text, generator))
    }

    #[test]
    fn blank_line_before_fence() {
        let text = "\n---\ntitle: 标题\n---\nbody\n";
        insta::assert_snapshot!(check(text, Generator::Jekyll));
        let diagnostics = lint(text, Generator::Hexo);
        assert_eq!(diagnostics[0].severity, Severity::Warning);
        // Jekyll reads front matter only from the first line: the block is lost.
        assert_eq!(lint(text, Generator::Jekyll)[0].severity, Severity::Error);
        assert_eq!(lint(text, Generator::Hugo)[0].severity, Severity::Warning);
    }

    #[test]
    fn whitespace_line_is_an_error_for_hexo() {
        let text = "  \t\n---\ntitle: 标题\n---\n";
        insta::assert_snapshot!(check(text, Generator::Hexo));
        assert_eq!(lint(text, Generator::Hexo)[0].severity, Severity::Error);
        assert_eq!(lint(text, Generator::Hugo)[0].severity, Severity::Warning);
        let two_blank = "\r\n\r\n---\r\ntitle: x\r\n---\r\n";
        assert_eq!(
            lint(two_blank, Generator::Hexo)[0].severity,
            Severity::Error
        );
    }

    #[test]
    fn configured_severity_still_wins() {
        let mut config = Config {
            generator: Generator::Hexo,
            ..Config::default()
        };
        config.rules.insert("FM002".into(), Severity::Info);
        let text = " \n---\ntitle: x\n---\n";
        let diagnostics = lint_code(text, None, config, &SiteIndex::new(), "FM002");
        assert_eq!(diagnostics[0].severity, Severity::Info);
    }

    #[test]
    fn fix_keeps_the_bom_and_is_idempotent() {
        let text = "\u{FEFF}\n\n---\ntitle: x\n---\nbody";
        let diagnostics = lint(text, Generator::Hexo);
        let fixed =
            crate::fix::apply_fixes(text, diagnostics.iter().filter_map(|d| d.fix.as_ref()));
        assert_eq!(fixed.0, "\u{FEFF}---\ntitle: x\n---\nbody");
        assert!(lint(&fixed.0, Generator::Hexo).is_empty());
        assert!(lint("\u{FEFF}---\ntitle: x\n---\n", Generator::Jekyll).is_empty());
    }
}
