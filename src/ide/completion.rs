//! Completion inside the front matter: keys, taxonomy values (categories aware of
//! their place in the hierarchy), booleans and dates.
//!
//! The cursor context is read from the lines around the cursor rather than from the
//! YAML tree: while someone types, the block is usually not valid YAML yet.

use std::ops::Range;

use rustc_hash::FxHashSet as HashSet;

use crate::config::{Config, FieldType};
use crate::document::Document;
use crate::site::{PostSummary, SiteIndex, TaxonomyKind};

use crate::frontmatter::schema::{KeyType, key_type, known_keys};

use super::schema;

/// The taxonomy a front-matter key holds, if any (`category` is Hexo's alias).
pub fn kind_of_key(key: &str) -> Option<TaxonomyKind> {
    match key {
        "categories" | "category" => Some(TaxonomyKind::Category),
        "tags" | "tag" => Some(TaxonomyKind::Tag),
        "author" | "authors" => Some(TaxonomyKind::Author),
        _ => None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Key,
    Value,
    Keyword,
    Snippet,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    pub detail: Option<String>,
    pub documentation: Option<String>,
    /// Text replacing the completion range; a snippet when `kind` is `Snippet`.
    pub insert: String,
}

/// Items (already sorted by use) and the byte range they replace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub replace: Range<usize>,
    pub items: Vec<Item>,
    /// The server filtered or cut the list: the client must ask again as the user
    /// types instead of filtering these items itself.
    pub incomplete: bool,
}

/// At most this many values are sent: a site of 100,000 posts has hundreds of tags,
/// and building, serialising and sending them all cost more than the analysis of an
/// edit. Below this, every candidate is sent and the client filters.
pub const MAX_ITEMS: usize = 100;

/// What the cursor is on.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Slot {
    Key,
    /// A value of `key`; for categories, the path of the parent categories.
    Value {
        key: String,
        parents: Vec<String>,
    },
}

/// Where the completion happens and with what.
pub struct Request<'a> {
    pub text: &'a str,
    pub offset: usize,
    /// The range between the front-matter fences.
    pub front_matter: Range<usize>,
    pub keys_present: &'a [String],
    pub site: &'a SiteIndex,
    /// What the index holds for this very post, not counted as use by others
    /// (otherwise the half-typed value would offer itself).
    pub own: Option<&'a PostSummary>,
    pub config: &'a Config,
    /// The current date in the site's format.
    pub now: &'a str,
}

/// Completes at `offset` of a parsed post, when it lies inside its front matter;
/// `own` is what the index holds for this post, `now` the date to offer.
pub fn complete_at(
    doc: &Document,
    offset: usize,
    site: &SiteIndex,
    own: Option<&PostSummary>,
    config: &Config,
    now: &str,
) -> Option<Completion> {
    let front_matter = doc.front_matter.as_ref()?;
    let keys: Vec<String> = front_matter.entries.iter().map(|e| e.key.clone()).collect();
    complete(&Request {
        text: doc.text,
        offset,
        front_matter: front_matter.content.clone(),
        keys_present: &keys,
        site,
        own,
        config,
        now,
    })
}

/// Completes at the request's offset, when it lies inside the front matter.
pub fn complete(request: &Request) -> Option<Completion> {
    let Request {
        text,
        offset,
        ref front_matter,
        keys_present,
        site,
        own,
        config,
        now,
    } = *request;
    if offset < front_matter.start || offset > front_matter.end || !text.is_char_boundary(offset) {
        return None;
    }
    let line_start = text[..offset]
        .rfind(['\n', '\r'])
        .map_or(0, |at| at + 1)
        .max(front_matter.start);
    let (slot, typed_start) = slot_at(text, front_matter.start, line_start, offset)?;
    // Keys are bounded by the schema and sent whole; values grow with the site.
    let (items, incomplete) = match slot {
        Slot::Key => (key_items(keys_present, site, config, now), false),
        Slot::Value { key, parents } => {
            let typed = &text[typed_start..offset];
            value_items(&key, &parents, site, own, config, now, typed)
        }
    };
    Some(Completion {
        replace: typed_start..offset,
        items,
        incomplete,
    })
}

