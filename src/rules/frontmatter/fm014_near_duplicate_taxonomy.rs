use std::borrow::Cow;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;
use crate::frontmatter::taxonomy::TaxonomyValue;
use crate::site::{CategoryNode, TaxonomyKind, is_taxonomy_punctuation, taxonomy_key};

declare_rule! {
    /// ## What it does
    /// Flags a category, tag or author that differs from a value more posts of the
    /// site use only by case, full-width/half-width forms (Unicode NFKC),
    /// whitespace, punctuation or a look-alike variant of a CJK character
    /// (`新浪财经－国內` beside `新浪财经-国内`, `Javascript` beside `JavaScript`).
    /// Categories are compared with their siblings under the same parent.
    ///
    /// ## Why it matters
    /// Generators treat every spelling as a separate category or tag: the site
    /// grows two archive pages for one topic and each lists half the posts.
    ///
    /// ## Example
    /// ```yaml
    /// categories:
    ///   - 新浪财经－国內   # 1 post; 40 posts use 新浪财经-国内
    /// ```
    /// Use instead:
    /// ```yaml
    /// categories:
    ///   - 新浪财经-国内
    /// ```
    ///
    /// ## Fix
    /// Unsafe: replaces the value with the more used form, keeping its quotes. The
    /// generator then files the post under the other spelling (` news ` and
    /// `news` are two categories to it), which is the point but changes what it
    /// reads: apply with `--unsafe` once the forms are meant to be one.
    pub struct NearDuplicateTaxonomy {
        code: "FM014", name: "near-duplicate-taxonomy", severity: Warning, fix: Unsafe,
    }
}

impl NearDuplicateTaxonomy {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        if ctx.site.is_empty() {
            return;
        }
        for value in ctx.taxonomy_values() {
            let Some((preferred, count)) = more_used_form(ctx, value) else {
                continue;
            };
            let diagnostic = Diagnostic::new(
                &Self::META,
                value.range.clone(),
                format!(
                    "{} `{}` differs only in form from `{preferred}`, used by {count} post{}",
                    kind_name(value.kind),
                    value.value,
                    if count == 1 { "" } else { "s" }
                ),
            );
            out.push(match replacement_edit(ctx, value, preferred) {
                Some(edit) => diagnostic.with_fix(Fix::unsafe_(
                    format!("Replace with `{preferred}`"),
                    vec![edit],
                )),
                None => diagnostic,
            });
        }
    }
}

/// The spelling of `value` that more other posts use than `value` itself, with
/// that count. The index lists the spellings sharing `value`'s normalized form.
/// The form most posts use, when strictly more posts use it than this one and
/// no other form ties with it: every post then moves to the same form, so a
/// second run has nothing left to change (comparing with the uses elsewhere
/// would swap two equally used forms back and forth).
fn more_used_form<'a>(ctx: &'a Context, value: &TaxonomyValue) -> Option<(&'a str, usize)> {
    // The index keeps the key of every value a post uses: normalizing is the
    // costly part, and most values have no other form.
    let key = match ctx.site.key_of(value.kind, parent(value), &value.value) {
        Some(key) => Cow::Borrowed(key),
        None => Cow::Owned(taxonomy_key(&value.value)),
    };
    let mut peers = ctx
        .site
        .values_with_key(value.kind, parent(value), &key)
        .filter(|(peer, _)| *peer != value.value)
        .peekable();
    peers.peek()?;
    let fingerprint = significant_chars(&value.value);
    let marks = name_marks(&value.value);
    let mine = uses_elsewhere(ctx, value, &value.value) + 1;
    let mut best: Option<(&str, usize)> = None;
    let mut tied = false;
    for (peer, total) in peers {
        // Same key but another letter count (NFKC expands ligatures such as `ﬁ`):
        // not flagged, as before the index kept keys.
        if significant_chars(peer) != fingerprint {
            continue;
        }
        // `C#` and `C`, `.net` and `net` name different things.
        if name_marks(peer) != marks {
            continue;
        }
        // `MVE]` is the leftover of a broken edit, however many posts carry it:
        // a well-formed value is never told to become it.
        if is_broken(peer) && !is_broken(&value.value) {
            continue;
        }
        match best {
            Some((_, best_total)) if total < best_total => {}
            Some((_, best_total)) if total == best_total => tied = true,
            _ => {
                best = Some((peer, total));
                tied = false;
            }
        }
    }
    best.filter(|&(_, total)| !tied && total > mine)
}

