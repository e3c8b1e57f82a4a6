//! The body: Markdown structure (pulldown-cmark) and the HTML inside it, tokenized
//! with exact spans, plus the in-file suppression comments.
//!
//! How the body is read, once per edit:
//! 1. pulldown-cmark finds what must never be read as HTML (fenced code blocks,
//!    code spans, autolinks `<https://…>`), the Markdown links and images with the
//!    exact span of their URL, and the headings.
//! 2. The raw body, with those regions blanked out byte for byte (same length, so
//!    every offset stays exact, inside lists and blockquotes too), is tokenized with
//!    html5gum into a light element tree ([`html::Html`]).
//!
//! Hexo/Jekyll tag-plugin code blocks (`{% highlight html %}` … `{% endhighlight %}`)
//! are blanked too.
//!
//! Indented code blocks whose content starts with `<` are *not* blanked: in imported
//! posts they are HTML left indented by a template (a `<style>` or a QR `<div>` after
//! a blank line), which the author never meant as a code sample and which the rules
//! must see. Real code samples in these posts are fenced.
//!
//! On Jekyll, kramdown keeps an HTML block raw up to its matching end tag, across
//! blank lines ([`kramdown`]): a Markdown link there is shown as written
//! ([`Markup::shown_as_written`]), so editing it changes what the reader sees.

pub mod html;
mod kramdown;
pub mod patterns;
pub mod url;

use std::ops::Range;
use std::sync::OnceLock;

use crate::config::Generator;
use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

pub use html::{Attribute, Comment, Element, Html, Text};

/// A Markdown heading, for document symbols.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub range: Range<usize>,
}

/// What a Markdown URL belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](url)`.
    Link,
    /// `![alt](url)`.
    Image,
    /// `[label]: url`.
    Definition,
}

/// A URL written in Markdown syntax, with the exact span of the URL text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkdownUrl {
    pub kind: LinkKind,
    /// The whole link, image or definition.
    pub range: Range<usize>,
    /// Just the URL as written (inside `<…>` when it is bracketed).
    pub url_range: Range<usize>,
}

/// Everything the MK rules read, parsed once.
#[derive(Clone, Debug, Default)]
pub struct Markup {
    /// Byte offset where the body starts.
    pub body_start: usize,
    pub headings: Vec<Heading>,
    pub urls: Vec<MarkdownUrl>,
    /// Code blocks and spans and autolinks: never HTML, never linted as markup.
    pub code_regions: Vec<Range<usize>>,
    /// Indented code blocks of HTML: page markup pasted with an indent is still
    /// linted, but the generator renders it as code, so no edit there is safe.
    pub indented_html: Vec<Range<usize>>,
    pub html: Html,
    /// URLs a reader sees as text: autolinks `<https://…>` (without the brackets)
    /// and bare URLs in running text (which GFM renderers turn into links).
    pub shown_urls: Vec<Range<usize>>,
    /// Comments that are copydesk directives (never MK001; `suppress` reads them).
    directive_comments: Vec<usize>,
    /// kramdown's raw HTML blocks (sorted): on Jekyll, Markdown there is shown as
    /// written. Found on the first question, so other generators never pay for them.
    kramdown_raw_html: OnceLock<Vec<Range<usize>>>,
}

impl Markup {
    /// Whether comment number `index` is a copydesk directive.
    pub fn is_directive(&self, index: usize) -> bool {
        self.directive_comments.binary_search(&index).is_ok()
    }

    /// Whether an edit of `range` would change what renders as an indented code block.
    pub fn edits_indented_code(&self, range: &Range<usize>) -> bool {
        self.indented_html
            .iter()
            .any(|block| block.start < range.end.max(range.start + 1) && range.start < block.end)
    }

    /// Whether `generator`'s renderer shows the Markdown link or image at `range` of
    /// `text` (the text this was parsed from) as written, URL included: inside a raw
    /// HTML block of kramdown (Jekyll), where CommonMark renderers end the block at a
    /// blank line and make it a link.
    pub fn shown_as_written(&self, text: &str, generator: Generator, range: &Range<usize>) -> bool {
        if generator != Generator::Jekyll {
            return false;
        }
        let blocks = self.kramdown_raw_html.get_or_init(|| {
            let body = text.get(self.body_start..).unwrap_or_default();
            kramdown::raw_html_blocks(body, self.body_start, &self.code_regions)
        });
        let after = blocks.partition_point(|block| block.start <= range.start);
        after > 0 && blocks[after - 1].contains(&range.start)
    }

    /// Whether `offset` is inside a code block, code span or autolink.
    pub fn in_code(&self, offset: usize) -> bool {
        let after = self
            .code_regions
            .partition_point(|region| region.start <= offset);
        after > 0 && self.code_regions[after - 1].contains(&offset)
    }
}

