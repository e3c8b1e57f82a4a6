use std::ops::Range;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::document::Context;
use crate::suppress::{self, Directive, RuleRef, Verb};

declare_rule! {
    /// ## What it does
    /// Flags `copydesk-disable…` directives that do nothing.
    ///
    /// A directive naming a code or rule name that does not exist, one with a verb copydesk does not
    /// read (`copydesk-disabled`), and a directive, or one rule it names, that
    /// silences no finding where it stands (as ruff's RUF100 does for `noqa`).
    /// Rules turned off in the settings are not reported: they cannot fire.
    ///
    /// ## Why it matters
    /// A suppression outlives the markup it was written for: once the junk is
    /// gone, a left-over directive would silently hide the next real problem on
    /// that line, and a misspelt one never silenced anything.
    ///
    /// ## Example
    /// ```markdown
    /// <p>正文。</p> <!-- copydesk-disable-line MK004 -->
    /// ```
    /// (no tracking attribute on the line) becomes
    /// ```markdown
    /// <p>正文。</p>
    /// ```
    ///
    /// ## Fix
    /// Safe: removes the rule from the directive, or the whole directive when it
    /// names nothing else that is used (a comment renders nothing; a line of its
    /// own between two lines of text keeps a blank line so paragraphs stay apart).
    /// An unknown verb gets no fix: it may be a typo of a directive that was meant.
    pub struct UnusedSuppression {
        code: "CD001", name: "unused-suppression", severity: Warning, fix: Safe,
    }
}

const VERBS: [&str; 5] = [
    "disable",
    "enable",
    "disable-next-line",
    "disable-line",
    "disable-file",
];

impl UnusedSuppression {
    /// What can be told from the directives alone: unknown verbs and rules.
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        for directive in &ctx.doc.directives {
            if directive.verb == Verb::Unknown {
                let hint = if ctx
                    .doc
                    .front_matter
                    .as_ref()
                    .is_some_and(|fm| fm.content.contains(&directive.range.start))
                {
                    " (front matter reads `# copydesk-disable CODE`)".to_owned()
                } else {
                    crate::config::did_you_mean(&directive.verb_text, VERBS)
                        .map_or_else(String::new, |verb| {
                            format!(" (did you mean `copydesk-{verb}`?)")
                        })
                };
                out.push(Diagnostic::new(
                    &Self::META,
                    directive.range.clone(),
                    format!("unknown directive `copydesk-{}`{hint}", directive.verb_text),
                ));
                continue;
            }
            for (index, rule) in directive.rules.iter().enumerate() {
                if is_known(rule) {
                    continue;
                }
                let hint = crate::config::did_you_mean(&rule.text, crate::rules::codes())
                    .map_or_else(String::new, |code| format!(" (did you mean `{code}`?)"));
                let unknown = |other: usize| !is_known(&directive.rules[other]);
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        rule.range.clone(),
                        format!("`{}` names no rule{hint}", rule.text),
                    )
                    .with_fix(removal_fix(ctx, directive, index, &unknown))
                    .unnecessary(),
                );
            }
        }
    }

    /// Leaves out the findings the post's directives silence and, unless CD001 is
    /// off, reports the directives (or the rules they name) that silenced none.
    pub fn apply_directives(ctx: &Context, diagnostics: &mut Vec<Diagnostic>) {
        let directives = &ctx.doc.directives;
        let cannot_fire = |rule: &RuleRef| !is_known(rule) || all_off(ctx, rule);
        let unused = suppress::apply(directives, diagnostics, &cannot_fire);
        let configured = ctx.config.rules.get(Self::META.code).copied();
        if configured == Some(Severity::Off) {
            return;
        }
        for found in &unused {
            let directive = &directives[found.directive];
            let (range, message, fix) = match found.rule {
                Some(index) => {
                    let rule = &directive.rules[index];
                    let unused_here = |other: usize| {
                        !is_known(&directive.rules[other])
                            || unused
                                .iter()
                                .any(|u| u.directive == found.directive && u.rule == Some(other))
                    };
                    (
                        rule.range.clone(),
                        format!(
                            "`{}` in `copydesk-{}` silences nothing here",
                            rule.text, directive.verb_text
                        ),
                        removal_fix(ctx, directive, index, &unused_here),
                    )
                }
                None => (
                    directive.range.clone(),
                    format!("`copydesk-{}` silences nothing here", directive.verb_text),
                    Fix::safe(
                        "Remove the directive",
                        vec![Edit::delete(whole_removal(ctx, directive))],
                    ),
                ),
            };
            let mut diagnostic = Diagnostic::new(&Self::META, range, message)
                .with_fix(fix)
                .unnecessary();
            if let Some(severity) = configured {
                diagnostic.severity = severity;
            }
            diagnostics.push(diagnostic);
        }
    }
}

