use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix};
use crate::document::Context;
use crate::frontmatter::taxonomy::TaxonomyValue;
use crate::site::{TaxonomyKind, taxonomy_key};

use super::fm014_near_duplicate_taxonomy::{
    kind_name, own_uses, parent, replacement_edit, uses_elsewhere,
};

declare_rule! {
    /// ## What it does
    /// Flags a category, tag or author that is not in the closed vocabulary of
    /// `[taxonomy]` in `copydesk.toml` (for categories the vocabulary lists the
    /// top-level ones; a sub-category passes when it is listed too, and is otherwise
    /// judged as below). Without a vocabulary, flags a value no other
    /// post of the site uses when an existing value is one slip away, never another
    /// word or name: one CJK character different, not a numeral, in a category
    /// (`科枝` → `科技`) or in a tag of four or more characters (short tags one
    /// character apart are distinct words: `脚本`/`日本`), or in a Latin value one word that differs by a
    /// plural ending or by one edit after its first letter that is not another
    /// word ending (`Javascirpt` → `JavaScript`; never `jetty`/`netty`,
    /// `https`/`http`, `learn`/`lean`, `indexers`/`indexes`), and not a value
    /// the post's own text writes as a word (then it is the author's spelling).
    /// Bylines are checked only against a configured vocabulary: two names one
    /// letter apart are as likely two people.
    /// Categories are compared with their siblings under the same parent. Sites
    /// with fewer than 5 indexed posts are not checked: a new site's first posts
    /// define the vocabulary.
    ///
    /// ## Why it matters
    /// A mistyped category creates a new archive page with one post on it, and the
    /// post is missing from the page it belongs to.
    ///
    /// ## Example
    /// ```yaml
    /// categories: [科枝]   # no other post; 12 posts use 科技
    /// ```
    /// Use instead:
    /// ```yaml
    /// categories: [科技]
    /// ```
    ///
    /// ## Fix
    /// Safe: replaces the value with the suggestion, keeping its quotes.
    pub struct UnknownTaxonomy {
        code: "FM013", name: "unknown-taxonomy", severity: Info, fix: Unsafe,
    }
}

/// A suggestion must be used by at least this many other posts.
const MIN_PEER_USES: usize = 2;

/// Below this many indexed posts the site's vocabulary is still forming.
const MIN_SITE_POSTS: usize = 5;

impl UnknownTaxonomy {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        for value in ctx.taxonomy_values() {
            let top_level = value.kind != TaxonomyKind::Category || value.path.len() <= 1;
            let diagnostic = match vocabulary(ctx, value.kind) {
                Some(allowed) if top_level => closed(value, allowed),
                Some(allowed) if allowed.contains(&value.value) => None,
                _ => open(ctx, value),
            };
            out.extend(diagnostic.map(|(message, suggestion)| {
                let diagnostic = Diagnostic::new(&Self::META, value.range.clone(), message);
                match suggestion.and_then(|s| Some((s, replacement_edit(ctx, value, s)?))) {
                    Some((suggestion, edit)) => diagnostic.with_fix(Fix::unsafe_(
                        format!("Replace with `{suggestion}`"),
                        vec![edit],
                    )),
                    None => diagnostic,
                }
            }));
        }
    }
}

fn vocabulary<'a>(ctx: &'a Context, kind: TaxonomyKind) -> Option<&'a [String]> {
    let taxonomy = &ctx.config.taxonomy;
    match kind {
        TaxonomyKind::Category => taxonomy.categories.as_deref(),
        TaxonomyKind::Tag => taxonomy.tags.as_deref(),
        TaxonomyKind::Author => taxonomy.authors.as_deref(),
    }
}

/// The message and suggestion for a value outside a configured vocabulary.
fn closed<'a>(value: &TaxonomyValue, allowed: &'a [String]) -> Option<(String, Option<&'a str>)> {
    if allowed.contains(&value.value) {
        return None;
    }
    let kind = kind_name(value.kind);
    let suggestion = closest(&value.value, allowed.iter().map(|s| (s.as_str(), 0)));
    let message = match suggestion {
        Some(s) => format!(
            "{kind} `{}` is not in the configured vocabulary: did you mean `{s}`?",
            value.value
        ),
        None => format!(
            "{kind} `{}` is not in the configured vocabulary",
            value.value
        ),
    };
    Some((message, suggestion))
}