/// The bare `http(s)://` URLs in a run of text, as GFM linkifies them: up to
/// whitespace, markup quotes or brackets, or a non-ASCII character, without
/// trailing punctuation.
fn bare_urls(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    // Every run of text comes here, and few hold a URL: those without `://` are
    // passed by one memchr, before the lower-cased copy.
    let bytes = text.as_bytes();
    let has_scheme_end = memchr::memchr_iter(b':', bytes)
        .any(|at| bytes.get(at + 1..at + 3) == Some(b"//".as_slice()));
    let starts: Vec<usize> = if has_scheme_end {
        let lower = text.to_ascii_lowercase();
        lower
            .match_indices("http")
            .map(|(at, _)| at)
            .filter(|&at| lower[at..].starts_with("http://") || lower[at..].starts_with("https://"))
            .collect()
    } else {
        Vec::new()
    };
    starts.into_iter().filter_map(move |start| {
        let rest = &text[start..];
        let len = rest
            .find(|c: char| {
                c.is_whitespace() || !c.is_ascii() || matches!(c, '<' | '>' | '"' | '\'' | '`')
            })
            .unwrap_or(rest.len());
        let url = rest[..len].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '*', '_']);
        (url.len() > "https://".len()).then_some(start..start + url.len())
    })
}

/// Parses the body of `text` starting at byte `body_start`.
pub fn parse(text: &str, body_start: usize) -> Markup {
    parse_with(text, body_start, true)
}

/// [`parse`], tokenizing the HTML only when `html` is set or the body holds a
/// `copydesk-` directive (suppressions are HTML comments): rules that read no
/// markup need the Markdown structure and the directives, not the element tree.
pub fn parse_with(text: &str, body_start: usize, html: bool) -> Markup {
    let body_start = body_start.min(text.len());
    let Some(body) = text.get(body_start..) else {
        return Markup::default();
    };
    let mut markup = Markup {
        body_start,
        ..Markup::default()
    };
    read_markdown(body, body_start, &mut markup);
    if html || body.contains(crate::suppress::DIRECTIVE_PREFIX) {
        let masked = mask(body, body_start, &markup.code_regions);
        markup.html = html::parse(text, &masked, body_start);
        read_directives(&mut markup);
    }
    markup
}

fn read_markdown(body: &str, offset: usize, markup: &mut Markup) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let parser = Parser::new_ext(body, options);
    let mut heading: Option<Heading> = None;
    let mut in_code_block = false;
    let mut iter = parser.into_offset_iter();
    for (event, range) in &mut iter {
        let absolute = range.start + offset..range.end + offset;
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let is_html = matches!(kind, CodeBlockKind::Indented)
                    && body
                        .get(range.clone())
                        .is_some_and(|code| code.trim_start().starts_with('<'));
                if is_html {
                    markup.indented_html.push(absolute);
                } else {
                    markup.code_regions.push(absolute);
                }
                in_code_block = true;
            }
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Code(text) => {
                markup.code_regions.push(absolute);
                if let Some(heading) = heading.as_mut() {
                    heading.text.push_str(&text);
                }
            }
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                ..
            }) => {
                if absolute.len() > 2 {
                    markup.shown_urls.push(absolute.start + 1..absolute.end - 1);
                }
                markup.code_regions.push(absolute);
            }
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => markup.code_regions.push(absolute),
            Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url,
                ..
            }) => push_inline_url(body, offset, range, &dest_url, LinkKind::Link, markup),
            Event::Start(Tag::Image {
                link_type: LinkType::Inline,
                dest_url,
                ..
            }) => push_inline_url(body, offset, range, &dest_url, LinkKind::Image, markup),
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some(Heading {
                    level: level as u8,
                    text: String::new(),
                    range: absolute,
                });
            }
            Event::Text(text) => {
                if let Some(heading) = heading.as_mut() {
                    heading.text.push_str(&text);
                }
                // An autolink's text is its URL, already listed.
                let in_autolink = markup
                    .code_regions
                    .last()
                    .is_some_and(|code| code.start <= absolute.start && absolute.end <= code.end);
                if !in_code_block && !in_autolink && body.get(range.clone()) == Some(&*text) {
                    markup.shown_urls.extend(
                        bare_urls(&text)
                            .map(|url| url.start + absolute.start..url.end + absolute.start),
                    );
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(mut done) = heading.take() {
                    done.text = done.text.trim().to_owned();
                    markup.headings.push(done);
                }
            }
            _ => {}
        }
    }
    for (_, definition) in iter.reference_definitions().iter() {
        if let Some(url_range) = find_url(body, definition.span.clone(), &definition.dest) {
            // kramdown reads a line with a `|` as a table row before a definition
            // (`[1]: https://… "进程模型 | Tauri"`): its URL is then text the reader sees.
            if body[definition.span.clone()].contains('|') {
                markup
                    .shown_urls
                    .push(url_range.start + offset..url_range.end + offset);
                continue;
            }
            markup.urls.push(MarkdownUrl {
                kind: LinkKind::Definition,
                range: definition.span.start + offset..definition.span.end + offset,
                url_range: url_range.start + offset..url_range.end + offset,
            });
        }
    }
    markup
        .code_regions
        .extend(template_code_blocks(body, offset));
    markup.code_regions.sort_by_key(|region| region.start);
    markup.urls.sort_by_key(|url| url.range.start);
}

