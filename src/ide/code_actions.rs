//! Code actions: a quick fix per fixable diagnostic, fix-all (safe fixes) and
//! "remove all leftover markup" (safe and unsafe MK fixes), all through `crate::fix`.
//!
//! Fix-all style actions return one `TextEdit` covering only the changed region
//! (common prefix and suffix trimmed), so the editor keeps the cursor and folds
//! outside it; quick fixes return the fix's own edits.

use std::ops::Range;

use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::fix::fix_to_fixed_point;

/// The kind LSP clients run on save with `source.fixAll`.
pub const FIX_ALL_KIND: &str = "source.fixAll.copydesk";
/// Deliberately outside `source.fixAll`: it deletes visible text and must never run on save.
pub const REMOVE_MARKUP_KIND: &str = "source.removeLeftoverMarkup.copydesk";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    QuickFix,
    FixAll,
    RemoveAllMarkup,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    /// Index of the one diagnostic this action fixes (quick fixes only).
    pub diagnostic: Option<usize>,
    pub edits: Vec<Edit>,
    pub preferred: bool,
}

/// One quick fix for every fixable diagnostic touching `range`.
pub fn quick_fixes(diagnostics: &[Diagnostic], range: Range<usize>) -> Vec<Action> {
    diagnostics
        .iter()
        .enumerate()
        .filter(|(_, d)| d.range.start <= range.end && range.start <= d.range.end)
        .filter_map(|(index, diagnostic)| {
            let fix = diagnostic.fix.as_ref()?;
            let safe = fix.applicability == Applicability::Safe;
            let title = if safe {
                format!("{} ({})", fix.title, diagnostic.code)
            } else {
                format!("{} ({}, deletes visible text)", fix.title, diagnostic.code)
            };
            Some(Action {
                title,
                kind: ActionKind::QuickFix,
                diagnostic: Some(index),
                edits: fix.edits.clone(),
                preferred: safe,
            })
        })
        .collect()
}

/// Every safe fix of the file, repeated until nothing more applies.
pub fn fix_all(text: &str, lint: impl FnMut(&str) -> Vec<Diagnostic>) -> Option<Action> {
    let outcome = fix_to_fixed_point(text, false, lint);
    let count: usize = outcome.applied.values().sum();
    let edit = minimal_edit(text, &outcome.text)?;
    Some(Action {
        title: format!("Fix all safe problems in this file ({count} fixes)"),
        kind: ActionKind::FixAll,
        diagnostic: None,
        edits: vec![edit],
        preferred: false,
    })
}

/// Every fix of the leftover-markup (MK) rules, unsafe ones included.
pub fn remove_all_markup(
    text: &str,
    mut lint: impl FnMut(&str) -> Vec<Diagnostic>,
) -> Option<Action> {
    let outcome = fix_to_fixed_point(text, true, |current| {
        let mut diagnostics = lint(current);
        diagnostics.retain(|d| d.code.starts_with("MK"));
        diagnostics
    });
    let count: usize = outcome.applied.values().sum();
    let edit = minimal_edit(text, &outcome.text)?;
    Some(Action {
        title: format!(
            "Remove all leftover markup in this file ({count} fixes, unsafe: deletes visible text)"
        ),
        kind: ActionKind::RemoveAllMarkup,
        diagnostic: None,
        edits: vec![edit],
        preferred: false,
    })
}

/// One edit turning `old` into `new`, covering only what differs; `None` when equal.
pub fn minimal_edit(old: &str, new: &str) -> Option<Edit> {
    if old == new {
        return None;
    }
    let mut prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Some(Edit::replace(
        prefix..old.len() - suffix,
        &new[prefix..new.len() - suffix],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Fix;
    use crate::fix::apply_edits;

    static DEMO: crate::rules::RuleMeta = crate::rules::RuleMeta {
        code: "MK001",
        name: "cms-comment",
        default_severity: crate::diagnostic::Severity::Warning,
        fix: crate::diagnostic::FixAvailability::Safe,
        doc: "## What it does\nDemo.",
    };

    /// Flags every `<!--x-->` with a safe delete and every `<b>` with an unsafe one.
    fn lint(text: &str) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (at, _) in text.match_indices("<!--x-->") {
            out.push(
                Diagnostic::new(&DEMO, at..at + 8, "comment")
                    .with_fix(Fix::safe("Delete", vec![Edit::delete(at..at + 8)])),
            );
        }
        for (at, _) in text.match_indices("<b>") {
            out.push(
                Diagnostic::new(&DEMO, at..at + 3, "b")
                    .with_fix(Fix::unsafe_("Delete", vec![Edit::delete(at..at + 3)])),
            );
        }
        out
    }

    #[test]
    fn each_quick_fix_names_its_own_diagnostic() {
        let text = "金融<!--x--><b>";
        let diagnostics = lint(text);
        let actions = quick_fixes(&diagnostics, 0..text.len());
        assert_eq!(actions.len(), 2);
        assert_eq!(actions[0].diagnostic, Some(0));
        assert!(actions[0].preferred);
        assert!(!actions[1].preferred);
        assert!(actions[1].title.contains("deletes visible text"));
    }

    #[test]
    fn fix_all_applies_safe_fixes_only_and_is_idempotent() {
        let text = "金融<!--x-->a<!--x--><b>";
        let action = fix_all(text, lint).expect("changes");
        let edits: Vec<&Edit> = action.edits.iter().collect();
        let fixed = apply_edits(text, &edits);
        assert_eq!(fixed, "金融a<b>");
        assert!(fix_all(&fixed, lint).is_none());
        let action = remove_all_markup(text, lint).expect("changes");
        let edits: Vec<&Edit> = action.edits.iter().collect();
        assert_eq!(apply_edits(text, &edits), "金融a");
    }

    #[test]
    fn minimal_edit_respects_char_boundaries() {
        let edit = minimal_edit("金融a", "金科a").expect("differs");
        assert_eq!(apply_edits("金融a", &[&edit]), "金科a");
        assert_eq!(edit.range, 3..6);
    }
}
