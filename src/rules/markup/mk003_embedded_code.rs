use std::cell::OnceCell;
use std::collections::HashSet;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;
use crate::markup::Element;
use crate::markup::url::RawUrl;

use super::{elements, introduced_by_text, removal_range, written_in_text};

/// File types an iframe may point at directly: the author's own media, not a widget.
const MEDIA_EXTENSIONS: &[&str] = &[".mp4", ".webm", ".ogg", ".mp3", ".m4a", ".mov", ".pdf"];

declare_rule! {
    /// ## What it does
    /// Flags `<script>`, `<style>`, `<noscript>`, `<link>`, `<meta>`, and `<iframe>`
    /// elements (an iframe with an address) whose source is not an allowed embed
    /// host (video players such as
    /// `player.bilibili.com` or `www.youtube.com`; extend the list with
    /// `[markup] allowed_iframe_hosts`). A `<script src>` from one of those hosts
    /// is an embed too (GitHub gists render their code that way). Code inside
    /// Markdown code blocks, code spans and `{% highlight %}` blocks is never
    /// looked at.
    ///
    /// ## Why it matters
    /// Scripts and styles copied from the source page run on, or restyle, your
    /// whole site; foreign iframes load trackers and ads.
    ///
    /// ## Example
    /// ```markdown
    /// <style>.appendQr_wrap{border:1px solid #E6E6E6}</style>
    /// <iframe src="https://ads.example.com/slot"></iframe>
    /// ```
    /// Both are deleted; `<iframe src="https://player.bilibili.com/player.html?aid=1">`
    /// is kept.
    ///
    /// ## Fix
    /// Deletes the element: safe for code that is recognisably the source page's
    /// (loaded from or calling a tracker host, or using an ad or analytics
    /// library's globals such as `sinaads` or `adsbygoogle`, or a stylesheet whose
    /// every selector names a class or id the post does not have); unsafe otherwise, since an inline
    /// demo or a tag a tutorial explains is the post's content. A demo the post
    /// presents is not reported: one the text introduces (the line of text above
    /// ends with a colon), one loading a file by a relative path or from the
    /// author's machine (`localhost`), one whose code
    /// drives the post's own elements (`getElementById("chart")`, `#result {…}`),
    /// one the post also shows as code, one inside a page the post writes
    /// (`<html>`, `<head>`) or an inline `<svg>`, a frame whose address names
    /// what the text talks about (`…/raftscope/` in a post about RaftScope), the library script a demo
    /// runs on (the script before it), and a tag named in a sentence. One
    /// in an indented code block (shown as code) only when it is recognisably
    /// the source page's (the checks above, or a stylesheet of an ad or promo
    /// class). Elements that are never closed are reported without a fix.
    pub struct EmbeddedCode {
        code: "MK003", name: "embedded-code", severity: Warning, fix: Safe,
    }
}

impl EmbeddedCode {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let names = PostNames::default();
        for (index, element) in elements(ctx) {
            let what = match element.name.as_str() {
                "script" if is_allowed_script(ctx, element) => continue,
                "script" | "style" | "noscript" | "link" | "meta" => {
                    format!("embedded `<{}>`", element.name)
                }
                // A frame without an address loads nothing (a plugin's hidden
                // history frame): nothing foreign comes with it.
                "iframe" if !has_address(element) => continue,
                "iframe" if !is_allowed_iframe(ctx, element) => {
                    let src = element.attr_value("src").unwrap_or("");
                    format!(
                        "iframe from a host that is not an allowed embed (`{}`)",
                        host_of(src)
                    )
                }
                _ => continue,
            };
            let range = if element.is_complete() {
                element.range()
            } else {
                element.start_tag.clone()
            };
            let from_source_page = is_source_page_code(ctx, &names, element);
            // A demo the post shows, or the tag's name in a sentence, is content.
            if !from_source_page
                && (is_post_demo(ctx, &names, index, element)
                    || loads_a_demo_library(ctx, &names, index, element)
                    || names_the_tag(ctx.doc.text, element))
            {
                continue;
            }
            // In an indented code block the generator shows the tag as code: a
            // tutorial's sample, unless it is recognisably the source page's junk.
            if ctx.doc.markup.edits_indented_code(&range)
                && !from_source_page
                && !styles_ad_blocks(ctx, element)
            {
                continue;
            }
            let mut diagnostic = Diagnostic::new(&Self::META, range.clone(), what).unnecessary();
            if element.is_complete() {
                let title = format!("Delete the `<{}>` element", element.name);
                let edits = vec![Edit::delete(removal_range(ctx.doc.text, range))];
                // A demo the post presents is its content: only code that is
                // recognisably the source page's goes without asking.
                diagnostic = diagnostic.with_fix(if from_source_page {
                    Fix::safe(title, edits)
                } else {
                    Fix::unsafe_(title, edits)
                });
            }
            out.push(diagnostic);
        }
    }
}

