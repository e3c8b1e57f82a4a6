//! The one place fixes are applied: `fix`, `--dry-run`, quick fixes and fix-all all use it.

use std::collections::{BTreeMap, HashSet};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};

/// Most passes `fix_to_fixed_point` makes; real posts settle in two or three.
const MAX_PASSES: usize = 10;

/// Applies `edits` (byte ranges into `text`), in order of position. The caller
/// guarantees they do not overlap (see [`select_non_overlapping`]).
pub fn apply_edits(text: &str, edits: &[&Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|edit| (edit.range.start, edit.range.end));
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for edit in sorted {
        if edit.range.start < cursor || edit.range.end > text.len() {
            continue;
        }
        out.push_str(&text[cursor..edit.range.start]);
        out.push_str(&edit.replacement);
        cursor = edit.range.end;
    }
    out.push_str(&text[cursor..]);
    out
}

/// Picks fixes whose edits do not overlap any edit of an earlier-picked fix, in the
/// given order. Two insertions at the same offset count as overlapping, so the
/// result never depends on which of them would go first.
pub fn select_non_overlapping<'a>(fixes: impl IntoIterator<Item = &'a Fix>) -> Vec<&'a Fix> {
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut chosen = Vec::new();
    for fix in fixes {
        let clashes = fix.edits.iter().any(|edit| {
            taken.iter().any(|&(start, end)| {
                let (s, e) = (edit.range.start, edit.range.end);
                (s < end && start < e) || (s == start && (s == e || start == end))
            })
        });
        let self_overlapping = fix.edits.iter().enumerate().any(|(i, a)| {
            fix.edits[i + 1..]
                .iter()
                .any(|b| a.range.start < b.range.end && b.range.start < a.range.end)
        });
        if clashes || self_overlapping {
            continue;
        }
        taken.extend(
            fix.edits
                .iter()
                .map(|edit| (edit.range.start, edit.range.end)),
        );
        chosen.push(fix);
    }
    chosen
}

/// Applies whole fixes (all their edits or none) that do not overlap each other.
/// Returns the new text and the fixes that were applied.
pub fn apply_fixes<'a>(
    text: &str,
    fixes: impl IntoIterator<Item = &'a Fix>,
) -> (String, Vec<&'a Fix>) {
    let chosen = select_non_overlapping(fixes);
    let edits: Vec<&Edit> = chosen.iter().flat_map(|fix| fix.edits.iter()).collect();
    (apply_edits(text, &edits), chosen)
}

/// Result of fixing one text until nothing more applies.
#[derive(Debug, Default)]
pub struct FixOutcome {
    pub text: String,
    /// Applied fixes per rule code.
    pub applied: BTreeMap<&'static str, usize>,
    /// What the last pass still reports.
    pub remaining: Vec<Diagnostic>,
    /// Set when the fixes were checked and not applied: `text` is then the
    /// original and `applied` is empty.
    pub rejected: Option<Rejection>,
}

/// Why a set of fixes was not applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// The fixed text has errors the original did not have (codes, in order).
    NewErrors(Vec<&'static str>),
    /// A pass brought back an earlier text: the fixes undo each other.
    Cycle,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rejection::NewErrors(codes) => {
                write!(f, "they would introduce new errors ({})", codes.join(", "))
            }
            Rejection::Cycle => write!(f, "they undo each other"),
        }
    }
}

/// Lints, applies every fix allowed by `include_unsafe`, and repeats until a pass
/// applies nothing (fixes can uncover or merge other problems). The result is
/// checked: when it has an error the original did not have (invalid front
/// matter, an unclosed block) or a pass brings back an earlier text, nothing is
/// applied and [`FixOutcome::rejected`] says why.
pub fn fix_to_fixed_point(
    text: &str,
    include_unsafe: bool,
    mut lint: impl FnMut(&str) -> Vec<Diagnostic>,
) -> FixOutcome {
    let mut current = text.to_owned();
    let mut applied: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut first_lint: Option<Vec<Diagnostic>> = None;
    let mut remaining = None;
    for _ in 0..MAX_PASSES {
        let diagnostics = lint(&current);
        let original = first_lint.get_or_insert_with(|| diagnostics.clone());
        let fixable = diagnostics.iter().filter_map(|d| {
            let fix = d.fix.as_ref()?;
            (include_unsafe || fix.applicability == Applicability::Safe).then_some((d.code, fix))
        });
        let (codes, fixes): (Vec<&'static str>, Vec<&Fix>) = fixable.unzip();
        let chosen = select_non_overlapping(fixes.iter().copied());
        if chosen.is_empty() {
            let new_errors = new_error_codes(original, &diagnostics);
            if !new_errors.is_empty() {
                return rejected(text, original, Rejection::NewErrors(new_errors));
            }
            remaining = Some(diagnostics);
            break;
        }
        for fix in &chosen {
            let index = fixes
                .iter()
                .position(|f| std::ptr::eq(*f, *fix))
                .unwrap_or(0);
            *applied.entry(codes[index]).or_default() += 1;
        }
        let edits: Vec<&Edit> = chosen.iter().flat_map(|fix| fix.edits.iter()).collect();
        let next = apply_edits(&current, &edits);
        seen.insert(std::mem::replace(&mut current, next));
        if seen.contains(&current) {
            let original = first_lint.unwrap_or_default();
            return rejected(text, &original, Rejection::Cycle);
        }
    }
    let remaining = remaining.unwrap_or_else(|| lint(&current));
    FixOutcome {
        text: current,
        applied,
        remaining,
        rejected: None,
    }
}

/// Error codes the fixed text reports more often than the original did.
fn new_error_codes(original: &[Diagnostic], fixed: &[Diagnostic]) -> Vec<&'static str> {
    let errors = |diagnostics: &[Diagnostic]| {
        let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
        for diagnostic in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
            *counts.entry(diagnostic.code).or_default() += 1;
        }
        counts
    };
    let before = errors(original);
    errors(fixed)
        .into_iter()
        .filter(|(code, count)| before.get(code).is_none_or(|old| count > old))
        .map(|(code, _)| code)
        .collect()
}

