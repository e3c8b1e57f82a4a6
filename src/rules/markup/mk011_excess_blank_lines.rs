use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;

/// Runs of this many blank lines or more are reported.
const MIN_RUN: usize = 3;

declare_rule! {
    /// ## What it does
    /// Flags runs of 3 or more blank lines (lines holding only whitespace) in the
    /// body, outside code blocks: what removed templates leave behind.
    ///
    /// ## Why it matters
    /// Markdown renders them as one break anyway; in the source they hide the
    /// structure of the post.
    ///
    /// ## Example
    /// Five empty lines between two paragraphs become one.
    ///
    /// ## Fix
    /// Safe: keeps the first blank line of the run and deletes the others. The
    /// file's final newline is never removed.
    pub struct ExcessBlankLines {
        code: "MK011", name: "excess-blank-lines", severity: Hint, fix: Safe,
    }
}

impl ExcessBlankLines {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let text = ctx.doc.text;
        let body_start = ctx.doc.markup.body_start;
        let Some(body) = text.get(body_start..) else {
            return;
        };
        // (start of the run's second line, end of its last line, count)
        let mut run: Option<(usize, usize, usize)> = None;
        let mut previous_ended_line = body_start == 0 || text[..body_start].ends_with('\n');
        // Line by line through memchr's SIMD search for breaks: `split_inclusive`
        // found them a byte at a time. A last line without a break is never blank.
        let mut line_start = 0;
        for newline in memchr::memchr_iter(b'\n', body.as_bytes()) {
            let start = body_start + line_start;
            let end = body_start + newline + 1;
            let is_blank = body.as_bytes()[line_start..newline].trim_ascii().is_empty();
            if is_blank && previous_ended_line && !ctx.doc.markup.in_code(start) {
                run = Some(match run {
                    Some((second, _, count)) => (second, end, count + 1),
                    None => (end, end, 1),
                });
            } else {
                flush(run.take(), out);
            }
            previous_ended_line = true;
            line_start = newline + 1;
        }
        flush(run, out);
    }
}

fn flush(run: Option<(usize, usize, usize)>, out: &mut Vec<Diagnostic>) {
    let Some((second_line, end, count)) = run else {
        return;
    };
    if count < MIN_RUN {
        return;
    }
    out.push(
        Diagnostic::new(
            &ExcessBlankLines::META,
            second_line..end,
            format!("{count} blank lines in a row"),
        )
        .with_fix(Fix::safe(
            "Collapse to one blank line",
            vec![Edit::delete(second_line..end)],
        ))
        .unnecessary(),
    );
}