/// The best [`MAX_ITEMS`] of `candidates` (sorted by use) for what the user has
/// typed: those whose label starts with it, then those holding its characters in
/// order (case-insensitive), each by use. Every item a client would show from the
/// whole list, with prefix or fuzzy filtering, is among the candidates kept.
fn best_for<'a>(
    candidates: impl Iterator<Item = (&'a str, usize)>,
    typed: &str,
) -> Vec<(&'a str, usize)> {
    let typed: String = lowered(typed).collect();
    let (mut starting, mut holding) = (Vec::new(), Vec::new());
    for candidate in candidates {
        if starting.len() >= MAX_ITEMS {
            break;
        }
        if starts_with_lowered(candidate.0, &typed) {
            starting.push(candidate);
        } else if holding.len() < MAX_ITEMS && holds_in_order(candidate.0, &typed) {
            holding.push(candidate);
        }
    }
    starting.extend(holding);
    starting.truncate(MAX_ITEMS);
    starting
}

/// The characters of `text`, lower-cased one by one: compared as they come, with no
/// lower-cased copy of every candidate.
fn lowered(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().flat_map(char::to_lowercase)
}

/// Whether `label`, lower-cased, starts with `typed` (already lower-cased).
fn starts_with_lowered(label: &str, typed: &str) -> bool {
    let mut label = lowered(label);
    typed.chars().all(|wanted| label.next() == Some(wanted))
}

/// Whether the characters of `typed` (already lower-cased) occur in `label`,
/// lower-cased, in order.
fn holds_in_order(label: &str, typed: &str) -> bool {
    let mut rest = lowered(label);
    typed.chars().all(|wanted| rest.any(|c| c == wanted))
}

fn slot_at(
    text: &str,
    block_start: usize,
    line_start: usize,
    offset: usize,
) -> Option<(Slot, usize)> {
    let prefix = &text[line_start..offset];
    let indent = prefix.len() - prefix.trim_start_matches([' ', '\t']).len();
    let rest = &prefix[indent..];
    if let Some(item) = rest.strip_prefix('-') {
        if !(item.is_empty() || item.starts_with([' ', '\t'])) {
            return None;
        }
        let key = owning_key(text, block_start, line_start)?;
        let (item_start, parents) = list_item(text, block_start, line_start, indent, offset)?;
        let (typed, flow_parents) = current_token(text, item_start, offset);
        let parents = flow_parents.unwrap_or(parents);
        return Some((Slot::Value { key, parents }, typed));
    }
    if indent > 0 {
        return None;
    }
    match rest.find(':') {
        None => {
            let is_word = rest
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
            is_word.then_some((Slot::Key, line_start))
        }
        Some(colon) => {
            let key = rest[..colon].trim().to_owned();
            let value_start = line_start + colon + 1;
            let (typed, flow_parents) = current_token(text, value_start, offset);
            Some((
                Slot::Value {
                    key,
                    parents: flow_parents.unwrap_or_default(),
                },
                typed,
            ))
        }
    }
}

/// Where the value being typed starts, skipping spaces, `[`, `,` and an opening
/// quote; inside a flow list `[a, b, |`, the items before the cursor.
fn current_token(text: &str, start: usize, offset: usize) -> (usize, Option<Vec<String>>) {
    let value = &text[start..offset];
    let (token_start, before) = match value.rfind(['[', ',']) {
        Some(at) => {
            let open = value.rfind('[').unwrap_or(at);
            let items: Vec<String> = value
                .get(open + 1..at)
                .unwrap_or("")
                .split(',')
                .map(unquote)
                .filter(|item| !item.is_empty())
                .collect();
            (start + at + 1, Some(items))
        }
        None => (start, None),
    };
    let token = &text[token_start..offset];
    let skipped = token.len() - token.trim_start_matches([' ', '\t', '"', '\'']).len();
    (token_start + skipped, before)
}