/// A bracket or quotation mark without its partner.
fn is_broken(text: &str) -> bool {
    const PAIRS: &[(char, char)] = &[
        ('(', ')'),
        ('[', ']'),
        ('{', '}'),
        ('<', '>'),
        ('（', '）'),
        ('【', '】'),
        ('《', '》'),
        ('“', '”'),
        ('「', '」'),
    ];
    PAIRS
        .iter()
        .any(|&(open, close)| text.matches(open).count() != text.matches(close).count())
}

/// The signs a value's words carry at one end (`C#`, `C++`, `.net`), in order,
/// full-width forms as ASCII: a sign run touching a letter on one side only,
/// with the value's start or end or a space on the other. Separators between
/// letters (`work-flow`, `Node.js`) or between spaces (`A / B`) and brackets
/// or quotes (FM014's other variants) are not part of a name.
fn name_marks(text: &str) -> String {
    let chars: Vec<char> = text
        .trim()
        .chars()
        .map(|c| {
            if is_fullwidth_punctuation(c) {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            } else {
                c
            }
        })
        .collect();
    let is_sign =
        |c: char| is_taxonomy_punctuation(c) && !"()[]{}<>\"'`（）【】《》“”「」『』‘’".contains(c);
    let mut marks = String::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_sign(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_sign(chars[i]) {
            i += 1;
        }
        let letter_before = start > 0 && chars[start - 1].is_alphanumeric();
        let letter_after = i < chars.len() && chars[i].is_alphanumeric();
        if letter_before != letter_after {
            marks.extend(&chars[start..i]);
            marks.push(' ');
        }
    }
    marks
}

fn significant_chars(text: &str) -> usize {
    text.chars()
        .filter(|c| {
            !c.is_whitespace() && !is_taxonomy_punctuation(*c) && !is_fullwidth_punctuation(*c)
        })
        .count()
}

/// Full-width forms of ASCII punctuation (`－`, `，`), which NFKC turns into ASCII.
fn is_fullwidth_punctuation(c: char) -> bool {
    let code = c as u32;
    (0xFF01..=0xFF5E).contains(&code)
        && char::from_u32(code - 0xFEE0).is_some_and(|ascii| ascii.is_ascii_punctuation())
}

pub(crate) fn kind_name(kind: TaxonomyKind) -> &'static str {
    match kind {
        TaxonomyKind::Category => "category",
        TaxonomyKind::Tag => "tag",
        TaxonomyKind::Author => "author",
    }
}

/// The path of the category `value` sits under (empty at the top level).
pub(crate) fn parent(value: &TaxonomyValue) -> &[String] {
    value
        .path
        .split_last()
        .map_or(&[][..], |(_, parent)| parent)
}

/// The node of the category tree at `path` (the root for an empty path).
fn category_node<'a>(ctx: &'a Context, path: &[String]) -> Option<&'a CategoryNode> {
    path.iter()
        .try_fold(ctx.site.category_tree(), |node, segment| {
            node.children.get(segment)
        })
}

/// Whether the indexed version of this post uses `candidate` in `value`'s place.
pub(crate) fn own_uses(ctx: &Context, value: &TaxonomyValue, candidate: &str) -> bool {
    let Some(own) = ctx.doc.path.and_then(|path| ctx.site.post(path)) else {
        return false;
    };
    match value.kind {
        TaxonomyKind::Category => {
            let parent = parent(value);
            own.categories.iter().any(|path| {
                path.starts_with(parent) && path.get(parent.len()).is_some_and(|c| c == candidate)
            })
        }
        TaxonomyKind::Tag => own.tags.iter().any(|tag| tag == candidate),
        TaxonomyKind::Author => own.authors.iter().any(|author| author == candidate),
    }
}