/// Code that came with the source page rather than the post: scripts, styles,
/// links or frames loaded from a tracker host, or inline code that calls one or
/// uses an ad or analytics library's globals (`data/markup/ad_script_globals.txt`).
/// Anything else may be what a tutorial shows (a `<link>` it explains).
fn is_source_page_code<'c>(ctx: &'c Context, names: &PostNames<'c>, element: &Element) -> bool {
    let from_tracker = |src: &str| {
        RawUrl::parse(src.trim()).is_some_and(|url| ctx.patterns.is_tracker(&url.host, url.path))
    };
    if let Some(src) = element
        .attr_value("src")
        .or_else(|| element.attr_value("href"))
    {
        return from_tracker(src);
    }
    let code = ctx.doc.text.get(element.content_range()).unwrap_or("");
    if element.name == "script" && ctx.patterns.uses_ad_script_global(code) {
        return true;
    }
    if element.name == "style" && styles_nothing_in_the_post(names.classes_and_ids(ctx), code) {
        return true;
    }
    code.split(['"', '\'', '(', ')', ' ', ';'])
        .filter_map(|word| word.strip_prefix("//").or(Some(word)))
        .filter(|word| word.contains('.') && word.len() > 4)
        .any(|word| {
            let url = if word.contains("://") {
                word.to_owned()
            } else {
                format!("https://{word}")
            };
            from_tracker(&url)
        })
}

/// A stylesheet naming an ad or promo class (`.appendQr_wrap{…}`): the source
/// page's styling of its own promo block.
fn styles_ad_blocks(ctx: &Context, element: &Element) -> bool {
    let css = ctx.doc.text.get(element.content_range()).unwrap_or("");
    element.name == "style"
        && css.split(['.', '#']).skip(1).any(|rest| {
            let name = rest
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .next()
                .unwrap_or("");
            ctx.patterns.ad_class(name).is_some()
        })
}

/// Markup the post presents as its own demo rather than code a source page left:
/// the text introduces it (the closest line of text above ends with a colon:
/// `效果如下：`), it loads a file by a relative path (the site's own script or a
/// tutorial's `scripts/require.js`), its code drives elements the post has
/// (`getElementById("zen")`, `el: '#app'`, `#result { … }`), the post also shows
/// it as code, or it sits in a whole page the post writes (`<html>`, `<head>`).
fn is_post_demo<'c>(
    ctx: &'c Context,
    names: &PostNames<'c>,
    index: usize,
    element: &Element,
) -> bool {
    let text = ctx.doc.text;
    let code = text.get(element.content_range()).unwrap_or("");
    let source = element
        .attr_value("src")
        .or_else(|| element.attr_value("href"));
    introduced_by_text(text, element.start_tag.start)
        || source.is_some_and(|src| is_relative(src) || is_example_address(src))
        || drives_post_elements(names.ids(ctx), element, code)
        || shown_as_code(ctx, code)
        || in_written_page(ctx, index)
        || (element.name == "iframe" && text_names_the_frame(ctx, element))
}

/// Whether the post's text names what the frame shows: a word of five or more
/// letters of the folders of its address (`raft.github.io/raftscope/` beside "the
/// RaftScope visualisation") occurs in the text outside the element. An ad
/// slot's address names nothing the article talks about.
fn text_names_the_frame(ctx: &Context, element: &Element) -> bool {
    let Some(url) = element
        .attr_value("src")
        .and_then(|src| RawUrl::parse(src.trim()))
    else {
        return false;
    };
    let text = ctx.doc.text;
    let outside = [
        text.get(ctx.doc.markup.body_start..element.start_tag.start)
            .unwrap_or(""),
        text.get(element.end..).unwrap_or(""),
    ]
    .map(str::to_lowercase);
    // The folders, not a file name (`index.html`, `player.html` name no topic).
    let folders = url.path.rsplit_once('/').map_or("", |(folders, _)| folders);
    folders
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|word| word.len() >= 5)
        .map(str::to_ascii_lowercase)
        .any(|word| outside.iter().any(|part| part.contains(&word)))
}