fn unquote(item: &str) -> String {
    item.trim().trim_matches(['"', '\'']).trim().to_owned()
}

/// The top-level key a list item belongs to: the nearest line above at column 0.
fn owning_key(text: &str, block_start: usize, line_start: usize) -> Option<String> {
    for line in lines_above(text, block_start, line_start) {
        if line.starts_with([' ', '\t', '-']) || line.trim().is_empty() {
            continue;
        }
        let colon = line.find(':')?;
        return Some(line[..colon].trim().to_owned());
    }
    None
}

/// Lines of `text[block_start..line_start]`, nearest first.
fn lines_above(text: &str, block_start: usize, line_start: usize) -> impl Iterator<Item = &str> {
    text[block_start..line_start]
        .split(['\n', '\r'])
        .rev()
        .filter(|line| !line.is_empty())
}

/// A list item line split into its dash columns and value: `  - - a` → ([2, 4], "a").
fn item_parts(line: &str) -> Option<(Vec<usize>, &str)> {
    let mut dashes = Vec::new();
    let mut at = 0;
    loop {
        let rest = &line[at..];
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let after = &rest[spaces..];
        if after == "-" || after.starts_with("- ") || after.starts_with("-\t") {
            dashes.push(at + spaces);
            at += spaces + 1;
        } else {
            return (!dashes.is_empty()).then(|| (dashes, after.trim()));
        }
    }
}

/// The start of the cursor's list item value and, for a block list, the parent path
/// it continues (empty in a list of lists, where each item starts a new path).
fn list_item(
    text: &str,
    block_start: usize,
    line_start: usize,
    indent: usize,
    offset: usize,
) -> Option<(usize, Vec<String>)> {
    let current = &text[line_start..offset];
    let (dashes, _) = item_parts(current)?;
    let last_dash = *dashes.last()?;
    let value_start = line_start + last_dash + 1;
    if dashes.len() > 1 {
        return Some((value_start, Vec::new()));
    }
    let mut siblings = Vec::new();
    let mut nested = false;
    for line in lines_above(text, block_start, line_start) {
        let Some((line_dashes, value)) = item_parts(line) else {
            let line_indent = line.len() - line.trim_start().len();
            if line_indent <= indent {
                break;
            }
            continue;
        };
        let line_last = line_dashes.last().copied().unwrap_or(0);
        if line_last > last_dash {
            nested = true;
        } else if line_last < last_dash {
            break;
        } else if line_dashes.len() > 1 {
            siblings.push(unquote(value));
            break;
        } else if value.starts_with('[') || value.is_empty() {
            nested = true;
        } else {
            siblings.push(unquote(value));
        }
    }
    if nested {
        siblings.clear();
    }
    siblings.reverse();
    Some((value_start, siblings))
}

fn key_items(keys_present: &[String], site: &SiteIndex, config: &Config, now: &str) -> Vec<Item> {
    let mut names: Vec<(String, usize)> = site
        .keys()
        .into_iter()
        .map(|(key, count)| (key.to_owned(), count))
        .collect();
    for key in known_keys(config).into_iter().map(str::to_owned) {
        if !names.iter().any(|(name, _)| *name == key) {
            names.push((key, 0));
        }
    }
    names.retain(|(name, _)| !keys_present.contains(name));
    names
        .into_iter()
        .map(|(name, count)| {
            let type_name = schema::type_name(config, &name);
            let detail = match (type_name, count) {
                (Some(t), 0) => t.to_owned(),
                (Some(t), n) => format!("{t} · {}", posts(n)),
                (None, n) => posts(n),
            };
            let (kind, insert) = if name == "date" {
                (ItemKind::Snippet, format!("date: ${{1:{now}}}"))
            } else {
                (ItemKind::Key, format!("{name}: "))
            };
            Item {
                insert,
                kind,
                detail: Some(detail),
                documentation: schema::doc(config, &name).map(str::to_owned),
                label: name,
            }
        })
        .collect()
}

