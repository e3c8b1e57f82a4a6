use unicode_normalization::UnicodeNormalization;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;
use crate::frontmatter::taxonomy::{TaxonomyValue, taxonomy_values};
use crate::site::TaxonomyKind;

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
            let key = taxonomy_key(&value.value);
            let mine = uses_elsewhere(ctx, &value, &value.value);
            let better = peers(ctx, &value)
                .into_iter()
                .filter(|(peer, _)| *peer != value.value)
                .map(|(peer, _)| (peer, uses_elsewhere(ctx, &value, peer)))
                .filter(|(peer, count)| *count > mine && taxonomy_key(peer) == key)
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)));
            let Some((preferred, count)) = better else {
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

pub(crate) fn kind_name(kind: TaxonomyKind) -> &'static str {
    match kind {
        TaxonomyKind::Category => "category",
        TaxonomyKind::Tag => "tag",
        TaxonomyKind::Author => "author",
    }
}

/// Values the site uses that `value` competes with, with their post counts (this
/// post included): for a category its siblings under the same parent.
pub(crate) fn peers<'a>(ctx: &'a Context, value: &TaxonomyValue) -> Vec<(&'a str, usize)> {
    match value.kind {
        TaxonomyKind::Category => {
            let parent = value
                .path
                .split_last()
                .map_or(&[][..], |(_, parent)| parent);
            ctx.site.category_children(parent)
        }
        kind => ctx.site.values(kind),
    }
}

/// How many posts other than this one use `candidate` in `value`'s place.
pub(crate) fn uses_elsewhere(ctx: &Context, value: &TaxonomyValue, candidate: &str) -> usize {
    let own = ctx.doc.path.and_then(|path| ctx.site.post(path));
    let (total, mine) = match value.kind {
        TaxonomyKind::Category => {
            let parent = value
                .path
                .split_last()
                .map_or(&[][..], |(_, parent)| parent);
            let total = ctx
                .site
                .category_children(parent)
                .into_iter()
                .find(|(name, _)| *name == candidate)
                .map_or(0, |(_, count)| count);
            let mine = own.is_some_and(|post| {
                post.categories.iter().any(|path| {
                    path.len() > parent.len()
                        && path.starts_with(parent)
                        && path.get(parent.len()).is_some_and(|name| name == candidate)
                })
            });
            (total, mine)
        }
        TaxonomyKind::Tag => (
            ctx.site.count(TaxonomyKind::Tag, candidate),
            own.is_some_and(|post| post.tags.iter().any(|t| t == candidate)),
        ),
        TaxonomyKind::Author => (
            ctx.site.count(TaxonomyKind::Author, candidate),
            own.is_some_and(|post| post.authors.iter().any(|a| a == candidate)),
        ),
    };
    total.saturating_sub(usize::from(mine))
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
