use std::collections::HashSet;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;

use super::{excerpt, removal_range};

/// Longest block (in visible characters) that can be boilerplate: a phrase inside
/// a real paragraph is the author's text.
const MAX_BLOCK_CHARS: usize = 120;

/// Lines of text a feed's footer may leave after a notice; with more, or a
/// heading after it, the article goes on and the notice is its text.
const FRAME_LINES: usize = 10;

declare_rule! {
    /// ## What it does
    /// Flags feed boilerplate: editor credits (`责任编辑：…`), app promos
    /// (`…尽在新浪财经APP`), `举报/反馈`, "Share this", "Read more at",
    /// "The post … appeared first on …". Only short blocks (an element or a line
    /// of at most 120 visible characters) are considered, so a phrase quoted
    /// inside a real paragraph is left alone, and only the footer after the
    /// article: a block at most 10 lines of text from the post's end with no
    /// heading after it (a licence quoted in a post or `点击下方按钮，开始二次开发：`
    /// before a section's steps is the article's text). Extend with `[markup] boilerplate`
    /// (`^phrase`: the block starts with it; `phrase$`: ends with it).
    ///
    /// ## Why it matters
    /// The credits and promos belong to the source site's page, not to the
    /// article.
    ///
    /// ## Example
    /// ```markdown
    /// <p class="article-editor">责任编辑：李昂 </p>
    /// ```
    /// is deleted.
    ///
    /// ## Fix
    /// Unsafe (it deletes visible text): deletes the element, or the line for
    /// plain Markdown text.
    pub struct Boilerplate {
        code: "MK008", name: "boilerplate", severity: Info, fix: Unsafe,
    }
}

impl Boilerplate {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let text = ctx.doc.text;
        let html = &ctx.doc.markup.html;
        let frame_start = frame_start(text);
        let mut seen_blocks = HashSet::new();
        for (text_index, run) in html.texts.iter().enumerate() {
            // Text that ends before the footer can hold none of it.
            if run.raw || run.range.end < frame_start {
                continue;
            }
            let Some(mut block) = run.element else {
                check_lines(ctx, frame_start, run.range.clone(), out);
                continue;
            };
            // The largest enclosing element that holds no other text.
            while let Some(parent) = html.elements.get(block).and_then(|e| e.parent)
                && html.elements.get(parent).map(|p| p.text_chars)
                    == html.elements.get(block).map(|e| e.text_chars)
            {
                block = parent;
            }
            let Some(element) = html.elements.get(block) else {
                continue;
            };
            let range = if element.is_complete() {
                element.range()
            } else {
                element.start_tag.start..run.range.end
            };
            if element.text_chars > MAX_BLOCK_CHARS
                || range.end < frame_start
                || !seen_blocks.insert(block)
            {
                continue;
            }
            let visible: String = html.texts[text_index..]
                .iter()
                .take_while(|t| t.range.start < element.end)
                .filter(|t| !t.raw)
                .filter_map(|t| text.get(t.range.clone()))
                .collect();
            let Some(phrase) = ctx.patterns.boilerplate(&visible) else {
                continue;
            };
            if heading_after(ctx, range.end) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &Self::META,
                    range.clone(),
                    format!(
                        "feed boilerplate `{}` (`{}`)",
                        phrase,
                        excerpt(&visible, 30)
                    ),
                )
                .with_fix(Fix::unsafe_(
                    "Delete the boilerplate",
                    vec![Edit::delete(removal_range(text, range))],
                )),
            );
        }
    }
}