/// The values offered for `key` and whether the list was cut or filtered (see
/// [`Completion::incomplete`]).
fn value_items(
    key: &str,
    parents: &[String],
    site: &SiteIndex,
    own: Option<&PostSummary>,
    config: &Config,
    now: &str,
    typed: &str,
) -> (Vec<Item>, bool) {
    if let Some(kind) = kind_of_key(key) {
        let ranked = match kind {
            TaxonomyKind::Category => site.category_children(parents),
            _ => site.values(kind),
        };
        let vocabulary = match kind {
            TaxonomyKind::Category if parents.is_empty() => config.taxonomy.categories.as_ref(),
            TaxonomyKind::Category => None,
            TaxonomyKind::Tag => config.taxonomy.tags.as_ref(),
            TaxonomyKind::Author => config.taxonomy.authors.as_ref(),
        };
        let candidates = Candidates::new(&ranked, kind, parents, own, vocabulary);
        let incomplete = candidates.len() > MAX_ITEMS;
        let chosen = if incomplete {
            best_for(candidates.iter(), typed)
        } else {
            candidates.iter().collect()
        };
        let items = chosen
            .into_iter()
            .map(|(value, count)| Item {
                insert: value.to_owned(),
                label: value.to_owned(),
                kind: ItemKind::Value,
                detail: Some(posts(count)),
                documentation: None,
            })
            .collect();
        return (items, incomplete);
    }
    let items = match key_type(config, key) {
        Some(KeyType::Field(FieldType::Bool)) => ["true", "false"]
            .into_iter()
            .map(|word| Item {
                label: word.to_owned(),
                kind: ItemKind::Keyword,
                detail: Some("bool".to_owned()),
                documentation: None,
                insert: word.to_owned(),
            })
            .collect(),
        Some(KeyType::Field(FieldType::Date)) => vec![Item {
            label: now.to_owned(),
            kind: ItemKind::Value,
            detail: Some("now".to_owned()),
            documentation: None,
            insert: now.to_owned(),
        }],
        _ => Vec::new(),
    };
    (items, false)
}

