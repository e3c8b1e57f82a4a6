use crate::config::Generator;
use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;
use crate::frontmatter::schema::{is_known, known_keys};

declare_rule! {
    /// ## What it does
    /// Flags a key that no generator, common theme convention (`headimg`,
    /// `thumbnail`, `cover`, `top`…), `[frontmatter.fields]` entry or other post of
    /// the site uses, when it is close to one that is known: most likely a typo.
    /// Keys that are close to nothing are left alone; they are somebody's own
    /// convention. On Hugo, which lower-cases every key it reads, `Title` is
    /// `title` and is not flagged.
    ///
    /// ## Why it matters
    /// Generators ignore keys they do not know: `catagories:` files the post under
    /// no category at all, and nothing says so.
    ///
    /// ## Example
    /// ```yaml
    /// catagories: [金融]
    /// ```
    /// Use instead:
    /// ```yaml
    /// categories: [金融]
    /// ```
    ///
    /// ## Fix
    /// Unsafe: renames the key to the suggestion, unless the front matter already
    /// has that key (then the two need merging by hand). The generator then reads
    /// a value it ignored before (a title, a date, categories), so check the value.
    pub struct UnknownKey {
        code: "FM010", name: "unknown-key", severity: Info, fix: Unsafe,
    }
}

impl UnknownKey {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let Some(fm) = &ctx.doc.front_matter else {
            return;
        };
        let own = ctx.doc.path.and_then(|path| ctx.site.post(path));
        let used_elsewhere = |key: &str| {
            let mine = own.is_some_and(|post| post.keys.iter().any(|k| k == key));
            ctx.site.key_count(key) > usize::from(mine)
        };
        // Listed only once a key turns out unknown, which is rare.
        let mut site_keys = None;
        // Hugo lower-cases every key it reads: `Title` is its `title`.
        let folds_case = ctx.config.generator == Generator::Hugo;
        for entry in &fm.entries {
            let key = entry.key.as_str();
            let read_as = if folds_case {
                std::borrow::Cow::Owned(key.to_lowercase())
            } else {
                std::borrow::Cow::Borrowed(key)
            };
            if is_known(ctx.config, &read_as)
                || used_elsewhere(key)
                || folds_case && used_elsewhere(&read_as)
            {
                continue;
            }
            let site_keys = site_keys.get_or_insert_with(|| ctx.site.keys());
            let candidates = known_keys(ctx.config).into_iter().chain(
                site_keys
                    .iter()
                    .map(|(k, _)| *k)
                    .filter(|k| *k != key && used_elsewhere(k)),
            );
            let candidates =
                candidates.filter(|candidate| !folds_case || candidate.to_lowercase() != read_as);
            let Some(suggestion) = closest_key(key, candidates) else {
                continue;
            };
            let diagnostic = Diagnostic::new(
                &Self::META,
                entry.key_range.clone(),
                format!("unknown key `{key}`: did you mean `{suggestion}`?"),
            );
            let taken = fm.entries.iter().any(|other| other.key == suggestion);
            out.push(if taken {
                diagnostic
            } else {
                diagnostic.with_fix(Fix::unsafe_(
                    format!("Rename to `{suggestion}`"),
                    vec![Edit::replace(entry.key_range.clone(), suggestion)],
                ))
            });
        }
    }
}

/// The candidate nearest to `key`, if it is near enough to be a typo: the same
/// up to case; for four-letter keys two swapped letters (`tgas`); within one edit
/// for keys of 5–6 characters and two for longer ones. Short keys get no more
/// because real words sit one letter apart (`path`/`math`, `data`/`date`).
/// Ties go to the first candidate.
fn closest_key<'a>(key: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = key.to_lowercase();
    let length = key.chars().count();
    let budget = match length {
        0..=4 => 0,
        5..=6 => 1,
        _ => 2,
    };
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        // A same-case equal candidate is the key itself, known after all.
        if candidate == key {
            continue;
        }
        let other = candidate.to_lowercase();
        let distance = if other == lower {
            0
        } else if budget > 0 {
            strsim::damerau_levenshtein(&lower, &other)
        } else if length == 4 && is_transposition(&lower, &other) {
            1
        } else {
            continue;
        };
        if distance > budget.max(1) {
            continue;
        }
        if best.is_none_or(|(best_distance, _)| distance < best_distance) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// `a` is `b` with two neighbouring characters swapped.
fn is_transposition(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() != b.len() {
        return false;
    }
    let differing: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    matches!(differing[..], [i, j] if j == i + 1 && a[i] == b[j] && a[j] == b[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_near_keys() {
        let keys = ["categories", "tags", "title", "thumbnail", "date"];
        assert_eq!(
            closest_key("catagories", keys.into_iter()),
            Some("categories")
        );
        assert_eq!(closest_key("Title", keys.into_iter()), Some("title"));
        assert_eq!(closest_key("tag", keys.into_iter()), None);
        assert_eq!(
            closest_key("thumbnial", keys.into_iter()),
            Some("thumbnail")
        );
        assert_eq!(closest_key("source", keys.into_iter()), None);
        assert_eq!(closest_key("标题", keys.into_iter()), None);
        assert_eq!(closest_key("tgas", keys.into_iter()), Some("tags"));
        assert_eq!(closest_key("data", keys.into_iter()), None);
        assert_eq!(closest_key("path", ["math"].into_iter()), None);
    }
}

#[cfg(test)]
mod snapshots {
    use super::super::value_rules_test_support::{config, snapshot};
    use crate::config::Generator;
    use crate::site::{PostSummary, SiteIndex};

    #[test]
    fn typos_of_known_keys() {
        let text = "---\ntitle: 标题\ncatagories: [金融]\nthumbnial: a.png\nTags: [🎉]\nsource_name: 新浪\n标签: x\n---\n";
        insta::assert_snapshot!(snapshot(
            text,
            "a.md",
            config(Generator::Hexo),
            &SiteIndex::new(),
            "FM010"
        ));
    }

    #[test]
    fn keys_other_posts_use_are_known() {
        let mut site = SiteIndex::new();
        site.insert(
            "b.md",
            PostSummary {
                keys: vec!["thumbnial".into()],
                ..PostSummary::default()
            },
        );
        let text = "---\nthumbnial: a.png\n---\n";
        assert_eq!(
            snapshot(text, "a.md", config(Generator::Hexo), &site, "FM010"),
            ""
        );
    }

    #[test]
    fn hugo_reads_keys_case_folded() {
        let text = "---\nTitle: 标题\nDate: 2020-01-01\nCatagories: [a]\n---\n";
        let hugo = snapshot(
            text,
            "a.md",
            config(Generator::Hugo),
            &SiteIndex::new(),
            "FM010",
        );
        assert!(
            !hugo.contains("`title`") && !hugo.contains("`date`"),
            "{hugo}"
        );
        assert!(hugo.contains("`categories`"), "{hugo}");
        let hexo = snapshot(
            text,
            "a.md",
            config(Generator::Hexo),
            &SiteIndex::new(),
            "FM010",
        );
        assert!(
            hexo.contains("`title`") && hexo.contains("`date`"),
            "{hexo}"
        );
    }

    #[test]
    fn no_rename_onto_an_existing_key() {
        let text = "---\r\ncategories: [a]\r\ncatagories: [b]\r\n---\r\n";
        insta::assert_snapshot!(snapshot(
            text,
            "a.md",
            config(Generator::Hexo),
            &SiteIndex::new(),
            "FM010"
        ));
    }
}
