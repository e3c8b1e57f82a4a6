//! The site index: what every post of the site uses (categories as a tree, tags,
//! authors, front-matter keys), with counts. A plain data structure: the CLI and
//! the language server feed it summaries made by the same parser the rules use.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;
use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;
use unicode_normalization::UnicodeNormalization;

/// A post's identity in its site: its path relative to the site root, with `/`
/// separators and no `.` parts. The CLI, the server, the index and the rules all
/// name a post by this key, so "another post" means the same thing everywhere.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PostKey(String);

impl PostKey {
    /// The key of the post at `relative` (relative to the site root; `/` or `\`
    /// separated). The one constructor: every other conversion calls it.
    pub fn new(relative: &str) -> PostKey {
        // Built in one string: every post of a run is keyed, twice.
        let mut key = String::with_capacity(relative.len());
        for part in relative
            .split(['/', '\\'])
            .filter(|part| !part.is_empty() && *part != ".")
        {
            if !key.is_empty() {
                key.push('/');
            }
            key.push_str(part);
        }
        PostKey(key)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for PostKey {
    fn from(relative: &str) -> PostKey {
        PostKey::new(relative)
    }
}

impl From<String> for PostKey {
    fn from(relative: String) -> PostKey {
        PostKey::new(&relative)
    }
}

impl Borrow<str> for PostKey {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PostKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The three kinds of taxonomy value a post can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TaxonomyKind {
    Category,
    Tag,
    Author,
}

/// What the index keeps of one post.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostSummary {
    pub title: Option<String>,
    /// Each entry is one category path, root first (`["金融", "新浪财经"]`).
    pub categories: Vec<Vec<String>>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    /// Front-matter keys, in file order.
    pub keys: Vec<String>,
}

/// One node of the category tree: how many posts are filed here or below.
#[derive(Clone, Debug, Default)]
pub struct CategoryNode {
    pub posts: usize,
    pub children: BTreeMap<String, CategoryNode>,
    /// The titles of those posts.
    pub titles: Titles,
    /// The names of `children`, for the taxonomy rules: kept at the node, where
    /// counting a post arrives anyway (kept in a map keyed by the parent's path,
    /// each count hashed the path, and a new parent copied it).
    child_spellings: Spellings,
}

/// The titles of the posts that use one value, each with how many posts carry it:
/// hover lists the first few without visiting the site's posts. A post's title is
/// shared (one allocation) by every value it uses. Hashed, not sorted: kept in
/// order, every post compared its title with others once per value it uses, the
/// top of the index build's profile (perf); hover sorts the few it shows.
#[derive(Clone, Debug, Default)]
pub struct Titles {
    counts: HashMap<Arc<str>, usize>,
    posts: usize,
}

impl Titles {
    /// How many titled posts use the value.
    pub fn len(&self) -> usize {
        self.posts
    }

    pub fn is_empty(&self) -> bool {
        self.posts == 0
    }

    /// The first `n` titles in code-point order, once per post that carries them:
    /// one pass over the titles, keeping the `n` smallest.
    pub fn first(&self, n: usize) -> Vec<&str> {
        let mut smallest: Vec<(&str, usize)> = Vec::new();
        for (title, &count) in &self.counts {
            let title: &str = title;
            if smallest.len() == n && smallest.last().is_some_and(|(last, _)| *last <= title) {
                continue;
            }
            let at = smallest.partition_point(|(kept, _)| *kept < title);
            smallest.insert(at, (title, count));
            smallest.truncate(n);
        }
        smallest
            .into_iter()
            .flat_map(|(title, count)| std::iter::repeat_n(title, count))
            .take(n)
            .collect()
    }

    /// Counts one more post for each of `titles`.
    fn bump_each(&mut self, titles: Vec<&Arc<str>>) {
        self.counts.reserve(titles.len());
        for title in titles {
            self.bump(title, 1);
        }
    }

    fn bump(&mut self, title: &Arc<str>, delta: isize) {
        if delta > 0 {
            *self.counts.entry(title.clone()).or_default() += delta.unsigned_abs();
            self.posts += delta.unsigned_abs();
        } else if let Some(count) = self.counts.get_mut(&**title) {
            let removed = delta.unsigned_abs().min(*count);
            *count -= removed;
            self.posts -= removed;
            if *count == 0 {
                self.counts.remove(&**title);
            }
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct SiteIndex {
    posts: HashMap<PostKey, PostSummary>,
    categories: CategoryNode,
    tags: Values,
    authors: Values,
    keys: HashMap<String, usize>,
    /// Tags, authors and keys in use order, sorted on the first request after a
    /// change: completion asks on every keystroke, the taxonomy changes far less.
    by_use: ByUse,
    /// Whether post titles are left out of [`Titles`] (only hover shows them).
    without_titles: bool,
}

/// The tags or the authors of the site: counts, spellings and titles, kept in step.
#[derive(Clone, Debug, Default)]
struct Values {
    counts: HashMap<String, usize>,
    /// Lookup structures for the taxonomy rules.
    spellings: Spellings,
    titles: HashMap<String, Titles>,
}

impl Values {
    fn tally(&mut self, values: &[String], title: Option<&Arc<str>>, delta: isize) {
        for value in unique(values) {
            bump(&mut self.counts, value, delta);
            self.spellings.bump(value, delta);
            if let Some(title) = title {
                bump_titles(&mut self.titles, value, title, delta);
            }
        }
    }

    /// Counts many posts at once, as `tally` of each would: grouped by value first,
    /// so a value's count and spellings are updated once, not once per post that
    /// uses it (the per-post updates were most of the index build).
    fn tally_many<'a>(
        &mut self,
        posts: impl Iterator<Item = (&'a [String], Option<&'a Arc<str>>)>,
    ) {
        let mut by_value: HashMap<&str, Uses> = HashMap::default();
        for (values, title) in posts {
            for value in unique(values) {
                by_value.entry(value).or_default().add(title);
            }
        }
        for (value, uses) in by_value {
            bump(&mut self.counts, value, uses.posts as isize);
            self.spellings.bump(value, uses.posts as isize);
            if !uses.titles.is_empty() {
                match self.titles.get_mut(value) {
                    Some(titles) => titles.bump_each(uses.titles),
                    None => {
                        let titles = self.titles.entry(value.to_owned()).or_default();
                        titles.bump_each(uses.titles);
                    }
                }
            }
        }
    }
}

/// The posts that use one value (or category path), gathered before they are
/// counted into the index.
#[derive(Default)]
struct Uses<'a> {
    posts: usize,
    titles: Vec<&'a Arc<str>>,
}

impl<'a> Uses<'a> {
    fn add(&mut self, title: Option<&'a Arc<str>>) {
        self.posts += 1;
        self.titles.extend(title);
    }
}

impl CategoryNode {
    /// Counts a post filed under `paths` at this node (the root) and below.
    fn tally(&mut self, paths: &[Vec<String>], title: Option<&Arc<str>>, delta: isize) {
        // A post counts once per tree node even when two of its paths share a prefix.
        let mut seen: Vec<&[String]> = Vec::new();
        for path in paths {
            let mut node = &mut *self;
            for (depth, segment) in path.iter().enumerate() {
                let prefix = &path[..=depth];
                let counted = seen.contains(&prefix);
                if !counted {
                    seen.push(prefix);
                    node.child_spellings.bump(segment, delta);
                }
                node = child_node(node, segment);
                if !counted {
                    node.posts = node.posts.saturating_add_signed(delta);
                    if let Some(title) = title {
                        node.titles.bump(title, delta);
                    }
                }
            }
        }
        if delta < 0 {
            prune(self);
        }
    }

    /// Counts many posts at once, as `tally` of each would: grouped by category path
    /// first (every prefix of a post's paths once per post), then each path's node
    /// is reached and counted once.
    fn tally_many<'a>(
        &mut self,
        posts: impl Iterator<Item = (&'a [Vec<String>], Option<&'a Arc<str>>)>,
    ) {
        let mut by_path: HashMap<&[String], Uses> = HashMap::default();
        let mut seen: Vec<&[String]> = Vec::new();
        for (paths, title) in posts {
            seen.clear();
            for path in paths {
                for depth in 0..path.len() {
                    let prefix = &path[..=depth];
                    if !seen.contains(&prefix) {
                        seen.push(prefix);
                        by_path.entry(prefix).or_default().add(title);
                    }
                }
            }
        }
        for (path, uses) in by_path {
            let Some((name, parents)) = path.split_last() else {
                continue;
            };
            let parent = parents
                .iter()
                .fold(&mut *self, |node, segment| child_node(node, segment));
            parent.child_spellings.bump(name, uses.posts as isize);
            let node = child_node(parent, name);
            node.posts += uses.posts;
            node.titles.bump_each(uses.titles);
        }
    }

    /// The sub-categories of `parent` (empty: this node's own).
    fn spellings(&self, parent: &[String]) -> Option<&Spellings> {
        parent
            .iter()
            .try_fold(self, |node, segment| node.children.get(segment))
            .map(|node| &node.child_spellings)
            .filter(|spellings| !spellings.is_empty())
    }
}

#[derive(Clone, Debug, Default)]
struct ByUse {
    tags: OnceLock<Vec<(String, usize)>>,
    authors: OnceLock<Vec<(String, usize)>>,
    keys: OnceLock<Vec<(String, usize)>>,
}

/// The values used in one place (tags, authors, or the sub-categories of one
/// parent), indexed so the taxonomy rules never scan them all: by normalized form
/// ([`taxonomy_key`]) and by length in chars.
#[derive(Clone, Debug, Default)]
struct Spellings {
    /// Post count and normalized form of each value.
    values: HashMap<String, (usize, String)>,
    by_key: BTreeMap<String, BTreeSet<String>>,
    /// Values with their post counts: the FM013 scan reads the count of every
    /// candidate, so it is kept here rather than looked up.
    by_length: BTreeMap<usize, BTreeMap<String, usize>>,
}

impl Spellings {
    fn bump(&mut self, value: &str, delta: isize) {
        if delta > 0 {
            if let Some((count, _)) = self.values.get_mut(value) {
                *count += delta.unsigned_abs();
                let count = *count;
                self.bump_length_bucket(value, count);
                return;
            }
            // Normalizing is the costly part: done once per new value, not per post.
            let key = taxonomy_key(value);
            self.by_key
                .entry(key.clone())
                .or_default()
                .insert(value.to_owned());
            self.bump_length_bucket(value, delta.unsigned_abs());
            self.values
                .insert(value.to_owned(), (delta.unsigned_abs(), key));
        } else if let Some((count, _)) = self.values.get_mut(value) {
            *count = count.saturating_sub(delta.unsigned_abs());
            let count = *count;
            self.bump_length_bucket(value, count);
            if count > 0 {
                return;
            }
            if let Some((_, key)) = self.values.remove(value) {
                if let Some(values) = self.by_key.get_mut(&key) {
                    values.remove(value);
                    if values.is_empty() {
                        self.by_key.remove(&key);
                    }
                }
            }
        }
    }

    /// Sets the count of `value` in its length bucket (0 takes it out).
    fn bump_length_bucket(&mut self, value: &str, count: usize) {
        let length = value.chars().count();
        if count > 0 {
            let bucket = self.by_length.entry(length).or_default();
            match bucket.get_mut(value) {
                Some(old) => *old = count,
                None => {
                    bucket.insert(value.to_owned(), count);
                }
            }
        } else if let Some(bucket) = self.by_length.get_mut(&length) {
            bucket.remove(value);
            if bucket.is_empty() {
                self.by_length.remove(&length);
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn count(&self, value: &str) -> usize {
        self.values.get(value).map_or(0, |(count, _)| *count)
    }

    fn with_counts<'a>(
        &'a self,
        values: impl Iterator<Item = &'a String> + 'a,
    ) -> impl Iterator<Item = (&'a str, usize)> + 'a {
        values.map(|value| (value.as_str(), self.count(value)))
    }
}

impl SiteIndex {
    pub fn new() -> SiteIndex {
        SiteIndex::default()
    }

    /// An index that counts values but keeps no titles for hover: [`SiteIndex::titles`]
    /// finds none.
    pub fn without_titles() -> SiteIndex {
        SiteIndex {
            without_titles: true,
            ..SiteIndex::default()
        }
    }

    /// The title a post's values list, shared by all of them.
    fn title_of(&self, summary: &PostSummary) -> Option<Arc<str>> {
        if self.without_titles {
            return None;
        }
        summary.title.as_deref().map(Arc::from)
    }

    /// Adds the post `key`, replacing what was indexed for it before.
    pub fn insert(&mut self, key: impl Into<PostKey>, summary: PostSummary) {
        let key = key.into();
        // The server re-indexes a post on every edit; most edits leave it as it was.
        if self.posts.get(&key) == Some(&summary) {
            return;
        }
        self.remove(&key);
        self.tally(&summary, 1);
        self.posts.insert(key, summary);
    }

    /// Adds many posts at once, as [`SiteIndex::insert`] of each would (a key given
    /// twice: the last wins). The tags, authors and keys are counted on one thread
    /// while the categories are on another: a site's index is built whole
    /// before any post is linted, and counted on one thread it left a core idle.
    pub fn extend(&mut self, posts: impl IntoIterator<Item = (PostKey, PostSummary)>) {
        let posts = posts.into_iter();
        // Sized up front: the summaries are large, and moving them through every
        // regrowth showed in the serial start of a 10,000-post `check`.
        let (fewest, most) = posts.size_hint();
        let mut fresh: HashMap<PostKey, PostSummary> =
            HashMap::with_capacity_and_hasher(most.unwrap_or(fewest), Default::default());
        for (key, summary) in posts {
            if self.posts.get(&key) == Some(&summary) {
                continue;
            }
            self.remove(&key);
            fresh.insert(key, summary);
        }
        self.by_use = ByUse::default();
        let titled: Vec<(&PostSummary, Option<Arc<str>>)> = fresh
            .values()
            .map(|summary| (summary, self.title_of(summary)))
            .collect();
        let SiteIndex {
            categories,
            tags,
            authors,
            keys,
            ..
        } = self;
        rayon::join(
            || {
                tags.tally_many(titled.iter().map(|(s, t)| (&s.tags[..], t.as_ref())));
                authors.tally_many(titled.iter().map(|(s, t)| (&s.authors[..], t.as_ref())));
                for (summary, _) in &titled {
                    tally_keys(keys, &summary.keys, 1);
                }
            },
            || {
                categories.tally_many(titled.iter().map(|(s, t)| (&s.categories[..], t.as_ref())));
            },
        );
        drop(titled);
        if self.posts.is_empty() {
            self.posts = fresh;
        } else {
            self.posts.extend(fresh);
        }
    }

    pub fn remove(&mut self, key: &PostKey) {
        if let Some(old) = self.posts.remove(key) {
            self.tally(&old, -1);
        }
    }

    pub fn len(&self) -> usize {
        self.posts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.posts.is_empty()
    }

    /// The summary of the post whose key reads `key` (see [`PostKey`]).
    pub fn post(&self, key: &str) -> Option<&PostSummary> {
        self.posts.get(key)
    }

    /// How many posts use `value` as a tag or author, or as a category anywhere in the tree.
    pub fn count(&self, kind: TaxonomyKind, value: &str) -> usize {
        match kind {
            TaxonomyKind::Tag => self.tags.counts.get(value).copied().unwrap_or(0),
            TaxonomyKind::Author => self.authors.counts.get(value).copied().unwrap_or(0),
            TaxonomyKind::Category => {
                let mut total = 0;
                visit(&self.categories, &mut |name, node| {
                    if name == value {
                        total += node.posts;
                    }
                });
                total
            }
        }
    }

    /// Every value of `kind` with its post count, most used first, then by name.
    /// Categories are listed by name wherever they stand in the tree.
    pub fn values(&self, kind: TaxonomyKind) -> Vec<(&str, usize)> {
        let sorted = match kind {
            TaxonomyKind::Tag => sorted_by_use(&self.by_use.tags, &self.tags.counts),
            TaxonomyKind::Author => sorted_by_use(&self.by_use.authors, &self.authors.counts),
            TaxonomyKind::Category => {
                let mut totals: HashMap<&str, usize> = HashMap::default();
                visit(&self.categories, &mut |name, node| {
                    *totals.entry(name).or_default() += node.posts
                });
                let mut values: Vec<(&str, usize)> = totals.into_iter().collect();
                sort_by_use(&mut values);
                return values;
            }
        };
        sorted
            .iter()
            .map(|(value, count)| (value.as_str(), *count))
            .collect()
    }

    /// Front-matter keys with the number of posts that use them, most used first.
    pub fn keys(&self) -> Vec<(&str, usize)> {
        sorted_by_use(&self.by_use.keys, &self.keys)
            .iter()
            .map(|(key, count)| (key.as_str(), *count))
            .collect()
    }

    pub fn key_count(&self, key: &str) -> usize {
        self.keys.get(key).copied().unwrap_or(0)
    }

    /// The root of the category tree.
    pub fn category_tree(&self) -> &CategoryNode {
        &self.categories
    }

    /// Sub-categories used directly under `parent` (empty: the top level), most used first.
    pub fn category_children(&self, parent: &[impl AsRef<str>]) -> Vec<(&str, usize)> {
        let mut node = &self.categories;
        for segment in parent {
            match node.children.get(segment.as_ref()) {
                Some(child) => node = child,
                None => return Vec::new(),
            }
        }
        let mut children: Vec<(&str, usize)> = node
            .children
            .iter()
            .map(|(name, child)| (name.as_str(), child.posts))
            .collect();
        sort_by_use(&mut children);
        children
    }

    /// Values of `kind` whose [`taxonomy_key`] is `key`, with their post counts, by
    /// name. For categories, the sub-categories of `parent` (empty: the top level);
    /// `parent` is ignored for tags and authors.
    pub fn values_with_key<'a>(
        &'a self,
        kind: TaxonomyKind,
        parent: &[String],
        key: &str,
    ) -> impl Iterator<Item = (&'a str, usize)> + 'a {
        self.spellings(kind, parent)
            .and_then(|spellings| Some((spellings, spellings.by_key.get(key)?)))
            .into_iter()
            .flat_map(|(spellings, values)| spellings.with_counts(values.iter()))
    }

    /// The normalized form ([`taxonomy_key`]) of `value`, as the index keeps it for
    /// a value some post uses; `parent` as for [`SiteIndex::values_with_key`].
    pub fn key_of(&self, kind: TaxonomyKind, parent: &[String], value: &str) -> Option<&str> {
        self.spellings(kind, parent)?
            .values
            .get(value)
            .map(|(_, key)| key.as_str())
    }

    /// Values of `kind` whose length in chars is within `lengths`, with their post
    /// counts, by length then name. `parent` as for [`SiteIndex::values_with_key`].
    pub fn values_by_length<'a>(
        &'a self,
        kind: TaxonomyKind,
        parent: &[String],
        lengths: std::ops::RangeInclusive<usize>,
    ) -> impl Iterator<Item = (&'a str, usize)> + 'a {
        self.spellings(kind, parent)
            .into_iter()
            .flat_map(move |spellings| spellings.by_length.range(lengths.clone()))
            .flat_map(|(_, values)| values)
            .map(|(value, count)| (value.as_str(), *count))
    }

    fn spellings(&self, kind: TaxonomyKind, parent: &[String]) -> Option<&Spellings> {
        match kind {
            TaxonomyKind::Tag => Some(&self.tags.spellings),
            TaxonomyKind::Author => Some(&self.authors.spellings),
            TaxonomyKind::Category => self.categories.spellings(parent),
        }
    }

    /// The titles of the posts that use a tag or author `value`, or that are filed
    /// under the category `path` (root first; `value` is then ignored).
    pub fn titles(&self, kind: TaxonomyKind, value: &str, path: &[String]) -> Option<&Titles> {
        match kind {
            TaxonomyKind::Tag => self.tags.titles.get(value),
            TaxonomyKind::Author => self.authors.titles.get(value),
            TaxonomyKind::Category => path
                .iter()
                .try_fold(&self.categories, |node, segment| node.children.get(segment))
                .map(|node| &node.titles),
        }
    }

    /// Posts that use `value` (for categories: anywhere in their paths).
    pub fn posts_using<'a>(
        &'a self,
        kind: TaxonomyKind,
        value: &'a str,
    ) -> impl Iterator<Item = &'a PostKey> + 'a {
        self.posts.iter().filter_map(move |(path, post)| {
            let uses = match kind {
                TaxonomyKind::Tag => post.tags.iter().any(|t| t == value),
                TaxonomyKind::Author => post.authors.iter().any(|a| a == value),
                TaxonomyKind::Category => post.categories.iter().flatten().any(|c| c == value),
            };
            uses.then_some(path)
        })
    }

    fn tally(&mut self, summary: &PostSummary, delta: isize) {
        self.by_use = ByUse::default();
        let title = self.title_of(summary);
        self.tags.tally(&summary.tags, title.as_ref(), delta);
        self.authors.tally(&summary.authors, title.as_ref(), delta);
        tally_keys(&mut self.keys, &summary.keys, delta);
        self.categories
            .tally(&summary.categories, title.as_ref(), delta);
    }
}

fn tally_keys(keys: &mut HashMap<String, usize>, used: &[String], delta: isize) {
    for key in unique(used) {
        bump(keys, key, delta);
    }
}

/// What two spellings of a taxonomy value share when they differ only in form:
/// NFKC (full-width to half-width), lower case, look-alike CJK variants unified,
/// whitespace and punctuation dropped.
pub fn taxonomy_key(text: &str) -> String {
    text.nfkc()
        .flat_map(char::to_lowercase)
        .map(unify_variant)
        .filter(|c| !c.is_whitespace() && !is_taxonomy_punctuation(*c))
        .collect()
}

/// Punctuation [`taxonomy_key`] drops: ASCII and the common CJK marks.
pub fn is_taxonomy_punctuation(c: char) -> bool {
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

/// Each of `values` once. A post has a few values: checking the ones before each
/// costs less than sorting a copy (an allocation per post and kind); many are sorted.
fn unique(values: &[String]) -> impl Iterator<Item = &str> {
    const FEW: usize = 16;
    let sorted = (values.len() > FEW).then(|| {
        let mut sorted: Vec<&str> = values.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        sorted.dedup();
        sorted
    });
    let few = sorted
        .is_none()
        .then_some(values)
        .into_iter()
        .flat_map(|values| {
            values
                .iter()
                .enumerate()
                .filter(move |(at, value)| !values[..*at].contains(value))
                .map(|(_, value)| value.as_str())
        });
    few.chain(sorted.into_iter().flatten())
}

// The lookups below come before any `entry`: a value is mostly indexed already, and
// `entry` takes an owned key, one allocation per value per post of the index build.

fn bump(counts: &mut HashMap<String, usize>, value: &str, delta: isize) {
    if delta > 0 {
        match counts.get_mut(value) {
            Some(count) => *count += delta.unsigned_abs(),
            None => {
                counts.insert(value.to_owned(), delta.unsigned_abs());
            }
        }
    } else if let Some(count) = counts.get_mut(value) {
        *count = count.saturating_sub(delta.unsigned_abs());
        if *count == 0 {
            counts.remove(value);
        }
    }
}

fn bump_titles(titles: &mut HashMap<String, Titles>, value: &str, title: &Arc<str>, delta: isize) {
    if delta > 0 {
        match titles.get_mut(value) {
            Some(of_value) => of_value.bump(title, delta),
            None => titles
                .entry(value.to_owned())
                .or_default()
                .bump(title, delta),
        }
    } else if let Some(of_value) = titles.get_mut(value) {
        of_value.bump(title, delta);
        if of_value.is_empty() {
            titles.remove(value);
        }
    }
}

/// The child `name` of `node`, added when missing.
fn child_node<'a>(node: &'a mut CategoryNode, name: &str) -> &'a mut CategoryNode {
    if !node.children.contains_key(name) {
        node.children
            .insert(name.to_owned(), CategoryNode::default());
    }
    node.children
        .get_mut(name)
        .expect("the child was just added")
}

fn prune(node: &mut CategoryNode) {
    node.children.retain(|_, child| {
        prune(child);
        child.posts > 0
    });
}

fn visit<'a>(node: &'a CategoryNode, f: &mut impl FnMut(&'a str, &'a CategoryNode)) {
    for (name, child) in &node.children {
        f(name, child);
        visit(child, f);
    }
}

/// `counts` most used first, then by name: from `cache`, sorted once per change.
fn sorted_by_use<'a>(
    cache: &'a OnceLock<Vec<(String, usize)>>,
    counts: &HashMap<String, usize>,
) -> &'a [(String, usize)] {
    cache.get_or_init(|| {
        let mut values: Vec<(&str, usize)> = counts
            .iter()
            .map(|(value, count)| (value.as_str(), *count))
            .collect();
        sort_by_use(&mut values);
        values
            .into_iter()
            .map(|(value, count)| (value.to_owned(), count))
            .collect()
    })
}