/// Values whose numbers differ (`.net 3.5`, `.net 4.5`; `windows server 2012`,
/// `windows server 2008`) name different versions or years, not slips.
fn same_numbers(a: &str, b: &str) -> bool {
    let digits = |text: &str| {
        text.chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
    };
    digits(a) == digits(b)
}

/// The message and suggestion for a value no other post uses, near an existing one.
fn open<'a>(ctx: &'a Context, value: &TaxonomyValue) -> Option<(String, Option<&'a str>)> {
    // Two bylines one letter apart are as likely two people as one slip: only a
    // configured vocabulary can tell.
    if value.kind == TaxonomyKind::Author
        || ctx.site.len() < MIN_SITE_POSTS
        || uses_elsewhere(ctx, value, &value.value) > 0
    {
        return None;
    }
    let key = taxonomy_key(&value.value);
    let mut candidates: Vec<(&str, usize)> = ctx
        .site
        .values_by_length(value.kind, parent(value), comparable_lengths(&value.value))
        .filter(|(peer, _)| {
            *peer != value.value
                && same_numbers(&value.value, peer)
                && may_be_close(&value.value, peer)
                && closeness(&value.value, peer).is_some()
                && is_slip(&value.value, peer, value.kind)
        })
        .map(|(peer, total)| {
            let count = total.saturating_sub(usize::from(own_uses(ctx, value, peer)));
            (peer, count)
        })
        // Spellings that differ only in form are FM014's; a lone spelling is no
        // better evidence than the value itself (and two lone ones would swap).
        .filter(|(peer, count)| *count >= MIN_PEER_USES && taxonomy_key(peer) != key)
        .collect();
    // Ties go to the first by name (the index lists by length first).
    candidates.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let suggestion = closest(&value.value, candidates.iter().copied())?;
    // The author writes the word in the article too: a spelling, not a slip of
    // the tag field (`gridview` in a post about GridView, whatever the site's
    // more frequent `GrdiView` says). Singular and plural are both words an
    // article writes, so there the site's majority still decides.
    let plural = differing_word(&value.value, suggestion)
        .is_some_and(|(short, long)| is_plural(&short, &long));
    if !plural && written_in_body(ctx, &value.value) {
        return None;
    }
    let count = candidates
        .iter()
        .find(|(peer, _)| *peer == suggestion)
        .map_or(0, |(_, count)| *count);
    Some((
        format!(
            "{} `{}` is used by no other post: did you mean `{suggestion}` ({count} post{})?",
            kind_name(value.kind),
            value.value,
            if count == 1 { "" } else { "s" }
        ),
        Some(suggestion),
    ))
}

/// Whether the post's body holds a Latin `value` as a word of its own, in any
/// case. Not asked of CJK values: their slips come from the input method, which
/// offers the same wrong character again in the text (and a post may quote it).
fn written_in_body(ctx: &Context, value: &str) -> bool {
    let needle = value.to_lowercase();
    if needle.is_empty() || is_cjk(value) {
        return false;
    }
    let body = ctx.doc.text.get(ctx.doc.body_start..).unwrap_or_default();
    let haystack = body.to_lowercase();
    let is_word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    haystack.match_indices(&needle).any(|(start, _)| {
        let before = haystack[..start].chars().next_back();
        let after = haystack[start + needle.len()..].chars().next();
        !is_word_char(before) && !is_word_char(after)
    })
}

/// The candidate closest to `value` that is near enough to be a slip of the
/// keyboard or the input method; ties go to the most used, then the first.
fn closest<'a>(value: &str, candidates: impl Iterator<Item = (&'a str, usize)>) -> Option<&'a str> {
    let mut best: Option<(f64, usize, &str)> = None;
    for (candidate, count) in candidates {
        let Some(similarity) = closeness(value, candidate) else {
            continue;
        };
        let better = best.is_none_or(|(best_similarity, best_count, _)| {
            similarity > best_similarity || (similarity == best_similarity && count > best_count)
        });
        if better {
            best = Some((similarity, count, candidate));
        }
    }
    best.map(|(_, _, candidate)| candidate)
}

