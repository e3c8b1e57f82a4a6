//! The site index: what every post of the site uses (categories as a tree, tags,
//! authors, front-matter keys), with counts. A plain data structure: the CLI and
//! the language server feed it summaries made by the same parser the rules use.

use std::collections::{BTreeMap, HashMap};

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
}

#[derive(Clone, Debug, Default)]
pub struct SiteIndex {
    posts: HashMap<String, PostSummary>,
    categories: CategoryNode,
    tags: HashMap<String, usize>,
    authors: HashMap<String, usize>,
    keys: HashMap<String, usize>,
}

impl SiteIndex {
    pub fn new() -> SiteIndex {
        SiteIndex::default()
    }

    /// Adds the post at `path`, replacing what was indexed for it before.
    pub fn insert(&mut self, path: impl Into<String>, summary: PostSummary) {
        let path = path.into();
        self.remove(&path);
        self.tally(&summary, 1);
        self.posts.insert(path, summary);
    }

    pub fn remove(&mut self, path: &str) {
        if let Some(old) = self.posts.remove(path) {
            self.tally(&old, -1);
        }
    }

    pub fn len(&self) -> usize {
        self.posts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.posts.is_empty()
    }

    pub fn post(&self, path: &str) -> Option<&PostSummary> {
        self.posts.get(path)
    }

    pub fn posts(&self) -> impl Iterator<Item = (&str, &PostSummary)> {
        self.posts
            .iter()
            .map(|(path, summary)| (path.as_str(), summary))
    }

    /// How many posts use `value` as a tag or author, or as a category anywhere in the tree.
    pub fn count(&self, kind: TaxonomyKind, value: &str) -> usize {
        match kind {
            TaxonomyKind::Tag => self.tags.get(value).copied().unwrap_or(0),
            TaxonomyKind::Author => self.authors.get(value).copied().unwrap_or(0),
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
        let mut values: Vec<(&str, usize)> = match kind {
            TaxonomyKind::Tag => self.tags.iter().map(|(k, v)| (k.as_str(), *v)).collect(),
            TaxonomyKind::Author => self.authors.iter().map(|(k, v)| (k.as_str(), *v)).collect(),
            TaxonomyKind::Category => {
                let mut totals: HashMap<&str, usize> = HashMap::new();
                visit(&self.categories, &mut |name, node| {
                    *totals.entry(name).or_default() += node.posts
                });
                totals.into_iter().collect()
            }
        };
        sort_by_use(&mut values);
        values
    }

    /// Tags or authors with their post counts in no particular order: no allocation
    /// or sorting, for scans that run on every keystroke. Empty for categories, which
    /// live in a tree (see [`SiteIndex::category_children`]).
    pub fn unsorted_values(&self, kind: TaxonomyKind) -> impl Iterator<Item = (&str, usize)> {
        let counts = match kind {
            TaxonomyKind::Tag => Some(&self.tags),
            TaxonomyKind::Author => Some(&self.authors),
            TaxonomyKind::Category => None,
        };
        counts
            .into_iter()
            .flatten()
            .map(|(value, count)| (value.as_str(), *count))
    }

    /// Front-matter keys with the number of posts that use them, most used first.
    pub fn keys(&self) -> Vec<(&str, usize)> {
        let mut keys: Vec<(&str, usize)> =
            self.keys.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        sort_by_use(&mut keys);
        keys
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

    /// Paths of posts that use `value` (for categories: anywhere in their paths).
    pub fn posts_using<'a>(
        &'a self,
        kind: TaxonomyKind,
        value: &'a str,
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.posts.iter().filter_map(move |(path, post)| {
            let uses = match kind {
                TaxonomyKind::Tag => post.tags.iter().any(|t| t == value),
                TaxonomyKind::Author => post.authors.iter().any(|a| a == value),
                TaxonomyKind::Category => post.categories.iter().flatten().any(|c| c == value),
            };
            uses.then_some(path.as_str())
        })
    }

    fn tally(&mut self, summary: &PostSummary, delta: isize) {
        for tag in dedup(&summary.tags) {
            bump(&mut self.tags, tag, delta);
        }
        for author in dedup(&summary.authors) {
            bump(&mut self.authors, author, delta);
        }
        for key in dedup(&summary.keys) {
            bump(&mut self.keys, key, delta);
        }
        // A post counts once per tree node even when two of its paths share a prefix.
        let mut seen: Vec<&[String]> = Vec::new();
        for path in &summary.categories {
            for depth in 1..=path.len() {
                let prefix = &path[..depth];
                if seen.contains(&prefix) {
                    continue;
                }
                seen.push(prefix);
                let mut node = &mut self.categories;
                for segment in prefix {
                    node = node.children.entry(segment.clone()).or_default();
                }
                node.posts = node.posts.saturating_add_signed(delta);
            }
        }
        if delta < 0 {
            prune(&mut self.categories);
        }
    }
}

fn dedup(values: &[String]) -> Vec<&String> {
    let mut unique: Vec<&String> = values.iter().collect();
    unique.sort();
    unique.dedup();
    unique
}

fn bump(counts: &mut HashMap<String, usize>, value: &str, delta: isize) {
    if delta > 0 {
        *counts.entry(value.to_owned()).or_default() += delta.unsigned_abs();
    } else if let Some(count) = counts.get_mut(value) {
        *count = count.saturating_sub(delta.unsigned_abs());
        if *count == 0 {
            counts.remove(value);
        }
    }
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
        index.remove("a.md");
        assert!(index.values(TaxonomyKind::Category).is_empty());
    }
}
