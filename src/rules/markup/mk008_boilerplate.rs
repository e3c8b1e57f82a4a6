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
        let mut seen_blocks = HashSet::new();
        for (text_index, run) in html.texts.iter().enumerate() {
            if run.raw {
                continue;
            }
            let Some(mut block) = run.element else {
                check_lines(ctx, run.range.clone(), out);
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
            if element.text_chars > MAX_BLOCK_CHARS || !seen_blocks.insert(block) {
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
            let range = if element.is_complete() {
                element.range()
            } else {
                element.start_tag.start..run.range.end
            };
            if !is_frame(ctx, &range) {
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
fn check_lines(ctx: &Context, range: std::ops::Range<usize>, out: &mut Vec<Diagnostic>) {
    let text = ctx.doc.text;
    let Some(run) = text.get(range.clone()) else {
        return;
    };
    let mut line_start = range.start;
    for line in run.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
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
        if !is_frame(ctx, &span) {
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

/// Whether a block that holds a boilerplate phrase is the feed's footer after
/// the article rather than the article's own text: no more than
/// [`FRAME_LINES`] lines of text follow it, none of them a heading (not a
/// licence quoted at a post's start or middle, a program's banner, or
/// `点击下方按钮，开始二次开发：` and `编辑：` introducing a step).
fn is_frame(ctx: &Context, range: &std::ops::Range<usize>) -> bool {
    let text = ctx.doc.text;
    let after = text.get(range.end..).unwrap_or("");
    // Counted only as far as the limit: a candidate early in a long post must
    // not cost a walk over the rest of it.
    let text_lines = after
        .lines()
        .filter(|line| !line.trim().is_empty())
        .take(FRAME_LINES + 1)
        .count();
    if text_lines > FRAME_LINES {
        return false;
    }
    let heading_after = ctx
        .doc
        .markup
        .headings
        .iter()
        .any(|h| h.range.start >= range.end)
        || ctx.doc.markup.html.elements.iter().any(|e| {
            e.start_tag.start >= range.end
                && matches!(e.name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
        });
    !heading_after
}