fn is_known(rule: &RuleRef) -> bool {
    crate::rules::all().any(|entry| rule.names(entry.meta.code, entry.meta.name))
}

/// Whether every rule `rule` names is turned off, so it cannot fire.
fn all_off(ctx: &Context, rule: &RuleRef) -> bool {
    crate::rules::all()
        .filter(|entry| rule.names(entry.meta.code, entry.meta.name))
        .all(|entry| ctx.config.rules.get(entry.meta.code) == Some(&Severity::Off))
}

/// Removes `directive.rules[index]` (with its separator); the whole directive when
/// every rule it names is `removable` (it would otherwise silence every rule).
fn removal_fix(
    ctx: &Context,
    directive: &Directive,
    index: usize,
    removable: &dyn Fn(usize) -> bool,
) -> Fix {
    let rules = &directive.rules;
    if (0..rules.len()).all(removable) {
        return Fix::safe(
            "Remove the directive",
            vec![Edit::delete(whole_removal(ctx, directive))],
        );
    }
    let range = match (rules.get(index + 1), index.checked_sub(1)) {
        (Some(next), _) => rules[index].range.start..next.range.start,
        (None, Some(previous)) => rules[previous].range.end..rules[index].range.end,
        (None, None) => rules[index].range.clone(),
    };
    Fix::safe(
        format!("Remove `{}` from the directive", rules[index].text),
        vec![Edit::delete(range)],
    )
}

/// What deleting the whole directive removes: in the body, the comment as MK001
/// deletes one (a line of its own between two lines of text keeps a blank line);
/// a comment at the end of a line takes the blanks before it (two trailing spaces
/// would become a line break); a line of its own between two blank lines takes
/// one of them, so no blank-line pair is left.
fn whole_removal(ctx: &Context, directive: &Directive) -> Range<usize> {
    let text = ctx.doc.text;
    let in_front_matter = directive.range.start < ctx.doc.body_start;
    let mut range = if in_front_matter {
        directive.range.clone()
    } else {
        crate::rules::markup::removal_range(text, directive.range.clone())
    };
    let line_end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |at| range.end + at);
    let rest_blank = text[range.end..line_end].trim().is_empty();
    let before = &text[..range.start];
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let own_line = range.start == line_start && text[..range.end].ends_with('\n');
    if own_line {
        let blank_before = before.ends_with("\n\n") || before.ends_with("\n\r\n");
        let after = &text[range.end..];
        let blank_after = after.starts_with('\n') || after.starts_with("\r\n");
        if blank_before && blank_after {
            range.end += if after.starts_with('\n') { 1 } else { 2 };
        }
    } else if rest_blank && range.end == directive.range.end {
        let kept = before.trim_end_matches([' ', '\t']).len().max(line_start);
        if in_front_matter && kept == line_start {
            // A comment line of its own in the front matter goes with its line.
            range = line_start..(line_end + 1).min(text.len());
        } else {
            range.start = kept;
        }
    }
    range
}
