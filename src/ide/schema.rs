//! What completion and hover say about a front-matter key: its type from the core's
//! schema (`crate::frontmatter::schema`, which `[frontmatter.fields]` overrides) and
//! a one-line doc for the common keys.

use crate::config::Config;
use crate::frontmatter::schema::{KeyType, key_type};

const DOCS: &[(&str, &str)] = &[
    ("title", "Title of the post."),
    ("date", "Publication date, in the generator's date format."),
    ("updated", "Last update date (Hexo)."),
    ("lastmod", "Last modification date (Hugo)."),
    (
        "categories",
        "Categories. Hexo: a list is one path (parent first); a list of lists is several paths.",
    ),
    ("category", "Alias of `categories`."),
    ("tags", "Tags of the post."),
    ("author", "Author of the post."),
    ("authors", "Authors of the post."),
    ("description", "Summary used by themes and search engines."),
    ("excerpt", "Excerpt shown in post lists."),
    ("keywords", "Keywords for search engines."),
    ("layout", "Layout template used to render the post."),
    ("permalink", "Overrides the post's URL."),
    ("slug", "URL slug of the post."),
    ("lang", "Language of the post."),
    ("comments", "Whether comments are enabled on the post."),
    ("draft", "Drafts are not published (Hugo, Astro)."),
    (
        "published",
        "`false` keeps the post unpublished (Hexo, Jekyll).",
    ),
    (
        "top",
        "Pins the post to the top of the index (theme convention).",
    ),
    ("sticky", "Pin priority of the post (theme convention)."),
    ("toc", "Whether the theme shows a table of contents."),
    ("cover", "Cover image (theme convention)."),
    ("thumbnail", "Thumbnail image (theme convention)."),
    ("headimg", "Header image (theme convention)."),
    ("photos", "Photos of a gallery post (Hexo)."),
];

/// The key's type name (`None` when the schema does not know it).
pub fn type_name(config: &Config, key: &str) -> Option<&'static str> {
    match key_type(config, key)? {
        KeyType::Field(field) => Some(field.name()),
        KeyType::Any => Some("any"),
    }
}

pub fn doc(config: &Config, key: &str) -> Option<&'static str> {
    DOCS.iter()
        .find(|(name, _)| *name == key)
        .map(|(_, doc)| *doc)
        .or_else(|| {
            config
                .frontmatter
                .fields
                .contains_key(key)
                .then_some("Declared in `[frontmatter.fields]`.")
        })
}
