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

/// Widens the deletions of MK fixes so that removing markup never leaves two blank
/// lines in a row (markdownlint's and rumdl's MD012 would flag them; CommonMark
/// renders one blank line and several alike, outside code, which these rules never
/// edit). A deletion that empties its line takes the line with it when a
/// neighbouring line is blank, and one of two blank neighbours too.
pub fn leave_no_blank_pair(text: &str, mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    for diagnostic in &mut diagnostics {
        if !diagnostic.code.starts_with("MK") {
            continue;
        }
        if let Some(fix) = &mut diagnostic.fix {
            for edit in &mut fix.edits {
                if let Some(range) = widened_deletion(text, edit) {
                    edit.range = range;
                }
            }
        }
    }
    diagnostics
}

/// The range `edit` should delete so that no blank-line pair is left, if it differs.
fn widened_deletion(text: &str, edit: &Edit) -> Option<std::ops::Range<usize>> {
    if !edit.replacement.trim().is_empty() || edit.range.is_empty() || edit.range.end > text.len() {
        return None;
    }
    let is_blank = |s: &str| s.chars().all(|c| c == ' ' || c == '\t' || c == '\r');
    let line_start = text[..edit.range.start].rfind('\n').map_or(0, |at| at + 1);
    // A deletion that ends right after a line break ends that line.
    let (line_end, after_break) =
        if edit.range.end > line_start && text[..edit.range.end].ends_with('\n') {
            (edit.range.end - 1, edit.range.end)
        } else {
            let end = text[edit.range.end..]
                .find('\n')
                .map_or(text.len(), |at| edit.range.end + at);
            (end, (end + 1).min(text.len()))
        };
    if !is_blank(&text[line_start..edit.range.start])
        || !is_blank(&text[edit.range.end.max(line_start)..line_end.max(edit.range.end)])
    {
        return None;
    }
    if line_end >= text.len() {
        return None;
    }
    let previous_blank = line_start > 0 && {
        let previous_start = text[..line_start - 1].rfind('\n').map_or(0, |at| at + 1);
        is_blank(&text[previous_start..line_start - 1])
    };
    let next_end = text[after_break..].find('\n').map(|at| after_break + at);
    let next_blank = next_end.is_some_and(|end| is_blank(&text[after_break..end]));
    let range = match (previous_blank, next_blank, next_end) {
        (true, true, Some(end)) => line_start..end + 1,
        (true, _, _) | (_, true, _) => line_start..after_break,
        _ => return None,
    };
    (range != edit.range).then_some(range)
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

    mod blank_line_pairs {
        use super::*;

        fn widen(text: &str, target: &str) -> String {
            let start = text.find(target).expect("target in text");
            let edit = Edit::delete(start..start + target.len());
            let range = widened_deletion(text, &edit).unwrap_or(edit.range);
            format!("{}{}", &text[..range.start], &text[range.end..])
        }

        #[test]
        fn deleting_a_line_between_blank_lines_keeps_one_blank_line() {
            assert_eq!(widen("a\n\n<x>\n\nb\n", "<x>"), "a\n\nb\n");
            assert_eq!(widen("a\n\n<x>\n\nb\n", "<x>\n"), "a\n\nb\n");
            assert_eq!(widen("a\r\n\r\n<x>\r\n\r\nb\r\n", "<x>"), "a\r\n\r\nb\r\n");
            assert_eq!(widen("a\n\n<x>\nb\n", "<x>"), "a\n\nb\n");
            assert_eq!(widen("a\n<x>\n\nb\n", "<x>"), "a\n\nb\n");
        }

        #[test]
        fn other_deletions_are_left_alone() {
            // No blank neighbour: the emptied line is the paragraph break.
            assert_eq!(widen("a\n<x>\nb\n", "<x>"), "a\n\nb\n");
            // Text stays on the line.
            assert_eq!(widen("a\n\nkeep <x>\n\nb\n", "<x>"), "a\n\nkeep \n\nb\n");
            // The last line has nothing after it to pair with.
            assert_eq!(widen("a\n\n<x>", "<x>"), "a\n\n");
        }
    }
}