/// How many posts other than this one use `candidate` in `value`'s place.
pub(crate) fn uses_elsewhere(ctx: &Context, value: &TaxonomyValue, candidate: &str) -> usize {
    let total = match value.kind {
        TaxonomyKind::Category => category_node(ctx, parent(value))
            .and_then(|node| node.children.get(candidate))
            .map_or(0, |child| child.posts),
        kind => ctx.site.count(kind, candidate),
    };
    total.saturating_sub(usize::from(own_uses(ctx, value, candidate)))
}

/// The edit that puts `replacement` in place of `value`, keeping its quotes; `None`
/// when an unquoted YAML value could not hold the replacement as it is.
pub(crate) fn replacement_edit(
    ctx: &Context,
    value: &TaxonomyValue,
    replacement: &str,
) -> Option<Edit> {
    let quoted = value.range != value.raw_range;
    let inside_word_list =
        ctx.config.generator == crate::config::Generator::Jekyll && replacement.contains(' ');
    let plain_safe = !replacement.contains([':', '#', ',', '[', ']', '{', '}', '"', '\''])
        && !replacement.starts_with(['-', '?', '!', '&', '*', '|', '>', '%', '@', '`', ' '])
        && !replacement.ends_with(' ');
    ((quoted || plain_safe) && !inside_word_list)
        .then(|| Edit::replace(value.raw_range.clone(), replacement))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_agree_with_keys() {
        for (a, b) in [
            ("新浪财经－国內", "新浪财经-国内"),
            ("Ｒｕｓｔ", "rust"),
            ("Hacker News", "hacker-news"),
            ("C＋＋", "c++"),
        ] {
            assert_eq!(taxonomy_key(a), taxonomy_key(b));
            assert_eq!(significant_chars(a), taxonomy_key(a).chars().count(), "{a}");
            assert_eq!(significant_chars(b), taxonomy_key(b).chars().count(), "{b}");
        }
    }
}

#[cfg(test)]
mod snapshots {
    use super::super::value_rules_test_support::{config, site, snapshot};
    use crate::config::Generator;

    #[test]
    fn less_used_spellings() {
        let site = site(&[
            (
                "p1.md",
                &["金融/新浪财经/新浪财经-国内"],
                &["JavaScript"],
                &[],
            ),
            (
                "p2.md",
                &["金融/新浪财经/新浪财经-国内"],
                &["JavaScript"],
                &[],
            ),
            ("p3.md", &["科技/新浪财经-国内"], &["Hacker News"], &[]),
            (
                "a.md",
                &["金融/新浪财经/新浪财经－国內"],
                &["javascript"],
                &[],
            ),
        ]);
        let text = "---\ncategories:\n  - 金融\n  - 新浪财经\n  - 新浪财经－国內\ntags: [javascript, hacker-news, 🎉]\n---\n";
        insta::assert_snapshot!(snapshot(
            text,
            "a.md",
            config(Generator::Hexo),
            &site,
            "FM014"
        ));
    }
}

#[cfg(test)]
mod name_mark_tests {
    use super::name_marks;

    #[test]
    fn signs_at_a_word_end_belong_to_the_name() {
        for (a, b) in [
            ("C#", "C"),
            (".net", "net"),
            ("C++", "C"),
            ("F# tips", "F tips"),
        ] {
            assert_ne!(name_marks(a), name_marks(b), "{a} / {b}");
        }
        for (a, b) in [
            ("C#", "c#"),
            ("C＋＋", "c++"),
            ("work-flow", "workflow"),
            ("Node.js", "nodejs"),
            ("A / B", "A/B"),
            ("“源码解析”", "源码解析"),
            ("新浪财经－国內", "新浪财经-国内"),
        ] {
            assert_eq!(name_marks(a), name_marks(b), "{a} / {b}");
        }
    }
}

#[cfg(test)]
mod broken_form_tests {
    use super::is_broken;

    #[test]
    fn unpaired_brackets_are_broken() {
        assert!(is_broken("MVE]"));
        assert!(is_broken("《西厢记"));
        assert!(!is_broken("MVE"));
        assert!(!is_broken("C++"));
        assert!(!is_broken("Kubernetes (k8s)"));
    }
}