/// A path on the site itself or next to the page (`/js/app.js`, `scripts/a.js`):
/// no scheme and not protocol-relative.
fn is_relative(src: &str) -> bool {
    let src = src.trim();
    !src.is_empty() && !src.starts_with("//") && RawUrl::parse(src).is_none() && !src.contains(':')
}

/// An address no source page can load for its readers: the author's own
/// machine (`localhost`, `127.0.0.1`, `*.local`), as a tutorial writes it.
fn is_example_address(src: &str) -> bool {
    RawUrl::parse(src.trim()).is_some_and(|url| {
        let host = url.host.to_ascii_lowercase();
        host == "127.0.0.1"
            || ["localhost", "local"]
                .iter()
                .any(|domain| host == *domain || host.ends_with(&format!(".{domain}")))
    })
}

/// The ids, and the class and id names, of the post's elements: gathered once
/// per check and only when a script or stylesheet asks (a long post has
/// thousands of elements and may have a stylesheet in every section).
#[derive(Default)]
struct PostNames<'c> {
    ids: OnceCell<HashSet<&'c str>>,
    classes_and_ids: OnceCell<HashSet<&'c str>>,
}

impl<'c> PostNames<'c> {
    fn ids(&self, ctx: &'c Context) -> &HashSet<&'c str> {
        self.ids.get_or_init(|| {
            elements(ctx)
                .filter_map(|(_, other)| other.attr_value("id"))
                .collect()
        })
    }

    fn classes_and_ids(&self, ctx: &'c Context) -> &HashSet<&'c str> {
        self.classes_and_ids.get_or_init(|| {
            let mut names = HashSet::new();
            for (_, element) in elements(ctx) {
                names.extend(
                    element
                        .attr_value("class")
                        .unwrap_or("")
                        .split_ascii_whitespace(),
                );
                names.extend(element.attr_value("id"));
            }
            names
        })
    }
}

/// Whether the script names an id of the post's elements (`getElementById("x")`,
/// `'#x'`), or every selector of the stylesheet names only ids and classes the
/// post has, at least one of them an id (`#result { … }`).
fn drives_post_elements(ids: &HashSet<&str>, element: &Element, code: &str) -> bool {
    if ids.is_empty() {
        return false;
    }
    match element.name.as_str() {
        "script" => code
            .split(['"', '\'', '`'])
            .skip(1)
            .step_by(2)
            .any(|literal| ids.contains(literal.strip_prefix('#').unwrap_or(literal))),
        "style" => {
            let mut selectors = css_selectors(code).peekable();
            selectors.peek().is_some()
                && selectors.all(|selector| {
                    selector.contains('#')
                        && selector_names(selector)
                            .iter()
                            .all(|name| ids.contains(name))
                })
        }
        _ => false,
    }
}

/// Whether the element's first line of code is also in one of the post's code
/// blocks: the post shows the demo's source and then runs it.
fn shown_as_code(ctx: &Context, code: &str) -> bool {
    let Some(line) = code
        .lines()
        .map(str::trim)
        .find(|line| line.chars().count() >= 12)
    else {
        return false;
    };
    let text = ctx.doc.text;
    ctx.doc.markup.code_regions.iter().any(|region| {
        text.get(region.clone())
            .is_some_and(|code| code.contains(line))
    })
}

/// Whether an ancestor is a `<html>`, `<head>` or `<body>` the post writes (a
/// whole page shown as the post's example) or an `<svg>` (a drawing's own styles
/// and scripts are part of the image).
fn in_written_page(ctx: &Context, index: usize) -> bool {
    let all = &ctx.doc.markup.html.elements;
    let mut parent = all[index].parent;
    while let Some(at) = parent {
        if matches!(all[at].name.as_str(), "html" | "head" | "body" | "svg") {
            return true;
        }
        parent = all[at].parent;
    }
    false
}

/// A `<script src>` whose next script is the post's demo loads the library the
/// demo runs on (`plotly.min.js` before the script drawing the post's chart).
fn loads_a_demo_library<'c>(
    ctx: &'c Context,
    names: &PostNames<'c>,
    index: usize,
    element: &Element,
) -> bool {
    element.name == "script"
        && element.attr_value("src").is_some()
        && ctx
            .doc
            .markup
            .html
            .elements
            .iter()
            .enumerate()
            .skip(index + 1)
            .find(|(_, other)| other.is_wellformed && other.name == "script")
            .is_some_and(|(next, script)| is_post_demo(ctx, names, next, script))
}

/// A tag written inside a sentence, empty or never closed (`HTML 的 <iframe>
/// 元素`, `为 script 参数添加<script language=’javascript’></script>标签`): the tag's
/// name in the text, loading nothing.
fn names_the_tag(text: &str, element: &Element) -> bool {
    let loads_nothing = element
        .attr_value("src")
        .is_none_or(|src| !src.contains('/'))
        && element.content_range().is_empty();
    (written_in_text(text, element.start_tag.start) && loads_nothing)
        || (!element.is_complete() && element.attributes.is_empty())
}

/// Whether no rule of the stylesheet `css` can apply to the post: every selector
/// names a class or id that no element of the post has (`.rich_media_content p`,
/// the source page's own layout). A selector without one (`p`, `body`) may style
/// the post, so such a sheet is not judged junk.
fn styles_nothing_in_the_post(names: &HashSet<&str>, css: &str) -> bool {
    let mut selectors = 0;
    for selector in css_selectors(css) {
        selectors += 1;
        let referenced = selector_names(selector);
        if referenced.is_empty() || referenced.iter().all(|name| names.contains(name)) {
            return false;
        }
    }
    selectors > 0
}

/// The selectors of a stylesheet's rules, `@` rules left out.
fn css_selectors(css: &str) -> impl Iterator<Item = &str> {
    css.split('}')
        .filter_map(|block| block.split_once('{').map(|(head, _)| head))
        // The selectors are what follows the last `{` or `;` before the rule's body
        // (`@media … {` opens a group whose first rule follows it).
        .map(|head| head.rsplit(['{', ';']).next().unwrap_or(head).trim())
        .filter(|head| !head.is_empty() && !head.starts_with('@'))
        .flat_map(|head| head.split(','))
}

/// The class and id names a CSS selector requires (`.a #b div.c` → `a`, `b`, `c`).
fn selector_names(selector: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = selector.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if matches!(bytes[i], b'.' | b'#') {
            let start = i + 1;
            let mut end = start;
            while end < bytes.len()
                && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'-' | b'_'))
            {
                end += 1;
            }
            if end > start {
                out.push(&selector[start..end]);
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// A `<script src>` from an allowed embed host renders content (a GitHub gist).
fn is_allowed_script(ctx: &Context, element: &Element) -> bool {
    element
        .attr_value("src")
        .and_then(|src| RawUrl::parse(src.trim()))
        .is_some_and(|url| ctx.patterns.is_allowed_iframe(&url.host, url.path))
}

fn host_of(src: &str) -> String {
    RawUrl::parse(src.trim()).map_or_else(|| "no source".to_owned(), |url| url.host.into_owned())
}

fn has_address(element: &Element) -> bool {
    ["src", "data-src"]
        .iter()
        .filter_map(|name| element.attr_value(name))
        .any(|src| !src.trim().is_empty())
}

/// An iframe is content when it comes from an allowed host, from the site itself
/// (a relative URL), or points straight at a media file.
fn is_allowed_iframe(ctx: &Context, element: &Element) -> bool {
    let Some(src) = element
        .attr_value("src")
        .or_else(|| element.attr_value("data-src"))
        .map(str::trim)
        .filter(|src| !src.is_empty())
    else {
        return false;
    };
    let Some(url) = RawUrl::parse(src) else {
        return !src.contains(':');
    };
    let path = url.path.to_ascii_lowercase();
    ctx.patterns.is_allowed_iframe(&url.host, url.path)
        || MEDIA_EXTENSIONS.iter().any(|ext| path.ends_with(ext))
}
