//! The rule registry. Each rule is declared with [`declare_rule!`] in its own file
//! under `frontmatter/` (FM codes) or `markup/` (MK codes); its doc comment is the
//! text `copydesk explain` prints and the README's rule table is generated from.

pub use crate::diagnostic::{DOCS_URL, RuleMeta, doc_url};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Context;

pub mod frontmatter;
pub mod markup;
pub mod meta;
#[cfg(test)]
pub mod test_support;

/// A registered rule: its metadata and the function that runs it.
pub struct RuleEntry {
    pub meta: &'static RuleMeta,
    pub check: fn(&Context, &mut Vec<Diagnostic>),
}

/// Declares a rule struct with its metadata; the doc comment becomes `META.doc`.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub struct MissingFrontMatter {
///         code: "FM001", name: "missing-front-matter", severity: Warning, fix: None,
///     }
/// }
/// impl MissingFrontMatter {
///     pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) { ... }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            code: $code:literal, name: $rule_name:literal, severity: $severity:ident, fix: $fix:ident $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const META: $crate::diagnostic::RuleMeta = $crate::diagnostic::RuleMeta {
                code: $code,
                name: $rule_name,
                default_severity: $crate::diagnostic::Severity::$severity,
                fix: $crate::diagnostic::FixAvailability::$fix,
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}

/// Builds a `RuleEntry` list from rule types, in the order given.
#[macro_export]
macro_rules! rule_entries {
    ($($rule:path),* $(,)?) => {
        &[$($crate::rules::RuleEntry { meta: &<$rule>::META, check: <$rule>::check }),*]
    };
}

/// Every rule, in code order: CD (copydesk's own directives), FM, MK.
pub fn all() -> impl Iterator<Item = &'static RuleEntry> {
    meta::RULES
        .iter()
        .chain(frontmatter::RULES.iter())
        .chain(markup::RULES.iter())
}

/// Every rule code, for validating configuration.
pub fn codes() -> Vec<&'static str> {
    all().map(|rule| rule.meta.code).collect()
}

/// Looks a rule up by code (`FM001`) or name (`missing-front-matter`), case-insensitively.
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    all().map(|rule| rule.meta).find(|meta| {
        meta.code.eq_ignore_ascii_case(code_or_name) || meta.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// Runs every enabled rule over one document: severities from the config, in-file
/// suppressions applied, sorted by position.
pub fn check(ctx: &Context) -> Vec<Diagnostic> {
    check_until(ctx, &|| false).unwrap_or_default()
}

/// [`check`], asking `stop` before each rule; `None` when it said stop (the
/// server's analysis of a version the client has already replaced).
pub fn check_until(ctx: &Context, stop: &dyn Fn() -> bool) -> Option<Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    for rule in all() {
        if stop() {
            return None;
        }
        let configured = ctx.config.rules.get(rule.meta.code).copied();
        if configured == Some(Severity::Off) {
            continue;
        }
        let first_new = diagnostics.len();
        (rule.check)(ctx, &mut diagnostics);
        // A configured severity wins; otherwise the rule's own, which is its
        // default unless the rule escalated one finding (FM002 on Hexo sites).
        if let Some(severity) = configured {
            for diagnostic in &mut diagnostics[first_new..] {
                diagnostic.severity = severity;
            }
        }
    }
    meta::cd001_unused_suppression::UnusedSuppression::apply_directives(ctx, &mut diagnostics);
    // What renders as code is the post's text: editing it is never safe.
    for fix in diagnostics.iter_mut().filter_map(|d| d.fix.as_mut()) {
        if fix
            .edits
            .iter()
            .any(|edit| ctx.doc.markup.edits_indented_code(&edit.range))
        {
            fix.applicability = crate::diagnostic::Applicability::Unsafe;
        }
    }
    diagnostics.sort_by(|a, b| {
        (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
    });
    Some(diagnostics)
}

/// `MK`, `mk00`, `MK001` and the rule's name (`cms-comment`) all match `MK001`.
pub fn matches_rule(code: &str, pattern: &str) -> bool {
    let name = find(code).map_or("", |meta| meta.name);
    crate::config::RuleKey { code, name }.matches(pattern)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_in_code_order_and_complete() {
        let codes = codes();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(
            codes, sorted,
            "rules must be registered once each, in code order"
        );
        for rule in all() {
            assert!(
                rule.meta.doc.contains("## What it does"),
                "{} has no doc",
                rule.meta.code
            );
        }
    }

    #[test]
    fn codes_match_by_prefix_case_insensitively() {
        assert!(matches_rule("MK001", "MK"));
        assert!(matches_rule("MK001", "mk00"));
        assert!(matches_rule("MK001", "MK001"));
        assert!(!matches_rule("MK001", "FM"));
        assert!(!matches_rule("MK001", "MK0011"));
        assert!(!matches_rule("MK001", ""));
        assert!(!matches_rule("MK001", "金"));
    }

    #[test]
    fn rule_names_match_their_code() {
        let Some(meta) = all().next().map(|rule| rule.meta) else {
            return;
        };
        assert!(matches_rule(meta.code, meta.name));
        assert!(matches_rule(meta.code, &meta.name.to_ascii_uppercase()));
    }
}