/// The values of a taxonomy slot with the number of other posts using each, most
/// used first, then the configured vocabulary nobody else uses yet. Read lazily:
/// only the values sent become items.
struct Candidates<'a> {
    /// The site's values that this post does not use, by use.
    others: Vec<(&'a str, usize)>,
    /// The values this post uses, counted without it (still by use), when others
    /// use them too.
    shared: Vec<(&'a str, usize)>,
    unused_vocabulary: Vec<&'a str>,
}

impl<'a> Candidates<'a> {
    fn new(
        ranked: &[(&'a str, usize)],
        kind: TaxonomyKind,
        parents: &[String],
        own: Option<&PostSummary>,
        vocabulary: Option<&'a Vec<String>>,
    ) -> Candidates<'a> {
        // What this very post uses is not counted as use by others (otherwise the
        // half-typed value would offer itself).
        let (mut others, mut shared) = (Vec::with_capacity(ranked.len()), Vec::new());
        for &(value, count) in ranked {
            if own.is_some_and(|own| uses(own, kind, parents, value)) {
                if count > 1 {
                    shared.push((value, count - 1));
                }
            } else {
                others.push((value, count));
            }
        }
        let mut candidates = Candidates {
            others,
            shared,
            unused_vocabulary: Vec::new(),
        };
        if let Some(vocabulary) = vocabulary.filter(|v| !v.is_empty()) {
            let used: HashSet<&str> = candidates.iter().map(|(value, _)| value).collect();
            let mut unused: Vec<&str> = Vec::new();
            for value in vocabulary {
                if !used.contains(value.as_str()) && !unused.contains(&value.as_str()) {
                    unused.push(value);
                }
            }
            candidates.unused_vocabulary = unused;
        }
        candidates
    }

    fn len(&self) -> usize {
        self.others.len() + self.shared.len() + self.unused_vocabulary.len()
    }

    /// Every candidate, most used first, by name among equals.
    fn iter(&self) -> impl Iterator<Item = (&'a str, usize)> + '_ {
        let mut others = self.others.iter().copied().peekable();
        let mut shared = self.shared.iter().copied().peekable();
        std::iter::from_fn(move || match (others.peek(), shared.peek()) {
            (Some(a), Some(b)) if by_use(b, a).is_lt() => shared.next(),
            (Some(_), _) => others.next(),
            (None, _) => shared.next(),
        })
        .chain(self.unused_vocabulary.iter().map(|value| (*value, 0)))
    }
}

/// The order of candidates: most used first, then by name.
fn by_use(a: &(&str, usize), b: &(&str, usize)) -> std::cmp::Ordering {
    b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0))
}

/// Whether `post` itself uses `value` at this place.
fn uses(post: &PostSummary, kind: TaxonomyKind, parents: &[String], value: &str) -> bool {
    match kind {
        TaxonomyKind::Category => post.categories.iter().any(|path| {
            path.len() > parents.len()
                && path[..parents.len()] == *parents
                && path[parents.len()] == value
        }),
        TaxonomyKind::Tag => post.tags.iter().any(|t| t == value),
        TaxonomyKind::Author => post.authors.iter().any(|a| a == value),
    }
}

fn posts(count: usize) -> String {
    if count == 1 {
        "1 post".to_owned()
    } else {
        format!("{count} posts")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteIndex {
        let mut site = SiteIndex::new();
        let paths: [&[&str]; 4] = [
            &["金融", "新浪财经"],
            &["金融", "新浪财经"],
            &["金融", "36kr"],
            &["科技", "数码"],
        ];
        for (i, path) in paths.iter().enumerate() {
            site.insert(
                format!("{i}.md"),
                PostSummary {
                    categories: vec![path.iter().map(|s| s.to_string()).collect()],
                    tags: vec!["股票".into()],
                    keys: vec!["title".into(), "categories".into()],
                    ..PostSummary::default()
                },
            );
        }
        site
    }

    /// Completes at `|` in a front matter made of `lines`.
    fn at_cursor(source: &str) -> Option<Completion> {
        let offset = source.find('|').unwrap_or(0);
        let text = source.replace('|', "");
        let end = text.rfind("---").unwrap_or(text.len());
        complete(&Request {
            text: &text,
            offset,
            front_matter: 4..end,
            keys_present: &[],
            site: &site(),
            own: None,
            config: &Config::default(),
            now: "2026-01-02 03:04:05",
        })
    }

    fn labels(completion: &Completion) -> Vec<&str> {
        completion.items.iter().map(|i| i.label.as_str()).collect()
    }

    #[test]
    fn sub_categories_follow_the_previous_items() {
        let c = at_cursor("---\ncategories:\n  - 金融\n  - |\n---\n").expect("completes");
        assert_eq!(labels(&c), ["新浪财经", "36kr"]);
        assert_eq!(c.items[0].detail.as_deref(), Some("2 posts"));
        let c = at_cursor("---\ncategories:\n  - |\n---\n").expect("completes");
        assert_eq!(labels(&c), ["金融", "科技"]);
    }

    #[test]
    fn flow_lists_and_lists_of_lists() {
        let c = at_cursor("---\ncategories: [金融, 新|]\n---\n").expect("completes");
        assert_eq!(labels(&c), ["新浪财经", "36kr"]);
        let text = "---\ncategories: [金融, 新]\n---\n";
        assert_eq!(
            c.replace,
            text.find("新]").unwrap_or(0)..text.find("]").unwrap_or(0)
        );
        let c = at_cursor("---\ncategories:\n  - [科技, 数码]\n  - |\n---\n").expect("completes");
        assert_eq!(labels(&c), ["金融", "科技"]);
        let c = at_cursor("---\ncategories:\n  - - 科技\n    - |\n---\n").expect("completes");
        assert_eq!(labels(&c), ["数码"]);
        let c = at_cursor("---\ncategory: 金|\n---\n").expect("completes");
        assert_eq!(labels(&c), ["金融", "科技"]);
    }

    #[test]
    fn keys_booleans_and_dates() {
        let c = at_cursor("---\nti|\n---\n").expect("completes");
        let title = c.items.iter().find(|i| i.label == "title").expect("title");
        assert_eq!(title.detail.as_deref(), Some("string · 4 posts"));
        let date = c.items.iter().find(|i| i.label == "date").expect("date");
        assert_eq!(date.insert, "date: ${1:2026-01-02 03:04:05}");
        assert_eq!(c.replace, 4..6);
        let c = at_cursor("---\ncomments: |\n---\n").expect("completes");
        assert_eq!(labels(&c), ["true", "false"]);
        let c = at_cursor("---\ntags: [股|\n---\n").expect("completes");
        assert_eq!(labels(&c), ["股票"]);
        assert!(at_cursor("---\ntitle: x\n---\nbody |").is_none());
    }

    /// A site where tag `t{i}` is used by `200 - i` posts, and `x-t7` by one.
    fn many_tags() -> SiteIndex {
        let mut site = SiteIndex::new();
        for post in 0..200 {
            let mut tags: Vec<String> = (0..200 - post).map(|i| format!("t{i}")).collect();
            if post == 0 {
                tags.push("x-t7".into());
            }
            let summary = PostSummary {
                tags,
                ..PostSummary::default()
            };
            site.insert(format!("{post}.md"), summary);
        }
        site
    }

    fn complete_tag(site: &SiteIndex, typed: &str) -> Completion {
        let text = format!("---\ntags: [{typed}]\n---\n");
        let offset = text.find(']').unwrap_or(0);
        complete(&Request {
            text: &text,
            offset,
            front_matter: 4..text.rfind("---").unwrap_or(0),
            keys_present: &[],
            site,
            own: None,
            config: &Config::default(),
            now: "2026-01-02 03:04:05",
        })
        .expect("completes")
    }

    #[test]
    fn long_lists_are_cut_to_the_best_by_use_and_asked_for_again() {
        let site = many_tags();
        let all = complete_tag(&site, "");
        assert!(all.incomplete);
        assert_eq!(all.items.len(), MAX_ITEMS);
        assert_eq!(all.items[0].label, "t0");
        assert_eq!(
            all.items[MAX_ITEMS - 1].label,
            format!("t{}", MAX_ITEMS - 1)
        );
        // Labels starting with what is typed first, then those holding it in order.
        let typed = complete_tag(&site, "T7");
        assert!(typed.incomplete);
        assert_eq!(labels(&typed)[..3], ["t7", "t70", "t71"]);
        assert_eq!(labels(&typed).last(), Some(&"x-t7"));
        assert!(typed.items.len() < MAX_ITEMS);
        assert!(typed.items.iter().all(|i| holds_in_order(&i.label, "t7")));
        // A short list is sent whole: the client filters it.
        let c = at_cursor("---\ntags: [x|\n---\n").expect("completes");
        assert!(!c.incomplete);
        assert_eq!(labels(&c), ["股票"]);
    }

    /// The list as it was built before candidates were read lazily: every value
    /// of the slot, counted without `own`, re-sorted, then cut for what is typed.
    fn every_value_then_cut(
        kind: TaxonomyKind,
        parents: &[String],
        site: &SiteIndex,
        own: Option<&PostSummary>,
        vocabulary: &[String],
        typed: &str,
    ) -> (Vec<(String, usize)>, bool) {
        let ranked = match kind {
            TaxonomyKind::Category => site.category_children(parents),
            _ => site.values(kind),
        };
        let mut values: Vec<(String, usize)> =
            ranked.into_iter().map(|(v, n)| (v.to_owned(), n)).collect();
        if let Some(own) = own {
            for (value, count) in &mut values {
                if uses(own, kind, parents, value) {
                    *count = count.saturating_sub(1);
                }
            }
            values.retain(|(_, count)| *count > 0);
            values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        for value in vocabulary {
            if !values.iter().any(|(v, _)| v == value) {
                values.push((value.clone(), 0));
            }
        }
        if values.len() <= MAX_ITEMS {
            return (values, false);
        }
        let typed = typed.to_lowercase();
        let (mut starting, mut holding) = (Vec::new(), Vec::new());
        for (value, count) in values {
            let label = value.to_lowercase();
            if label.starts_with(&typed) {
                starting.push((value, count));
            } else {
                let mut rest = label.chars();
                if typed.chars().all(|wanted| rest.any(|c| c == wanted)) {
                    holding.push((value, count));
                }
            }
        }
        starting.extend(holding);
        starting.truncate(MAX_ITEMS);
        (starting, true)
    }

    /// A value of two or three characters from a small alphabet (with case and
    /// non-ASCII), so that sites hold more than [`MAX_ITEMS`] values, shared.
    fn value(chars: &[u8]) -> String {
        const ALPHABET: [&str; 6] = ["a", "A", "b", "É", "é", "中"];
        chars.iter().map(|&c| ALPHABET[c as usize % 6]).collect()
    }

    proptest::proptest! {
        #[test]
        fn reading_candidates_lazily_offers_what_the_whole_list_did(
            posts in proptest::collection::vec(
                (proptest::collection::vec(proptest::collection::vec(0..6u8, 2..4), 0..8),
                 proptest::collection::vec(proptest::collection::vec(0..6u8, 1..3), 0..3)),
                0..60),
            own_post in proptest::option::of(0..60usize),
            vocabulary in proptest::collection::vec(proptest::collection::vec(0..6u8, 2..4), 0..4),
            typed in proptest::collection::vec(0..6u8, 0..3),
            parent in proptest::option::of(proptest::collection::vec(0..6u8, 1..3)),
        ) {
            let mut site = SiteIndex::new();
            let summaries: Vec<PostSummary> = posts
                .iter()
                .map(|(tags, category)| PostSummary {
                    tags: tags.iter().map(|t| value(t)).collect(),
                    categories: vec![category.iter().map(|c| value(c)).collect()],
                    ..PostSummary::default()
                })
                .collect();
            for (i, summary) in summaries.iter().enumerate() {
                site.insert(format!("{i}.md"), summary.clone());
            }
            let own = own_post.and_then(|i| summaries.get(i));
            let vocabulary: Vec<String> = vocabulary.iter().map(|v| value(v)).collect();
            let typed = value(&typed);
            let mut config = Config::default();
            config.taxonomy.tags = Some(vocabulary.clone());
            let cases = [
                ("tags", TaxonomyKind::Tag, Vec::new(), vocabulary.as_slice()),
                ("categories", TaxonomyKind::Category, parent.iter().map(|p| value(p)).collect(), &[]),
            ];
            for (key, kind, parents, vocabulary) in cases {
                let (items, incomplete) =
                    value_items(key, &parents, &site, own, &config, "now", &typed);
                let got: Vec<(String, usize)> = items
                    .iter()
                    .map(|item| {
                        let posts = item.detail.as_deref().and_then(|d| d.split(' ').next());
                        (item.label.clone(), posts.and_then(|n| n.parse().ok()).unwrap_or(0))
                    })
                    .collect();
                let expected = every_value_then_cut(kind, &parents, &site, own, vocabulary, &typed);
                proptest::prop_assert_eq!((got, incomplete), expected);
            }
        }
    }
}