/// The lengths in chars a value [`closeness`] can accept beside `value`: the same
/// length for CJK, within 20% for Latin.
fn comparable_lengths(value: &str) -> std::ops::RangeInclusive<usize> {
    let length = value.chars().count();
    if is_cjk(value) {
        length..=length
    } else {
        length - length / 5..=length * 5 / 4
    }
}

/// A cheap test that rules out most pairs [`closeness`] would reject, on ASCII
/// values (compared without case, like `closeness`): the edit distances its
/// threshold allows are known from the lengths, and each is bounded from below
/// exactly (one edit) or by letter counts (each edit changes at most two of them).
fn may_be_close(a: &str, b: &str) -> bool {
    if !a.is_ascii() || !b.is_ascii() {
        return true;
    }
    let longest = a.len().max(b.len());
    // The same arithmetic as the similarity threshold of `closeness`.
    let allowed = |distance: usize| 1.0 - distance as f64 / longest as f64 >= 0.8;
    if longest == 0 || allowed(2) {
        return allowed(letter_count_distance(a.as_bytes(), b.as_bytes()));
    }
    allowed(1) && within_one_edit(a.as_bytes(), b.as_bytes())
}

/// A lower bound of the edit distance: half the letters one has and the other lacks.
fn letter_count_distance(a: &[u8], b: &[u8]) -> usize {
    let mut balance = [0i32; 128];
    for byte in a {
        balance[usize::from(byte.to_ascii_lowercase() & 0x7F)] += 1;
    }
    for byte in b {
        balance[usize::from(byte.to_ascii_lowercase() & 0x7F)] -= 1;
    }
    let unbalanced: u32 = balance.iter().map(|n| n.unsigned_abs()).sum();
    unbalanced.div_ceil(2) as usize
}

/// Whether one insertion, deletion, substitution or swap of neighbours (or none)
/// turns `a` into `b`, without case: what is left once the common start and end
/// are stripped must be at most one letter each, or two swapped letters.
fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let prefix = a
        .iter()
        .zip(b)
        .take_while(|(x, y)| x.eq_ignore_ascii_case(y))
        .count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x.eq_ignore_ascii_case(y))
        .count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    match (a, b) {
        ([x, y], [z, w]) => x.eq_ignore_ascii_case(w) && y.eq_ignore_ascii_case(z),
        _ => a.len() <= 1 && b.len() <= 1,
    }
}

/// How alike two values are (0–1), when they are close enough to be confused.
/// CJK: same length of two or more characters and exactly one differs. Latin:
/// normalized Damerau–Levenshtein of 0.8 or more, on values of four or more letters.
fn closeness(a: &str, b: &str) -> Option<f64> {
    if is_cjk(a) || is_cjk(b) {
        let (a_len, b_len) = (a.chars().count(), b.chars().count());
        let differing = a.chars().zip(b.chars()).filter(|(x, y)| x != y).count();
        let close = a_len == b_len && a_len >= 2 && differing == 1;
        return close.then(|| 1.0 - 1.0 / a_len as f64);
    }
    let (a_len, b_len) = (a.chars().count(), b.chars().count());
    // A normalized distance within 20% needs lengths within 20% of each other.
    if a_len < 4 || b_len < 4 || a_len.abs_diff(b_len) * 5 > a_len.max(b_len) {
        return None;
    }
    let similarity = strsim::normalized_damerau_levenshtein(&a.to_lowercase(), &b.to_lowercase());
    (similarity >= 0.8).then_some(similarity)
}

