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
        let mut offset = body_start;
        let mut previous_ended_line = body_start == 0 || text[..body_start].ends_with('\n');
        for line in body.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            // Only ASCII whitespace: a line of no-break or ideographic spaces is a
            // spacer paragraph the author wrote.
            let is_blank = line.trim_ascii().is_empty() && line.ends_with('\n');
            if is_blank && previous_ended_line && !ctx.doc.markup.in_code(start) {
                run = Some(match run {
                    Some((second, _, count)) => (second, offset, count + 1),
                    None => (offset, offset, 1),
                });
            } else {
                flush(run.take(), out);
            }
            previous_ended_line = line.ends_with('\n');
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
