use crate::config::Generator;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::document::Context;
use crate::frontmatter::{Format, FrontMatter};

declare_rule! {
    /// ## What it does
    /// (Hexo) Flags a post without an opening fence whose first lines, body text
    /// rather than `key: value` data, are followed by a line starting with `---`
    /// (or `;;;`): Hexo's "fenceless" front-matter syntax reads every line above
    /// it as front matter.
    ///
    /// Only reported when Hexo takes body text as data: lines that parse as YAML
    /// data but are not `key: value` front matter, or lines that fail to parse. A
    /// plain paragraph parses as a string, which Hexo leaves in the body; Hexo's
    /// documented fence-less front matter (valid `key: value` lines or JSON
    /// members) is what the author meant and is not flagged.
    ///
    /// ## Why it matters
    /// The lines vanish from the page (or, when they are not valid YAML, Hexo fails
    /// on the post), and a `---` meant as a rule or a heading underline disappears
    /// with them. Typical cause: an imported post whose opening fence was lost, or
    /// a first line like `Update: …` above a horizontal rule.
    ///
    /// ## Example
    /// ```markdown
    /// Update: 本文已更新
    /// ---
    /// 正文……
    /// ```
    ///
    /// Use instead:
    /// ```markdown
    /// ---
    /// {}
    /// ---
    /// Update: 本文已更新
    /// ---
    /// 正文……
    /// ```
    ///
    /// ## Fix
    /// Safe for body text: an empty front-matter block (`---`, `{}`, `---`) is
    /// inserted at the top, which keeps the lines in the body (a blank line would
    /// not: Hexo's splitter skips over it). When the lines are `key: value` data
    /// that fail to parse, the fix inserts an opening fence and is unsafe: the
    /// block still needs its YAML repaired.
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
        // A `;;;` block that parses as a JSON object is data however its lines
        // break (a list spread over lines, `]` at column 0).
        let json_data = fm.format == Format::Json && fm.error.is_none() && !fm.entries.is_empty();
        let key_lines = json_data || looks_like_keys(lines, fm);
        if key_lines && fm.error.is_none() {
            // Hexo's documented fence-less front matter: read as the author meant.
            return;
        }
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
        let fix = if key_lines {
            let fence = if fm.format == Format::Json {
                ";;;"
            } else {
                "---"
            };
            Fix::unsafe_(
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
    fn documented_fenceless_front_matter_is_not_flagged() {
        assert_eq!(
            check("title: 标题\r\ndate: 2022-06-14\r\n---\r\n正文\r\n"),
            ""
        );
        assert_eq!(check("title: x\ntags:\n- a\n- b\n\n---\n正文\n"), "");
    }

    #[test]
    fn broken_key_lines_get_an_unsafe_fence() {
        let text = "title: [broken\n---\n正文\n";
        let diagnostics = lint(text, Generator::Hexo);
        assert_eq!(diagnostics.len(), 1);
        let fix = diagnostics[0].fix.as_ref().expect("a fix");
        assert_eq!(fix.applicability, crate::diagnostic::Applicability::Unsafe);
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
    fn a_valid_multi_line_json_block_is_data() {
        let text = "\"title\": \"multi\",\n\"tags\": [\n  \"a\",\n  \"b\"\n]\n;;;\nbody\n";
        assert!(lint(text, Generator::Hexo).is_empty());
    }

    #[test]
    fn only_on_hexo_sites() {
        assert!(lint("Update: x\n---\n", Generator::Jekyll).is_empty());
        assert!(lint("Update: x\n---\n", Generator::Plain).is_empty());
    }
}