/// Plain Markdown text: each line on its own, ignoring emphasis and list markers.
fn check_lines(
    ctx: &Context,
    frame_start: usize,
    range: std::ops::Range<usize>,
    out: &mut Vec<Diagnostic>,
) {
    let text = ctx.doc.text;
    // Lines that end before the footer are skipped below: start at the first line
    // that may not, rather than splitting the whole run (a post without HTML is one).
    let first_line = text
        .get(range.start..frame_start.clamp(range.start, range.end))
        .and_then(|before| memchr::memrchr(b'\n', before.as_bytes()))
        .map_or(range.start, |at| range.start + at + 1);
    let Some(run) = text.get(first_line..range.end) else {
        return;
    };
    let mut line_start = first_line;
    for line in run.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        if start + line.trim_end().len() < frame_start {
            continue;
        }
        let decoration = |c: char| c.is_whitespace() || "*_#>-+".contains(c);
        let content = line.trim_matches(decoration);
        // A quoted line is something the author cites (a program's banner, a
        // letter), never the feed's own footer.
        let quoted = line.trim_start().starts_with('>');
        if content.is_empty()
            || quoted
            || content.chars().count() > MAX_BLOCK_CHARS
            || ctx
                .doc
                .markup
                .in_code(start + line.len() - line.trim_start().len())
        {
            continue;
        }
        let Some(phrase) = ctx.patterns.boilerplate(content) else {
            continue;
        };
        let leading = line.len() - line.trim_start().len();
        let span = start + leading..start + line.trim_end().len();
        if heading_after(ctx, span.end) {
            continue;
        }
        // The text run may begin or end mid-line (next to a tag): only whole lines.
        let whole_line = removal_range(text, span.clone());
        if whole_line == span {
            continue;
        }
        out.push(
            Diagnostic::new(
                &Boilerplate::META,
                span,
                format!("feed boilerplate `{}` (`{}`)", phrase, excerpt(content, 30)),
            )
            .with_fix(Fix::unsafe_(
                "Delete the line",
                vec![Edit::delete(whole_line)],
            )),
        );
    }
}

/// Where the feed's footer can begin: a block that holds a boilerplate phrase
/// is the footer after the article, rather than the article's own text, only
/// when it ends at or after this offset, so that no more than [`FRAME_LINES`]
/// lines of text follow it (not a licence quoted at a post's start or middle, a
/// program's banner, or `点击下方按钮，开始二次开发：` and `编辑：` introducing a
/// step). Found once per post from its end, where asking each block would walk
/// the rest of the post.
fn frame_start(text: &str) -> usize {
    let mut text_lines = 0;
    let mut line_end = text.len();
    while line_end > 0 {
        // memrchr rather than `rfind`: imported posts hold whole articles on a line.
        let line_start =
            memchr::memrchr(b'\n', &text.as_bytes()[..line_end]).map_or(0, |at| at + 1);
        let line = &text[line_start..line_end];
        if !line.trim().is_empty() {
            text_lines += 1;
            if text_lines > FRAME_LINES {
                // From the end of this line's text on, only the lines after it count.
                return line_start + line.trim_end().len();
            }
        }
        line_end = line_start.saturating_sub(1);
    }
    0
}

/// Whether a heading follows `end`: the article goes on after the block.
fn heading_after(ctx: &Context, end: usize) -> bool {
    ctx.doc.markup.headings.iter().any(|h| h.range.start >= end)
        || ctx.doc.markup.html.elements.iter().any(|e| {
            e.start_tag.start >= end
                && matches!(e.name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The definition `frame_start` stands for: lines of text after `at`.
    fn text_lines_after(text: &str, at: usize) -> usize {
        text[at..]
            .lines()
            .filter(|line| !line.trim().is_empty())
            .count()
    }

    proptest! {
        #[test]
        fn a_block_ends_in_the_footer_exactly_when_few_lines_of_text_follow(
            text in "([a-c \u{3000}\r]{0,4}\n){0,30}[a-c ]{0,3}",
        ) {
            let start = frame_start(&text);
            for at in (0..=text.len()).filter(|&at| text.is_char_boundary(at)) {
                prop_assert_eq!(
                    at >= start,
                    text_lines_after(&text, at) <= FRAME_LINES,
                    "at {} of {:?} (frame start {})", at, text, start
                );
            }
        }
    }
}