/// Whether `value` reads as a slip of `peer` rather than another word: the
/// values differ in one word, and there by a plural ending on a word of five or
/// more letters (`tricks`/`trick`, not `https`/`http`) or by one edit after the
/// first letter of a word of six or more (`jquey`/`jquery`; not `learn`/`lean`,
/// `qunit`/`nunit`, `gmail`/`mail`), unless that edit is a change of word
/// ending (`indexers`/`indexes`: [`other_word_form`]). CJK: one character apart, neither a
/// numeral (not `开源五周年`/`开源六周年`), in a category (a small tree the site
/// reuses: `科枝`/`科技`) or in a tag of four or more characters (`新浪财竟`/`新浪财经`):
/// tags are an open vocabulary, where short words one character apart are
/// distinct words (`脚本`/`日本`, `西园记`/`西厢记`).
fn is_slip(value: &str, peer: &str, kind: TaxonomyKind) -> bool {
    if is_cjk(value) || is_cjk(peer) {
        let numeral = |c: char| "〇零一二三四五六七八九十百千万两".contains(c);
        let shortest = if kind == TaxonomyKind::Category { 2 } else { 4 };
        return value.chars().count() >= shortest
            && value
                .chars()
                .zip(peer.chars())
                .filter(|(a, b)| a != b)
                .all(|(a, b)| !numeral(a) && !numeral(b));
    }
    let Some((short, long)) = differing_word(value, peer) else {
        return false;
    };
    let same_start = short.chars().next() == long.chars().next();
    is_plural(&short, &long)
        || (same_start
            && long.len() >= 6
            && within_one_edit(short.as_bytes(), long.as_bytes())
            && !other_word_form(&short, &long))
}

/// The one word two Latin values differ in, lower-cased, shorter first; `None`
/// when they differ in the number of words or in more than one.
fn differing_word(value: &str, peer: &str) -> Option<(String, String)> {
    let (value, peer) = (value.to_lowercase(), peer.to_lowercase());
    let (words, peer_words): (Vec<&str>, Vec<&str>) = (
        value.split_whitespace().collect(),
        peer.split_whitespace().collect(),
    );
    if words.len() != peer_words.len() {
        return None;
    }
    let mut differing = words.iter().zip(&peer_words).filter(|(a, b)| a != b);
    let (Some((word, peer_word)), None) = (differing.next(), differing.next()) else {
        return None;
    };
    let (short, long) = if word.len() <= peer_word.len() {
        (word, peer_word)
    } else {
        (peer_word, word)
    };
    Some(((*short).to_owned(), (*long).to_owned()))
}

/// `long` is the plural of `short`, a word of five or more letters.
fn is_plural(short: &str, long: &str) -> bool {
    short.len() >= 5
        && long
            .strip_prefix(short)
            .is_some_and(|ending| matches!(ending, "s" | "es"))
}

/// Endings English builds words with; two values that are one stem with two
/// of them (`indexers`/`indexes`, `mongod`/`mongo`, `coder`/`codes`) are two
/// words, not a slip (`exceptin`/`exception`: `in` is no ending).
const WORD_ENDINGS: &[&str] = &[
    "", "s", "es", "r", "rs", "er", "ers", "d", "ed", "ing", "ings", "ion", "ions", "or", "ors",
    "ly", "al", "ment", "ments", "ness", "ive", "able",
];

/// Whether `a` and `b` are one stem of three or more letters with two
/// different [`WORD_ENDINGS`] (the plural of one word is judged by the caller).
fn other_word_form(a: &str, b: &str) -> bool {
    let stem = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let (a_end, b_end) = (&a[stem..], &b[stem..]);
    stem >= 3 && a_end != b_end && WORD_ENDINGS.contains(&a_end) && WORD_ENDINGS.contains(&b_end)
}

fn is_cjk(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32,
            0x3040..=0x30FF     // kana
            | 0x3400..=0x4DBF   // CJK extension A
            | 0x4E00..=0x9FFF   // CJK unified ideographs
            | 0xAC00..=0xD7AF   // Hangul
            | 0xF900..=0xFAFF   // compatibility ideographs
            | 0x20000..=0x2FA1F)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_character_slips_are_close() {
        assert!(closeness("科枝", "科技").is_some());
        assert!(closeness("科技", "科技股").is_none());
        assert!(closeness("金", "全").is_none());
        assert!(closeness("Javascirpt", "JavaScript").is_some());
        assert!(closeness("rust", "bust").is_none());
        assert!(closeness("Go", "Git").is_none());
        assert!(may_be_close("Javascirpt", "JavaScript"));
        assert!(may_be_close("tag-17", "Tag-18"));
        assert!(!may_be_close("tag-17", "tag-345"));
        assert!(may_be_close("tag-17", "tag-71"));
        assert!(!may_be_close("tag-17", "tag-81"));
        assert!(may_be_close("Rust-lang", "rust-lagn"));
        assert!(may_be_close("Rust-lang", "rust-lng"));
        assert!(may_be_close("Rust-lang", "rust-lan"));
        assert!(!may_be_close("Rust-lang", "rust-ln"));
        assert!(may_be_close("hacker-news-daily", "hackre-newz-daily"));
        let candidates = [("科学", 3), ("科技", 12)];
        assert_eq!(closest("科枝", candidates.into_iter()), Some("科技"));
    }
}