fn sort_by_use(values: &mut [(&str, usize)]) {
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(categories: &[&[&str]], tags: &[&str]) -> PostSummary {
        PostSummary {
            categories: categories
                .iter()
                .map(|p| p.iter().map(|s| s.to_string()).collect())
                .collect(),
            tags: tags.iter().map(|s| s.to_string()).collect(),
            ..PostSummary::default()
        }
    }

    fn listed(site: &SiteIndex, kind: TaxonomyKind, value: &str, path: &[&str]) -> Vec<String> {
        let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        site.titles(kind, value, &path)
            .map(|titles| titles.first(10).into_iter().map(str::to_owned).collect())
            .unwrap_or_default()
    }

    #[test]
    fn an_index_without_titles_counts_alike_and_lists_none() {
        let titled = PostSummary {
            title: Some("甲".to_owned()),
            ..post(&[&["金融", "新浪财经"]], &["a"])
        };
        let mut with = SiteIndex::new();
        let mut without = SiteIndex::without_titles();
        for index in [&mut with, &mut without] {
            index.extend([(PostKey::new("a.md"), titled.clone())]);
            index.insert("b.md", titled.clone());
        }
        let path = ["金融".to_owned(), "新浪财经".to_owned()];
        for (kind, value, path) in [
            (TaxonomyKind::Tag, "a", &[][..]),
            (TaxonomyKind::Category, "新浪财经", &path[..]),
        ] {
            assert_eq!(with.count(kind, value), 2);
            assert_eq!(without.count(kind, value), 2);
            let listed = |index: &SiteIndex| index.titles(kind, value, path).map_or(0, Titles::len);
            assert_eq!(listed(&with), 2);
            assert_eq!(listed(&without), 0);
        }
    }

    #[test]
    fn titles_follow_each_value_and_category_path_through_edits() {
        let titled = |title: &str, categories: &[&[&str]], tags: &[&str]| PostSummary {
            title: Some(title.to_owned()),
            ..post(categories, tags)
        };
        let mut site = SiteIndex::new();
        site.insert("b.md", titled("乙", &[&["金融", "新浪财经"]], &["a"]));
        site.insert("a.md", titled("甲", &[&["金融"]], &["a", "a"]));
        site.insert("c.md", titled("甲", &[&["科技", "新浪财经"]], &["b"]));
        // In code-point order, as the titles sort.
        assert_eq!(listed(&site, TaxonomyKind::Tag, "a", &[]), ["乙", "甲"]);
        assert_eq!(
            listed(&site, TaxonomyKind::Category, "", &["金融"]),
            ["乙", "甲"]
        );
        assert_eq!(
            listed(&site, TaxonomyKind::Category, "", &["科技", "新浪财经"]),
            ["甲"]
        );
        assert_eq!(
            listed(&site, TaxonomyKind::Category, "", &["金融", "新浪财经"]),
            ["乙"]
        );
        site.insert("a.md", titled("丙", &[&["科技"]], &["b"]));
        site.remove(&PostKey::new("b.md"));
        assert!(listed(&site, TaxonomyKind::Tag, "a", &[]).is_empty());
        assert!(listed(&site, TaxonomyKind::Category, "", &["金融"]).is_empty());
        assert_eq!(listed(&site, TaxonomyKind::Tag, "b", &[]), ["丙", "甲"]);
        assert_eq!(
            site.titles(TaxonomyKind::Category, "", &["科技".into()])
                .map(Titles::len),
            Some(2)
        );
    }

    #[test]
    fn a_post_key_is_one_spelling_of_a_relative_path() {
        assert_eq!(
            PostKey::new("source/_posts/a.md").as_str(),
            "source/_posts/a.md"
        );
        assert_eq!(
            PostKey::new("./source\\_posts//a.md"),
            PostKey::new("source/_posts/a.md")
        );
    }

    #[test]
    fn counts_categories_as_a_tree() {
        let mut index = SiteIndex::new();
        index.insert("a.md", post(&[&["金融", "新浪财经"]], &["a"]));
        index.insert(
            "b.md",
            post(&[&["金融", "新浪财经"], &["金融", "36kr"]], &["a", "b"]),
        );
        index.insert("c.md", post(&[&["科技", "新浪财经"]], &[]));
        assert_eq!(
            index.category_children(&[] as &[&str]),
            [("金融", 2), ("科技", 1)]
        );
        assert_eq!(
            index.category_children(&["金融"]),
            [("新浪财经", 2), ("36kr", 1)]
        );
        assert_eq!(index.count(TaxonomyKind::Category, "新浪财经"), 3);
        assert_eq!(index.values(TaxonomyKind::Tag), [("a", 2), ("b", 1)]);
    }

    #[test]
    fn reinserting_a_post_replaces_its_counts() {
        let mut index = SiteIndex::new();
        index.insert("a.md", post(&[&["金融"]], &["x"]));
        index.insert("a.md", post(&[&["科技"]], &["y"]));
        assert_eq!(index.len(), 1);
        assert_eq!(index.category_children(&[] as &[&str]), [("科技", 1)]);
        assert_eq!(index.count(TaxonomyKind::Tag, "x"), 0);
        index.remove(&PostKey::new("a.md"));
        assert!(index.values(TaxonomyKind::Category).is_empty());
    }

    #[test]
    fn values_stay_in_use_order_as_posts_change() {
        let mut index = SiteIndex::new();
        index.insert("a.md", post(&[], &["x", "y"]));
        index.insert("b.md", post(&[], &["y"]));
        assert_eq!(index.values(TaxonomyKind::Tag), [("y", 2), ("x", 1)]);
        index.insert("c.md", post(&[], &["x"]));
        index.insert("d.md", post(&[], &["x"]));
        assert_eq!(index.values(TaxonomyKind::Tag), [("x", 3), ("y", 2)]);
        index.insert("a.md", post(&[], &["y"]));
        assert_eq!(index.values(TaxonomyKind::Tag), [("x", 2), ("y", 2)]);
        index.remove(&PostKey::new("b.md"));
        index.insert(
            "e.md",
            PostSummary {
                keys: vec!["title".into()],
                ..PostSummary::default()
            },
        );
        assert_eq!(index.values(TaxonomyKind::Tag), [("x", 2), ("y", 1)]);
        assert_eq!(index.keys(), [("title", 1)]);
    }

    fn key_lookup<'a>(
        index: &'a SiteIndex,
        kind: TaxonomyKind,
        parent: &[&str],
        value: &str,
    ) -> Vec<(&'a str, usize)> {
        let parent: Vec<String> = parent.iter().map(|s| s.to_string()).collect();
        index
            .values_with_key(kind, &parent, &taxonomy_key(value))
            .collect()
    }

    #[test]
    fn values_are_found_by_normalized_form_per_parent() {
        let mut index = SiteIndex::new();
        index.insert("a.md", post(&[&["金融", "新浪财经-国内"]], &["JavaScript"]));
        index.insert(
            "b.md",
            post(&[&["金融", "新浪财经－国內"]], &["javascript"]),
        );
        index.insert("c.md", post(&[&["科技", "新浪财经-国内"]], &["JavaScript"]));
        let tag = TaxonomyKind::Tag;
        let category = TaxonomyKind::Category;
        assert_eq!(
            key_lookup(&index, tag, &[], "Javascript"),
            [("JavaScript", 2), ("javascript", 1)]
        );
        assert_eq!(
            key_lookup(&index, category, &["金融"], "新浪财经 国内"),
            [("新浪财经-国内", 1), ("新浪财经－国內", 1)]
        );
        assert_eq!(
            key_lookup(&index, category, &["科技"], "新浪财经-国内"),
            [("新浪财经-国内", 1)]
        );
        assert_eq!(key_lookup(&index, category, &[], "金融"), [("金融", 2)]);
        assert!(key_lookup(&index, category, &["体育"], "新浪财经-国内").is_empty());
    }

    #[test]
    fn values_are_found_by_length() {
        let mut index = SiteIndex::new();
        index.insert("a.md", post(&[&["科技"]], &["rust", "go", "科技股"]));
        index.insert("b.md", post(&[&["科技股"]], &["rust", "javascript"]));
        let tags: Vec<_> = index
            .values_by_length(TaxonomyKind::Tag, &[], 2..=4)
            .collect();
        assert_eq!(tags, [("go", 1), ("科技股", 1), ("rust", 2)]);
        let top: Vec<_> = index
            .values_by_length(TaxonomyKind::Category, &[], 3..=3)
            .collect();
        assert_eq!(top, [("科技股", 1)]);
    }

    #[test]
    fn lookups_follow_reinserts_and_removals_exactly() {
        let mut index = SiteIndex::new();
        // Two paths sharing a prefix count the post once under that prefix.
        index.insert(
            "a.md",
            post(
                &[&["金融", "新浪财经"], &["金融", "36kr"]],
                &["Rust", "Rust"],
            ),
        );
        index.insert("b.md", post(&[&["金融", "新浪财经"]], &["Rust", "rust"]));
        let category = TaxonomyKind::Category;
        let tag = TaxonomyKind::Tag;
        assert_eq!(key_lookup(&index, category, &[], "金融"), [("金融", 2)]);
        assert_eq!(
            key_lookup(&index, tag, &[], "RUST"),
            [("Rust", 2), ("rust", 1)]
        );
        for _ in 0..3 {
            index.insert("b.md", post(&[&["金融", "36kr"]], &["rust"]));
        }
        assert_eq!(key_lookup(&index, category, &[], "金融"), [("金融", 2)]);
        assert_eq!(
            key_lookup(&index, category, &["金融"], "36KR"),
            [("36kr", 2)]
        );
        assert_eq!(
            key_lookup(&index, category, &["金融"], "新浪财经"),
            [("新浪财经", 1)]
        );
        assert_eq!(
            key_lookup(&index, tag, &[], "rust"),
            [("Rust", 1), ("rust", 1)]
        );
        index.remove(&PostKey::new("a.md"));
        assert!(key_lookup(&index, category, &["金融"], "新浪财经").is_empty());
        assert_eq!(key_lookup(&index, tag, &[], "rust"), [("rust", 1)]);
        index.remove(&PostKey::new("b.md"));
        index.remove(&PostKey::new("b.md"));
        assert!(key_lookup(&index, category, &[], "金融").is_empty());
        assert!(index.categories.child_spellings.is_empty());
        assert!(index.tags.spellings.is_empty());
        assert!(index.tags.spellings.by_key.is_empty());
        assert!(index.tags.spellings.by_length.is_empty());
    }

    proptest::proptest! {
        #[test]
        fn the_first_titles_are_the_smallest_once_per_post(
            posts in proptest::collection::vec(0..12u8, 0..40),
            n in 0..8usize,
        ) {
            let mut titles = Titles::default();
            for title in &posts {
                titles.bump(&Arc::from(format!("标题{title}")), 1);
            }
            let mut expected: Vec<String> = posts.iter().map(|title| format!("标题{title}")).collect();
            expected.sort();
            expected.truncate(n);
            proptest::prop_assert_eq!(titles.first(n), expected);
            proptest::prop_assert_eq!(titles.len(), posts.len());
        }
    }

    /// Everything the index answers about `values`, as text to compare.
    fn view(index: &SiteIndex, values: &[&str]) -> String {
        let mut seen = format!("{} posts; keys {:?}\n", index.len(), index.keys());
        for kind in [
            TaxonomyKind::Tag,
            TaxonomyKind::Author,
            TaxonomyKind::Category,
        ] {
            seen += &format!("{kind:?} {:?}\n", index.values(kind));
            for value in values {
                let titles: Vec<&str> = index
                    .titles(kind, value, &[value.to_string()])
                    .map(|titles| titles.first(10))
                    .unwrap_or_default();
                let key = index.key_of(kind, &[], value).unwrap_or_default();
                let alike: Vec<_> = index.values_with_key(kind, &[], key).collect();
                seen += &format!(
                    "  {value}: {} {titles:?} {alike:?}\n",
                    index.count(kind, value)
                );
            }
            let by_length: Vec<_> = index.values_by_length(kind, &[], 0..=9).collect();
            seen += &format!("  by length {by_length:?}\n");
        }
        for (name, _) in index.category_children(&[] as &[&str]) {
            seen += &format!("{name} > {:?}\n", index.category_children(&[name]));
            // The sub-categories' spellings, kept per parent.
            let parent = [name.to_owned()];
            for value in values {
                let key = index
                    .key_of(TaxonomyKind::Category, &parent, value)
                    .unwrap_or_default();
                let alike: Vec<_> = index
                    .values_with_key(TaxonomyKind::Category, &parent, key)
                    .collect();
                seen += &format!("  {name} > {value}: {alike:?}\n");
            }
            let by_length: Vec<_> = index
                .values_by_length(TaxonomyKind::Category, &parent, 0..=9)
                .collect();
            seen += &format!("  {name} > by length {by_length:?}\n");
        }
        seen
    }

    proptest::proptest! {
        #[test]
        fn extending_is_inserting_each_post(
            before in proptest::collection::vec((0..6usize, 0..4usize, 0..4usize, 0..4usize), 0..6),
            batch in proptest::collection::vec((0..6usize, 0..4usize, 0..4usize, 0..4usize), 0..12),
        ) {
            const VALUES: [&str; 4] = ["Rust", "rust", "金融", "新浪财经"];
            let summary = |(_, title, tag, category): (usize, usize, usize, usize)| PostSummary {
                title: (title > 0).then(|| format!("标题{title}")),
                categories: vec![vec![VALUES[category].to_owned(), VALUES[tag].to_owned()]],
                tags: vec![VALUES[tag].to_owned(), VALUES[(tag + title) % 4].to_owned()],
                authors: vec![VALUES[category].to_owned()],
                keys: vec!["title".to_owned(), VALUES[title].to_owned()],
            };
            let key = |post: &(usize, usize, usize, usize)| PostKey::new(&format!("{}.md", post.0));
            let mut inserted = SiteIndex::new();
            for post in &before {
                inserted.insert(key(post), summary(*post));
            }
            let mut extended = inserted.clone();
            for post in &batch {
                inserted.insert(key(post), summary(*post));
            }
            extended.extend(batch.iter().map(|post| (key(post), summary(*post))));
            proptest::prop_assert_eq!(view(&extended, &VALUES), view(&inserted, &VALUES));
        }
    }

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