fn rejected(text: &str, original: &[Diagnostic], why: Rejection) -> FixOutcome {
    FixOutcome {
        text: text.to_owned(),
        applied: BTreeMap::new(),
        remaining: original.to_vec(),
        rejected: Some(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_edits_in_position_order() {
        let a = Edit::replace(6..11, "there");
        let b = Edit::delete(0..1);
        let c = Edit::insert(11, "!");
        assert_eq!(apply_edits("hello world", &[&a, &b, &c]), "ello there!");
    }

    #[test]
    fn overlapping_fixes_are_skipped_whole() {
        let outer = Fix::safe("outer", vec![Edit::delete(0..10)]);
        let inner = Fix::safe("inner", vec![Edit::delete(2..4), Edit::delete(12..13)]);
        let same_point_a = Fix::safe("a", vec![Edit::insert(20, "x")]);
        let same_point_b = Fix::safe("b", vec![Edit::insert(20, "y")]);
        let chosen = select_non_overlapping([&outer, &inner, &same_point_a, &same_point_b]);
        let titles: Vec<&str> = chosen.iter().map(|f| f.title.as_str()).collect();
        assert_eq!(titles, ["outer", "a"]);
    }

    #[test]
    fn adjacent_edits_both_apply() {
        let a = Fix::safe("a", vec![Edit::delete(0..2)]);
        let b = Fix::safe("b", vec![Edit::delete(2..4)]);
        let (text, chosen) = apply_fixes("abcdef", [&a, &b]);
        assert_eq!((text.as_str(), chosen.len()), ("ef", 2));
    }

    /// A linter over `(code, text it flags, replacement, severity)` rules; an
    /// empty replacement of `ERR` means the finding has no fix.
    type FakeRule = (&'static str, &'static str, &'static str, Severity);

    fn lint_with(rules: &[FakeRule]) -> impl FnMut(&str) -> Vec<Diagnostic> + '_ {
        move |text: &str| {
            rules
                .iter()
                .filter_map(|&(code, flagged, replacement, severity)| {
                    let at = text.find(flagged)?;
                    let meta = crate::rules::find(code)?;
                    let range = at..at + flagged.len();
                    let mut diagnostic = Diagnostic::new(meta, range.clone(), code);
                    diagnostic.severity = severity;
                    if flagged != "ERR" {
                        let edit = Edit::replace(range, replacement);
                        diagnostic = diagnostic.with_fix(Fix::safe(code, vec![edit]));
                    }
                    Some(diagnostic)
                })
                .collect()
        }
    }

    #[test]
    fn fixes_that_bring_a_new_error_are_not_applied() {
        // The fix of `junk` leaves `ERR`, which is an error nobody can fix.
        let rules = [
            ("MK001", "junk", "ERR", Severity::Warning),
            ("FM004", "ERR", "", Severity::Error),
        ];
        let outcome = fix_to_fixed_point("a junk b", false, lint_with(&rules));
        assert_eq!(outcome.text, "a junk b");
        assert!(outcome.applied.is_empty());
        assert_eq!(outcome.rejected, Some(Rejection::NewErrors(vec!["FM004"])));
    }

    #[test]
    fn fixes_that_undo_each_other_are_not_applied() {
        let rules = [
            ("FM014", "MVE", "mve", Severity::Warning),
            ("FM014", "mve", "MVE", Severity::Warning),
        ];
        let outcome = fix_to_fixed_point("tag: MVE", false, lint_with(&rules));
        assert_eq!(outcome.text, "tag: MVE");
        assert_eq!(outcome.rejected, Some(Rejection::Cycle));
    }

    #[test]
    fn fixes_that_settle_are_applied() {
        let rules = [("MK001", "junk", "", Severity::Warning)];
        let outcome = fix_to_fixed_point("a junk b junk", false, lint_with(&rules));
        assert_eq!(outcome.text, "a  b ");
        assert_eq!(outcome.applied.get("MK001"), Some(&2));
        assert_eq!(outcome.rejected, None);
    }
}
