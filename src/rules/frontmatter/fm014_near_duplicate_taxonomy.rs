use unicode_normalization::UnicodeNormalization;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;
use crate::frontmatter::taxonomy::{TaxonomyValue, taxonomy_values};
use crate::site::{CategoryNode, TaxonomyKind};

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
    /// Safe: replaces the value with the more used form, keeping its quotes.
    pub struct NearDuplicateTaxonomy {
        code: "FM014", name: "near-duplicate-taxonomy", severity: Warning, fix: Safe,
    }
}

impl NearDuplicateTaxonomy {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(fm) = &ctx.doc.front_matter else {
            return;
        };
        if ctx.site.is_empty() {
            return;
        }
        for value in taxonomy_values(fm, ctx.config) {
            let Some((preferred, count)) = more_used_form(ctx, &value) else {
                continue;
            };
            let diagnostic = Diagnostic::new(
                &Self::META,
                value.range.clone(),
                format!(
                    "{} `{}` differs only in form from `{preferred}`, used by {count} other post{}",
                    kind_name(value.kind),
                    value.value,
                    if count == 1 { "" } else { "s" }
                ),
            );
            out.push(match replacement_edit(ctx, &value, preferred) {
                Some(edit) => diagnostic
                    .with_fix(Fix::safe(format!("Replace with `{preferred}`"), vec![edit])),
                None => diagnostic,
            });
        }
    }
}

/// The spelling of `value` that more other posts use than `value` itself, with
/// that count. Peers are first compared by a cheap fingerprint, so the full
/// normalization runs only on a handful of them.
fn more_used_form<'a>(ctx: &'a Context, value: &TaxonomyValue) -> Option<(&'a str, usize)> {
    let key = taxonomy_key(&value.value);
    let fingerprint = significant_chars(&value.value);
    let mine = uses_elsewhere(ctx, value, &value.value);
    let mut best: Option<(&str, usize)> = None;
    for (peer, total) in peers(ctx, value) {
        if peer == value.value || significant_chars(peer) != fingerprint {
            continue;
        }
        let beats_best = |count: usize| {
            best.is_none_or(|(best_peer, best_count)| {
                count > best_count || (count == best_count && peer < best_peer)
            })
        };
        // `total` bounds the count: skip the own-use lookup and NFKC when it cannot win.
        if total <= mine || !beats_best(total) || taxonomy_key(peer) != key {
            continue;
        }
        let count = total.saturating_sub(usize::from(own_uses(ctx, value, peer)));
        if count > mine && beats_best(count) {
            best = Some((peer, count));
        }
    }
    best
}

/// Characters that survive [`taxonomy_key`], counted without normalizing (NFKC
/// keeps the count of the letters and digits of full-width forms).
fn significant_chars(text: &str) -> usize {
    text.chars()
        .filter(|c| !c.is_whitespace() && !is_punctuation(*c) && !is_fullwidth_punctuation(*c))
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
fn parent(value: &TaxonomyValue) -> &[String] {
    value
        .path
        .split_last()
        .map_or(&[][..], |(_, parent)| parent)
}

/// Values the site uses that `value` competes with, with their post counts (this
/// post included): for a category its siblings under the same parent.
pub(crate) fn peers<'a>(
    ctx: &'a Context,
    value: &TaxonomyValue,
) -> Box<dyn Iterator<Item = (&'a str, usize)> + 'a> {
    match value.kind {
        TaxonomyKind::Category => Box::new(
            category_node(ctx, parent(value))
                .into_iter()
                .flat_map(|node| node.children.iter())
                .map(|(name, child)| (name.as_str(), child.posts)),
        ),
        kind => Box::new(ctx.site.unsorted_values(kind)),
    }
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

/// What two spellings share when they differ only in form: NFKC (full-width to
/// half-width), lower case, look-alike CJK variants unified, whitespace and
/// punctuation dropped.
pub(crate) fn taxonomy_key(text: &str) -> String {
    text.nfkc()
        .flat_map(char::to_lowercase)
        .map(unify_variant)
        .filter(|c| !c.is_whitespace() && !is_punctuation(*c))
        .collect()
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '·' | '・'
                | '、'
                | '。'
                | '「'
                | '」'
                | '『'
                | '』'
                | '【'
                | '】'
                | '《'
                | '》'
                | '〈'
                | '〉'
                | '—'
                | '–'
                | '‐'
                | '〜'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '…'
        )
}

/// CJK characters with a second code point that looks the same in most fonts
/// (feeds mix Traditional, Japanese and Simplified encodings of one glyph).
fn unify_variant(c: char) -> char {
    match c {
        '內' => '内',
        '戶' => '户',
        '靑' => '青',
        '淸' => '清',
        '眞' => '真',
        '呂' => '吕',
        '兌' => '兑',
        '稅' => '税',
        '別' => '别',
        '強' => '强',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_width_case_spacing_and_punctuation() {
        assert_eq!(
            taxonomy_key("新浪财经－国內"),
            taxonomy_key("新浪财经-国内")
        );
        assert_eq!(taxonomy_key("JavaScript"), taxonomy_key("Javascript"));
        assert_eq!(taxonomy_key("Ｒｕｓｔ"), taxonomy_key("rust"));
        assert_eq!(taxonomy_key("Hacker News"), taxonomy_key("hacker-news"));
        assert_ne!(taxonomy_key("科技"), taxonomy_key("科枝"));
    }

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