/// Code blocks written with Hexo/Jekyll tag plugins (`{% highlight html %}` …
/// `{% endhighlight %}`, `{% codeblock %}`, `{% raw %}`): pulldown-cmark sees
/// plain text, the generator renders code. Unclosed blocks run to the end.
fn template_code_blocks(body: &str, offset: usize) -> Vec<Range<usize>> {
    const TAGS: &[(&str, &str)] = &[
        ("highlight", "endhighlight"),
        ("codeblock", "endcodeblock"),
        ("code", "endcode"),
        ("raw", "endraw"),
    ];
    // memchr's SIMD search: `str::find` of the two bytes over every body showed
    // as 3% of `check`.
    let tags: Vec<usize> = memchr::memmem::find_iter(body.as_bytes(), "{%").collect();
    let mut regions = Vec::new();
    let mut next = 0;
    while let Some(&start) = tags.get(next) {
        next += 1;
        let tag = body[start + 2..].trim_start();
        let name_len = tag
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(tag.len());
        let Some((_, end_name)) = TAGS.iter().find(|(open, _)| *open == &tag[..name_len]) else {
            continue;
        };
        // The first `{% end… %}` after the opening tag ends the block; an unclosed
        // block runs to the end.
        let end = tags[next..]
            .iter()
            .find(|&&at| body[at + 2..].trim_start().starts_with(end_name))
            .map_or(body.len(), |&at| {
                body[at..]
                    .find("%}")
                    .map_or(body.len(), |close| at + close + 2)
            });
        regions.push(start + offset..end + offset);
        next += tags[next..].partition_point(|&at| at < end);
    }
    regions
}

/// Records an inline link's URL when it is written literally in the source (no
/// escapes or entities that would make the decoded URL differ from its text).
fn push_inline_url(
    body: &str,
    offset: usize,
    range: Range<usize>,
    dest: &str,
    kind: LinkKind,
    markup: &mut Markup,
) {
    if let Some(url_range) = find_url(body, range.clone(), dest) {
        markup.urls.push(MarkdownUrl {
            kind,
            range: range.start + offset..range.end + offset,
            url_range: url_range.start + offset..url_range.end + offset,
        });
    }
}

/// The last literal occurrence of `dest` in `body[range]`: the destination comes
/// after the link text, so searching from the end skips a URL repeated in the text.
fn find_url(body: &str, range: Range<usize>, dest: &str) -> Option<Range<usize>> {
    if dest.is_empty() {
        return None;
    }
    let source = body.get(range.clone())?;
    let at = source.rfind(dest)?;
    Some(range.start + at..range.start + at + dest.len())
}

/// The body with every code region replaced by spaces (newlines kept), byte for byte.
fn mask(body: &str, offset: usize, regions: &[Range<usize>]) -> String {
    if regions.is_empty() {
        return body.to_owned();
    }
    let mut bytes = body.as_bytes().to_vec();
    for region in regions {
        let start = region.start.saturating_sub(offset).min(bytes.len());
        let end = region.end.saturating_sub(offset).min(bytes.len());
        for byte in &mut bytes[start..end] {
            if *byte != b'\n' && *byte != b'\r' {
                *byte = b' ';
            }
        }
    }
    // Whole code regions are replaced, and they start and end on char boundaries.
    String::from_utf8(bytes).unwrap_or_else(|error| {
        String::from_utf8_lossy(error.as_bytes())
            .chars()
            .map(|c| if c == '\u{FFFD}' { ' ' } else { c })
            .collect()
    })
}

