//! Front-matter keys the server documents in completion and hover: the common keys of
//! Hexo, Hugo and Jekyll and popular themes, overridden by `[frontmatter.fields]`.

use crate::config::{Config, FieldType};

pub struct KeyDoc {
    pub key: &'static str,
    pub field_type: FieldType,
    pub doc: &'static str,
}

const fn key(key: &'static str, field_type: FieldType, doc: &'static str) -> KeyDoc {
    KeyDoc {
        key,
        field_type,
        doc,
    }
}

pub static KEYS: &[KeyDoc] = &[
    key("title", FieldType::String, "Title of the post."),
    key(
        "date",
        FieldType::Date,
        "Publication date, in the generator's date format.",
    ),
    key("updated", FieldType::Date, "Last update date (Hexo)."),
    key("lastmod", FieldType::Date, "Last modification date (Hugo)."),
    key(
        "categories",
        FieldType::CategoryList,
        "Categories. Hexo: a list is one path (parent first); a list of lists is several paths.",
    ),
    key(
        "category",
        FieldType::CategoryList,
        "Alias of `categories`.",
    ),
    key("tags", FieldType::StringOrList, "Tags of the post."),
    key("author", FieldType::String, "Author of the post."),
    key("authors", FieldType::StringList, "Authors of the post."),
    key(
        "description",
        FieldType::Text,
        "Summary used by themes and search engines.",
    ),
    key("excerpt", FieldType::Text, "Excerpt shown in post lists."),
    key(
        "keywords",
        FieldType::StringOrList,
        "Keywords for search engines.",
    ),
    key(
        "layout",
        FieldType::String,
        "Layout template used to render the post.",
    ),
    key("permalink", FieldType::String, "Overrides the post's URL."),
    key("slug", FieldType::String, "URL slug of the post."),
    key("lang", FieldType::String, "Language of the post."),
    key(
        "comments",
        FieldType::Bool,
        "Whether comments are enabled on the post.",
    ),
    key(
        "draft",
        FieldType::Bool,
        "Drafts are not published (Hugo, Astro).",
    ),
    key(
        "published",
        FieldType::Bool,
        "`false` keeps the post unpublished (Hexo, Jekyll).",
    ),
    key(
        "top",
        FieldType::Bool,
        "Pins the post to the top of the index (theme convention).",
    ),
    key(
        "sticky",
        FieldType::Integer,
        "Pin priority of the post (theme convention).",
    ),
    key(
        "toc",
        FieldType::Bool,
        "Whether the theme shows a table of contents.",
    ),
    key(
        "mathjax",
        FieldType::Bool,
        "Whether the theme loads MathJax.",
    ),
    key("cover", FieldType::Url, "Cover image (theme convention)."),
    key(
        "thumbnail",
        FieldType::Url,
        "Thumbnail image (theme convention).",
    ),
    key(
        "headimg",
        FieldType::Url,
        "Header image (theme convention).",
    ),
    key(
        "photos",
        FieldType::StringList,
        "Photos of a gallery post (Hexo).",
    ),
];

/// The type and doc of `name`: `[frontmatter.fields]` wins over the built-in table.
pub fn describe(config: &Config, name: &str) -> Option<(FieldType, &'static str)> {
    let builtin = KEYS.iter().find(|k| k.key == name);
    match (config.frontmatter.fields.get(name), builtin) {
        (Some(&field_type), Some(builtin)) => Some((field_type, builtin.doc)),
        (Some(&field_type), None) => Some((field_type, "Declared in `[frontmatter.fields]`.")),
        (None, Some(builtin)) => Some((builtin.field_type, builtin.doc)),
        (None, None) => None,
    }
}
