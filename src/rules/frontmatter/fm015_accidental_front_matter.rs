use crate::config::Generator;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::document::Context;
use crate::frontmatter::{Format, FrontMatter};

declare_rule! {
    /// ## What it does
    /// (Hexo) Flags a post without an opening fence whose first lines are followed
    /// by a line starting with `---` (or `;;;`): Hexo's "fenceless" front-matter
    /// syntax reads every line above it as front matter.
    ///
    /// Only reported when Hexo really takes the lines as data: they parse as a YAML
    /// mapping or list, fail to parse, or are valid JSON members. A plain paragraph
    /// parses as a string, which Hexo leaves in the body.
    ///
    /// ## Why it matters
    /// The lines vanish from the page (or, when they are not valid YAML, Hexo fails
    /// on the post), and a `---` meant as a rule or a heading underline disappears
    /// with them. Typical cause: an imported post whose opening fence was lost, or
    /// a first line like `Update: …` above a horizontal rule.
    ///
    /// ## Example
    /// ```markdown
    /// title: 标题
    /// date: 2022-06-14 15:00:49
    /// ---
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
    /// Safe, following the author's evident intent. When the lines look like
    /// front-matter keys (`key: value`), an opening `---` fence is inserted above
    /// them. Otherwise the text was meant as body: an empty front-matter block
    /// (`---`, `{}`, `---`) is inserted at the top, which stops Hexo from looking
    /// further down (a blank line would not: Hexo's splitter skips over it).
    pub struct AccidentalFrontMatter {
        code: "FM015", name: "accidental-front-matter", severity: Warning, fix: Safe,
    }
}

impl AccidentalFrontMatter {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        if ctx.config.generator != Generator::Hexo {
            return;
        }
        let Some(fm) = &ctx.doc.front_matter else {
            return;
        };
        let Some(separator) = &fm.close_fence else {
            return;
        };
        if !fm.implicit() {
            return;
        }
        let text = ctx.doc.text;
        let newline = ctx.doc.newline();
        let lines = &text[fm.content.clone()];
        let end = fm.content.start + lines.trim_end().len();
        let separator_text = ctx.doc.slice(separator.clone());
        let consequence = if fm.error.is_some() {
            "fails to parse them and skips the post"
        } else {
            "they vanish from the page"
        };
        let message = format!(
            "no opening fence: Hexo reads the lines above `{}` as front matter and {consequence}",
            separator_text.chars().take(3).collect::<String>()
        );
        // A `;;;` block that parses as a JSON object is data however its lines
        // break (a list spread over lines, `]` at column 0).
        let json_data = fm.format == Format::Json && fm.error.is_none() && !fm.entries.is_empty();
        let fix = if json_data || looks_like_keys(lines, fm) {
            let fence = if fm.format == Format::Json {
                ";;;"
            } else {
                "---"
            };
            Fix::safe(
                format!("Insert an opening `{fence}` fence above"),
                vec![Edit::insert(fm.content.start, format!("{fence}{newline}"))],
            )
        } else {
            Fix::safe(
                "Insert an empty front matter block so these lines stay in the body",
                vec![Edit::insert(
                    fm.content.start,
                    format!("---{newline}{{}}{newline}---{newline}"),
                )],
            )
        };
        let mut diagnostic =
            Diagnostic::new(&Self::META, fm.content.start..end, message).with_fix(fix);
        // Hexo drops a post whose implicit block is not valid YAML.
        if fm.error.is_some() {
            diagnostic.severity = Severity::Error;
        }
        out.push(diagnostic);
    }
}

/// Every line is a `key:` line (lowercase-first identifier, or a quoted JSON key),
/// an indented continuation or a list item, and the first one is a key line.
fn looks_like_keys(lines: &str, fm: &FrontMatter) -> bool {
    let mut saw_key = false;
    for line in lines.lines().map(|line| line.trim_end()) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let continuation = line.starts_with([' ', '\t', '-']);
        if continuation && saw_key {
            continue;
        }
        let key = if fm.format == Format::Json {
            line.strip_prefix('"')
                .and_then(|rest| rest.split_once('"'))
                .filter(|(_, after)| after.trim_start().starts_with(':'))
                .map(|(key, _)| key)
        } else {
            line.split_once(':')
                .filter(|(_, after)| after.is_empty() || after.starts_with([' ', '\t']))
                .map(|(key, _)| key)
                .filter(|key| {
                    key.starts_with(|c: char| c.is_ascii_lowercase())
                        && key
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                })
        };
        if key.is_none() {
            return false;
        }
        saw_key = true;
    }
    saw_key
}

#[cfg(test)]
mod tests {
    use crate::config::Generator;
    use crate::rules::test_support::{lint_for, render};

    fn lint(text: &str, generator: Generator) -> Vec<crate::diagnostic::Diagnostic> {
        lint_for(text, generator, "FM015")
    }

    fn check(text: &str) -> String {
        render(text, &lint(text, Generator::Hexo))
    }

    fn fixed(text: &str) -> String {
        let diagnostics = lint(text, Generator::Hexo);
        crate::fix::apply_fixes(text, diagnostics.iter().filter_map(|d| d.fix.as_ref())).0
    }

    #[test]
    fn keys_without_opening_fence() {
        let text = "title: 标题\r\ndate: 2022-06-14\r\n---\r\n正文\r\n";
        insta::assert_snapshot!(check(text));
        let fixed = fixed(text);
        assert_eq!(
            fixed,
            "---\r\ntitle: 标题\r\ndate: 2022-06-14\r\n---\r\n正文\r\n"
        );
        assert!(lint(&fixed, Generator::Hexo).is_empty());
    }

    #[test]
    fn prose_above_a_rule_stays_body() {
        let text = "Update: 本文已更新\n---\n正文\n";
        insta::assert_snapshot!(check(text));
        let fixed = fixed(text);
        assert_eq!(fixed, "---\n{}\n---\nUpdate: 本文已更新\n---\n正文\n");
        assert!(lint(&fixed, Generator::Hexo).is_empty());
    }

    #[test]
    fn plain_paragraph_is_not_data() {
        assert_eq!(check("一段正文\n---\n更多正文\n"), "");
        assert_eq!(check("---\ntitle: x\n---\n正文\n---\n"), "");
    }

    #[test]
    fn invalid_yaml_above_a_rule_drops_the_post() {
        use crate::diagnostic::Severity;
        let text = "Title: [broken\n---\n正文\n";
        let diagnostics = lint(text, Generator::Hexo);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].severity, Severity::Error);
        let valid = "Update: 本文已更新\n---\n正文\n";
        assert_eq!(lint(valid, Generator::Hexo)[0].severity, Severity::Warning);
    }

    #[test]
    fn a_valid_multi_line_json_block_gets_its_fence() {
        let text = "\"title\": \"multi\",\n\"tags\": [\n  \"a\",\n  \"b\"\n]\n;;;\nbody\n";
        let fixed = fixed(text);
        assert_eq!(fixed, format!(";;;\n{text}"));
        assert!(lint(&fixed, Generator::Hexo).is_empty());
    }

    #[test]
    fn only_on_hexo_sites() {
        assert!(lint("title: x\n---\n", Generator::Jekyll).is_empty());
        assert!(lint("title: x\n---\n", Generator::Plain).is_empty());
    }
}