#[cfg(test)]
mod prefilter {
    use super::*;

    /// Every word over `letters` of `length` letters.
    fn words(letters: &[char], length: usize) -> Vec<String> {
        (0..letters.len().pow(length as u32))
            .map(|mut n| {
                (0..length)
                    .map(|_| {
                        let letter = letters[n % letters.len()];
                        n /= letters.len();
                        letter
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn never_rejects_what_closeness_accepts() {
        // Exhaustive on short words; a sample of the long ones, where two or
        // more edits are allowed.
        for (short, long, step) in [(4, 5, 1), (5, 6, 1), (9, 9, 5), (10, 12, 31)] {
            let letters = ['a', 'B', 'b'];
            let letters = &letters[..if long > 5 { 2 } else { 3 }];
            let (shorts, longs) = (words(letters, short), words(letters, long));
            for a in shorts.iter().step_by(step) {
                for b in longs.iter().step_by(step) {
                    if closeness(a, b).is_some() {
                        assert!(may_be_close(a, b), "{a} {b}");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod snapshots {
    use super::super::value_rules_test_support::{config, site, snapshot};
    use crate::config::Generator;

    fn tech_site() -> crate::site::SiteIndex {
        site(&[
            ("p1.md", &["科技"], &["Rust"], &["新浪财经"]),
            ("p2.md", &["科技"], &["Rust"], &["新浪财经"]),
            ("p3.md", &["科技/人工智能"], &["JavaScript"], &[]),
            ("p4.md", &["金融/新浪财经"], &["JavaScript"], &[]),
            ("p5.md", &["金融/新浪财经"], &[], &[]),
            ("a.md", &["科枝"], &["Javascirpt"], &[]),
        ])
    }

    #[test]
    fn slips_next_to_existing_values() {
        let text = "---\ntitle: 🎉\ncategories: 科枝\ntags:\n  - 'Javascirpt'\n  - Go\n---\n";
        insta::assert_snapshot!(snapshot(
            text,
            "a.md",
            config(Generator::Hexo),
            &tech_site(),
            "FM013"
        ));
    }

    #[test]
    fn subcategories_compare_with_siblings() {
        let text = "---\r\ncategories:\r\n  - 金融\r\n  - 新浪财竟\r\n---\r\n";
        insta::assert_snapshot!(snapshot(
            text,
            "b.md",
            config(Generator::Hexo),
            &tech_site(),
            "FM013"
        ));
    }

    #[test]
    fn a_spelling_the_article_writes_is_not_a_slip() {
        let typo_site = site(&[
            ("p1.md", &[], &["GrdiView"], &[]),
            ("p2.md", &[], &["GrdiView"], &[]),
            ("p3.md", &[], &["GrdiView"], &[]),
            ("p4.md", &[], &["Rust"], &[]),
            ("p5.md", &[], &["Rust"], &[]),
            ("a.md", &[], &["gridview"], &[]),
        ]);
        let spelled = "---\ntags: [gridview]\n---\nBind the GridView to the data.\n";
        assert_eq!(
            snapshot(
                spelled,
                "a.md",
                config(Generator::Hexo),
                &typo_site,
                "FM013"
            ),
            ""
        );
        // Only as a word of its own: `gridviews` or `mygridview` is another word.
        let not_spelled = "---\ntags: [gridview]\n---\nmygridview and gridviews.\n";
        assert_ne!(
            snapshot(
                not_spelled,
                "a.md",
                config(Generator::Hexo),
                &typo_site,
                "FM013"
            ),
            ""
        );
        // A CJK slip comes from the input method: the post may write it again.
        let quoted = "---\ncategories: 科枝\n---\n分类写成了“科枝”。\n";
        assert_ne!(
            snapshot(
                quoted,
                "a.md",
                config(Generator::Hexo),
                &tech_site(),
                "FM013"
            ),
            ""
        );
        // A plural the article also writes is still the odd one out.
        let plural_site = site(&[
            ("p1.md", &[], &["tables"], &[]),
            ("p2.md", &[], &["tables"], &[]),
            ("p3.md", &[], &["Rust"], &[]),
            ("p4.md", &[], &["Rust"], &[]),
            ("p5.md", &[], &["Rust"], &[]),
            ("a.md", &[], &["table"], &[]),
        ]);
        let plural = "---\ntags: [table]\n---\nCreate the table first.\n";
        assert_ne!(
            snapshot(
                plural,
                "a.md",
                config(Generator::Hexo),
                &plural_site,
                "FM013"
            ),
            ""
        );
    }

    #[test]
    fn small_sites_are_not_checked() {
        let small = site(&[("p1.md", &["科技"], &[], &[])]);
        let text = "---\ncategories: 科枝\n---\n";
        assert_eq!(
            snapshot(text, "a.md", config(Generator::Hexo), &small, "FM013"),
            ""
        );
    }

    #[test]
    fn closed_vocabulary_of_top_level_categories() {
        let mut config = config(Generator::Hexo);
        config.taxonomy.categories = Some(vec!["金融".into(), "科技".into()]);
        let text = "---\ncategories:\n  - 金触\n  - 新浪财经\n---\n";
        insta::assert_snapshot!(snapshot(text, "a.md", config, &tech_site(), "FM013"));
    }

    #[test]
    fn closed_vocabulary() {
        let mut config = config(Generator::Hexo);
        config.taxonomy.authors = Some(vec!["新浪财经".into()]);
        let text = "---\nauthor: [新浪財经, 36氪]\n---\n";
        insta::assert_snapshot!(snapshot(text, "a.md", config, &tech_site(), "FM013"));
    }
}

#[cfg(test)]
mod number_tests {
    #[test]
    fn slips_are_told_from_distinct_words() {
        use crate::site::TaxonomyKind::{Category, Tag};
        for (value, peer) in [
            ("jquey", "jquery"),
            ("tricks", "trick"),
            ("resolutions", "resolution"),
            ("database lifycycle", "database lifecycle"),
            ("data modeling", "data modelling"),
            ("Kata Container", "Kata Containers"),
            ("Javascirpt", "JavaScript"),
            ("exceptin", "exception"),
            ("Wordprss", "WordPress"),
            ("新浪财竟", "新浪财经"),
        ] {
            assert!(super::is_slip(value, peer, Tag), "{value} / {peer}");
        }
        for (value, peer) in [
            ("https", "http"),
            ("jetty", "netty"),
            ("learn", "lean"),
            ("qunit", "nunit"),
            ("gmail", "mail"),
            ("jtwitter", "twitter"),
            ("conficker.b", "conficker"),
            ("indexers", "indexes"),
            ("mongod", "mongo"),
            ("tested", "testing"),
            ("脚本", "日本"),
            ("西园记", "西厢记"),
            ("开源五周年", "开源六周年"),
        ] {
            assert!(!super::is_slip(value, peer, Tag), "{value} / {peer}");
        }
        // Categories are a small tree the site reuses: a two-character slip counts.
        assert!(super::is_slip("科枝", "科技", Category));
        assert!(!super::is_slip("科枝", "科技", Tag));
    }

    #[test]
    fn versions_and_years_are_distinct_values() {
        assert!(!super::same_numbers(".net 3.5", ".net 4.5"));
        assert!(!super::same_numbers(
            "windows server 2012",
            "windows server 2008"
        ));
        assert!(super::same_numbers(
            "window server 2008 r2",
            "windows server 2008 r2"
        ));
        assert!(super::same_numbers("jquey", "jquery"));
    }
}