/// Marks the comments that are copydesk directives (see [`crate::suppress`]).
fn read_directives(markup: &mut Markup) {
    markup.directive_comments = (markup.html.comments.iter().enumerate())
        .filter(|(_, comment)| crate::suppress::is_directive_comment(&comment.content))
        .map(|(index, _)| index)
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_never_html() {
        let text = "```html\n<script>x</script>\n```\n\nsee `<style>` and <https://a.b/?c=d>\n\n<b>x</b>\n";
        let markup = parse(text, 0);
        let names: Vec<&str> = markup
            .html
            .elements
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(names, ["b"]);
        assert_eq!(markup.code_regions.len(), 3);
        assert!(markup.in_code(text.find("script").unwrap_or(0)));
    }

    #[test]
    fn bare_urls_are_found_in_any_case_without_trailing_punctuation() {
        let text =
            "时间：12:30，见 HTTPS://a.example/x?y=1. 或 http://b.cn/海 与 ftp://c.d/ 及 http://";
        let found: Vec<&str> = bare_urls(text).map(|range| &text[range]).collect();
        assert_eq!(found, ["HTTPS://a.example/x?y=1", "http://b.cn/"]);
        assert_eq!(bare_urls("时间：12:30, a:b //c").count(), 0);
    }

    #[test]
    fn a_definition_with_a_pipe_shows_its_url() {
        let text = "正文\n\n[1]: https://a.example/p?x=1 \"页 | 站\"\n[2]: https://b.example/q\n";
        let markup = parse(text, 0);
        let shown: Vec<&str> = markup.shown_urls.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(shown, ["https://a.example/p?x=1"]);
        let hidden: Vec<&str> = markup
            .urls
            .iter()
            .map(|u| &text[u.url_range.clone()])
            .collect();
        assert_eq!(hidden, ["https://b.example/q"]);
    }

    #[test]
    fn template_code_blocks_are_code() {
        let text = "{% highlight html %}\n<script>x</script>\n{% endhighlight %}\n{% youtube id %}\n<b>y</b>\n{%raw%}<i>";
        let markup = parse(text, 0);
        let names: Vec<&str> = markup
            .html
            .elements
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(names, ["b"]);
    }

    #[test]
    fn template_code_blocks_end_at_their_own_end_tag() {
        let body = "a{% raw %}{% x %}{% endraw %}b{% code %}c{% endcode %}{% codeblock";
        let region = |from: &str, to: &str| {
            let start = body.find(from).expect("start");
            start..body[start..].find(to).expect("end") + start + to.len()
        };
        assert_eq!(
            template_code_blocks(body, 10),
            [
                region("{% raw", "{% endraw %}"),
                region("{% code %}", "{% endcode %}"),
                region("{% codeblock", "codeblock"),
            ]
            .map(|range| range.start + 10..range.end + 10)
        );
        // An end tag never closed runs to the end; no tags, no regions.
        assert_eq!(
            template_code_blocks("{% raw %}x{% endraw", 0),
            vec![(0..19)]
        );
        assert!(template_code_blocks("{{ x }} {%", 0).is_empty());
    }

    #[test]
    fn indented_html_is_still_html_but_indented_code_is_not() {
        let text = "para\n\n    <style>a{}</style>\n\ntext\n\n    let x = a<b>c;\n";
        let markup = parse(text, 0);
        let names: Vec<&str> = markup
            .html
            .elements
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(names, ["style"]);
    }

    #[test]
    fn markdown_urls_have_exact_spans_in_lists_and_quotes() {
        let text = "> - [海](https://x.cn/a?utm_source=b \"t\") ![i](<https://y.cn/i.png>)\n\n[ref]: https://z.cn/?spm=1\n";
        let markup = parse(text, 0);
        let urls: Vec<(LinkKind, &str)> = markup
            .urls
            .iter()
            .map(|u| (u.kind, &text[u.url_range.clone()]))
            .collect();
        assert_eq!(
            urls,
            [
                (LinkKind::Link, "https://x.cn/a?utm_source=b"),
                (LinkKind::Image, "https://y.cn/i.png"),
                (LinkKind::Definition, "https://z.cn/?spm=1"),
            ]
        );
    }

    #[test]
    fn headings_are_collected() {
        let text = "---\nt: 1\n---\n# 标题 `code`\n\ntext\n\nSub\n---\n";
        let markup = parse(text, 12);
        let headings: Vec<(u8, &str)> = markup
            .headings
            .iter()
            .map(|h| (h.level, h.text.as_str()))
            .collect();
        assert_eq!(headings, [(1, "标题 code"), (2, "Sub")]);
    }

    #[test]
    fn links_in_kramdown_raw_html_are_shown_as_written_on_jekyll_only() {
        let text = "<div>\n\n[a](https://x.cn/?utm_source=1)\n</div>\n\n[b](https://y.cn/)\n";
        let markup = parse(text, 0);
        let shown = |generator| -> Vec<bool> {
            (markup.urls.iter())
                .map(|url| markup.shown_as_written(text, generator, &url.range))
                .collect()
        };
        assert_eq!(shown(Generator::Jekyll), [true, false]);
        assert_eq!(shown(Generator::Hexo), [false, false]);
        assert_eq!(shown(Generator::Hugo), [false, false]);
    }

    #[test]
    fn directive_comments_are_marked() {
        let text =
            "<!-- copydesk-disable MK001 -->\n<!-- 正文下iframe -->\n<!-- copydesk-enable -->\n";
        let markup = parse(text, 0);
        assert!(markup.is_directive(0) && !markup.is_directive(1) && markup.is_directive(2));
    }
}
