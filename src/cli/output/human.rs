//! The default report (`full`): `path:line:col: severity[CODE] message`, then the
//! source lines with the span underlined, fitted to the terminal width, a `help:`
//! line with the fix title, then a summary. Colour only when asked (see `cli::color`);
//! on a colour terminal the code links to the rule's documentation (OSC 8).

use std::fmt::Write as _;
use std::ops::Range;

use unicode_width::UnicodeWidthChar as _;

use annotate_snippets::renderer::{AnsiColor, Effects, Style};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{Position, Totals, plural, position};
use crate::cli::session::FileReport;
use crate::diagnostic::{Applicability, Diagnostic, Severity};

/// Lines of source shown at most under one diagnostic; longer spans are cut.
const MAX_EXCERPT_LINES: usize = 8;
/// Columns of context kept at most on each side of a span within a long line.
const CONTEXT_CHARS: usize = 60;
/// The least context kept on a narrow terminal.
const MIN_CONTEXT_CHARS: usize = 12;
const ELLIPSIS: &str = "...";

/// Where the excerpt starts: the line start, or `context` columns before the span
/// when the line is longer than that.
fn window_start(text: &str, line_start: usize, span_start: usize, context: usize) -> usize {
    let mut columns = 0;
    for (at, ch) in text[line_start..span_start].char_indices().rev() {
        columns += columns_of(ch);
        if columns > context {
            return line_start + at + ch.len_utf8();
        }
    }
    line_start
}

/// Where the excerpt ends: the line end, or `context` columns after the span.
fn window_end(text: &str, span_end: usize, line_end: usize, context: usize) -> usize {
    let mut columns = 0;
    for (at, ch) in text[span_end..line_end].char_indices() {
        columns += columns_of(ch);
        if columns > context {
            return span_end + at;
        }
    }
    line_end
}

/// The columns a character takes in an excerpt: wide (CJK) characters two, tabs
/// four as annotate-snippets expands them, controls one as it replaces them.
fn columns_of(ch: char) -> usize {
    match ch {
        '\t' => 4,
        _ if ch.is_control() => 1,
        _ => ch.width().unwrap_or(1),
    }
}

pub struct Human {
    renderer: Renderer,
    /// The width annotate-snippets fits excerpts to.
    term_width: usize,
    color: bool,
    /// Link rule codes to their documentation (OSC 8 hyperlinks).
    links: bool,
    /// Characters of context on each side of a span.
    context: usize,
}

impl Human {
    /// `width` is the terminal's width in columns, when output goes to one.
    pub fn new(color: bool, width: Option<usize>) -> Human {
        let mut renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        // Wide (CJK) characters take two columns: a quarter of the width per side
        // keeps the excerpt on one terminal line.
        let context = match width {
            Some(width) => {
                renderer = renderer.term_width(width);
                (width.saturating_sub(12) / 4).clamp(MIN_CONTEXT_CHARS, CONTEXT_CHARS)
            }
            None => CONTEXT_CHARS,
        };
        Human {
            renderer,
            term_width: width.unwrap_or(annotate_snippets::renderer::DEFAULT_TERM_WIDTH),
            color,
            links: color && hyperlinks(),
            context,
        }
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }

    /// Writes `text` into `out`, in `style` when colouring.
    fn paint_into(&self, out: &mut String, style: Style, text: std::fmt::Arguments<'_>) {
        if self.color {
            let _ = write!(out, "{}{text}{}", style.render(), style.render_reset());
        } else {
            let _ = out.write_fmt(text);
        }
    }

    /// Header line and excerpt of one diagnostic.
    pub fn diagnostic(&self, out: &mut String, report: &FileReport, diagnostic: &Diagnostic) {
        self.header(out, report, diagnostic);
        self.excerpt(out, report, diagnostic);
    }

    /// `path:line:col: severity[CODE] message`.
    pub fn header(&self, out: &mut String, report: &FileReport, diagnostic: &Diagnostic) {
        // Written straight into `out`: formatting each part into its own string
        // first cost a percent of `check`.
        let Position { line, column } = position(report, diagnostic.range.start);
        if !self.color {
            // Pushed piece by piece: the formatting machinery cost more than the text.
            let (mut line_text, mut column_text) = (itoa::Buffer::new(), itoa::Buffer::new());
            for piece in [
                report.display.as_str(),
                ":",
                line_text.format(line),
                ":",
                column_text.format(column),
                ": ",
                diagnostic.severity.as_str(),
                "[",
                diagnostic.code,
                "] ",
                &diagnostic.message,
                "\n",
            ] {
                out.push_str(piece);
            }
            return;
        }
        let bold = Style::new().effects(Effects::BOLD);
        self.paint_into(
            out,
            bold,
            format_args!("{}:{line}:{column}", report.display),
        );
        out.push_str(": ");
        let severity = diagnostic.severity.as_str();
        let code = diagnostic.code;
        let style = severity_style(diagnostic.severity);
        if self.links {
            let url = crate::rules::doc_url(code);
            self.paint_into(
                out,
                style,
                format_args!("{severity}[\u{1b}]8;;{url}\u{1b}\\{code}\u{1b}]8;;\u{1b}\\]"),
            );
        } else {
            self.paint_into(out, style, format_args!("{severity}[{code}]"));
        }
        let _ = writeln!(out, " {}", diagnostic.message);
    }

    fn excerpt(&self, out: &mut String, report: &FileReport, diagnostic: &Diagnostic) {
        let text = report.text();
        let first = report.lines.line_of(diagnostic.range.start.min(text.len()));
        // A span that ends with a line break ends on that line, not at the next one.
        let end = diagnostic.range.end.min(text.len());
        let end_line = report.lines.line_of(end);
        let last_line = if end > diagnostic.range.start
            && report.lines.full_line_range(end_line).start == end
        {
            end_line.saturating_sub(1)
        } else {
            end_line
        };
        let last = last_line.clamp(first, first + MAX_EXCERPT_LINES - 1);
        let line_start = report.lines.full_line_range(first).start;
        let line_end = report.lines.line_range(text, last).end;
        let range_start = diagnostic.range.start.clamp(line_start, line_end);
        let range_end = diagnostic.range.end.clamp(range_start, line_end);
        // Posts often hold a whole paragraph on one line: show a window around the
        // span rather than the whole line (the renderer would cut it anyway, after
        // measuring every character).
        let (start, end) = if first == last {
            self.one_line_window(
                text,
                line_start..line_end,
                range_start..range_end,
                first + 1,
            )
        } else {
            (
                window_start(text, line_start, range_start, self.context),
                window_end(text, range_end, line_end, self.context),
            )
        };
        let Some(body) = text.get(start..end) else {
            return;
        };
        let prefix = if start > line_start { ELLIPSIS } else { "" };
        let suffix = if end < line_end { ELLIPSIS } else { "" };
        let source = format!("{prefix}{body}{suffix}");
        let span_start = range_start - start + prefix.len();
        // A span cut by the window is underlined through the ellipsis after it.
        let span_end = if end < range_end {
            end - start + prefix.len() + suffix.len()
        } else {
            range_end - start + prefix.len()
        };
        let (source, span) = if first == last {
            (source, span_start..span_end)
        } else {
            let room = self
                .term_width
                .saturating_sub((last + 1).to_string().len() + 5);
            fit_lines(source, span_start..span_end, room)
        };
        let direct = if first == last {
            plain_one_line
        } else {
            plain_multi_line
        };
        let written = !self.color
            && direct(
                out,
                first + 1,
                &source,
                span.clone(),
                diagnostic.name,
                self.term_width,
            );
        if !written {
            let report_group = [Group::with_level(level(diagnostic.severity)).element(
                Snippet::source(source)
                    .line_start(first + 1)
                    .fold(true)
                    .annotation(AnnotationKind::Primary.span(span).label(diagnostic.name)),
            )];
            out.push_str(&self.renderer.render(&report_group));
            out.push('\n');
        }
        if let Some(fix) = &diagnostic.fix {
            let how = match fix.applicability {
                Applicability::Safe => "",
                Applicability::Unsafe => " (unsafe: `copydesk fix --unsafe`)",
            };
            let help = AnsiColor::Cyan.on_default().effects(Effects::BOLD);
            self.paint_into(out, help, format_args!("help"));
            for piece in [": ", &fix.title, how, "\n"] {
                out.push_str(piece);
            }
        }
        out.push('\n');
    }

    /// The window of a one-line excerpt: the whole line when it fits the width
    /// beside the gutter with at most `CONTEXT_CHARS` columns on each side of the
    /// span, else as much context on each side as fits (at most `CONTEXT_CHARS`
    /// columns, none when the span fills the width), so the renderer need not cut
    /// it again. The end falls inside a span wider than the width.
    fn one_line_window(
        &self,
        text: &str,
        line: Range<usize>,
        span: Range<usize>,
        line_number: usize,
    ) -> (usize, usize) {
        // Counted only as far as they matter: a paragraph can be a megabyte long.
        let capped = |chars: &mut dyn Iterator<Item = char>, cap: usize| -> usize {
            let mut columns = 0;
            for ch in chars {
                columns += columns_of(ch);
                if columns > cap {
                    break;
                }
            }
            columns
        };
        let gutter = line_number.to_string().len() + 3;
        let (before, inside, after) = (
            capped(
                &mut text[line.start..span.start].chars().rev(),
                CONTEXT_CHARS,
            ),
            capped(&mut text[span.clone()].chars(), self.term_width),
            capped(&mut text[span.end..line.end].chars(), CONTEXT_CHARS),
        );
        if gutter + before + inside + after <= self.term_width && before.max(after) <= CONTEXT_CHARS
        {
            return (line.start, line.end);
        }
        // A span wider than the width is shown from its start, cut where the width
        // ends (an ellipsis on each side).
        let span_room = self.term_width.saturating_sub(gutter + 2 * ELLIPSIS.len());
        if inside > span_room {
            return (
                span.start,
                window_end(text, span.start, span.end, span_room),
            );
        }
        let room = self
            .term_width
            .saturating_sub(gutter + inside + 2 * ELLIPSIS.len());
        let left = before.min(room / 2).min(CONTEXT_CHARS);
        let right = room.saturating_sub(left).min(CONTEXT_CHARS);
        (
            window_start(text, line.start, span.start, left),
            window_end(text, span.end, line.end, right),
        )
    }

    /// `Found 3 problems (1 error, 2 warnings) in 2 of 10 files.` and the fix hint.
    pub fn summary(&self, out: &mut String, totals: &Totals) {
        let problems = totals.problems();
        if totals.files == 0 {
            // Said on stderr, with whether it fails the run.
            return;
        }
        if problems == 0 {
            let _ = writeln!(
                out,
                "{} ({} checked).",
                self.paint(AnsiColor::Green.on_default(), "All checks passed"),
                plural(totals.files, "file")
            );
            return;
        }
        let _ = writeln!(
            out,
            "Found {} ({}) in {} of {}.",
            self.paint(
                Style::new().effects(Effects::BOLD),
                &plural(problems, "problem")
            ),
            totals.severity_summary(),
            totals.files_with_problems,
            plural(totals.files, "file")
        );
        if totals.safe_fixes > 0 || totals.unsafe_fixes > 0 {
            let mut hint = format!(
                "{} fixable with `copydesk fix`",
                plural(totals.safe_fixes, "problem")
            );
            if totals.unsafe_fixes > 0 {
                let _ = write!(
                    hint,
                    " ({} more with `copydesk fix --unsafe`)",
                    totals.unsafe_fixes
                );
            }
            let _ = writeln!(out, "{hint}.");
        }
    }

    /// One line per rule that fired: count, code, name, how many are fixable.
    pub fn statistics(&self, out: &mut String, totals: &Totals) {
        let mut rows: Vec<_> = totals.by_rule.iter().collect();
        rows.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
        let width = rows
            .iter()
            .map(|(_, rule)| rule.count.to_string().len())
            .max()
            .unwrap_or(1);
        for (code, rule) in rows {
            // `[*]`: `copydesk fix` fixes them all; `[-]`: some, or only with --unsafe.
            let fixable = if rule.safe == rule.count {
                "[*] ".to_owned()
            } else if rule.fixable > 0 {
                "[-] ".to_owned()
            } else {
                "    ".to_owned()
            };
            let _ = writeln!(
                out,
                "{:>width$}\t{code}\t{fixable}{}",
                rule.count, rule.name
            );
        }
    }
}

/// Writes the plain excerpt of a span within one line the way annotate-snippets
/// lays it out, when the layout is certain: no tabs, control or zero-width
/// characters (which it replaces or measures specially) and nothing to fold to the
/// width. Returns false, having written nothing, for anything else. The renderer
/// measures every character through a styled buffer, which took a fifth of
/// `check`'s time; `tests::one_line_excerpts_match_annotate_snippets` keeps the two
/// equal.
fn plain_one_line(
    out: &mut String,
    line_number: usize,
    source: &str,
    span: Range<usize>,
    label: &str,
    term_width: usize,
) -> bool {
    // A span over the line's break (a blank line MK011 deletes) is drawn over
    // the line itself.
    let (source, span) = match source.strip_suffix('\n') {
        Some(line) if span.end == source.len() && span.start < span.end => {
            (line, span.start..span.end - 1)
        }
        _ => (source, span),
    };
    let (Some(before), Some(inside), Some(after)) = (
        source.get(..span.start).and_then(plain_width),
        source.get(span.clone()).and_then(plain_width),
        source.get(span.end..).and_then(plain_width),
    ) else {
        return false;
    };
    let mut number = itoa::Buffer::new();
    let gutter = number.format(line_number);
    let line_width = before + inside + after;
    // annotate-snippets cuts a line wider than the width left of the gutter, and
    // the indentation of a deeply indented one.
    let indent = source.len() - source.trim_start_matches(' ').len();
    if line_width + gutter.len() + 3 > term_width || indent > 20 || label.is_empty() {
        return false;
    }
    // Pushed piece by piece, as in `Human::header`.
    let pad = gutter.len();
    out.extend(std::iter::repeat_n(' ', pad));
    out.push_str(" |\n");
    out.push_str(gutter);
    out.push_str(" |");
    if !source.is_empty() {
        out.push(' ');
        out.push_str(source);
    }
    out.push('\n');
    out.extend(std::iter::repeat_n(' ', pad));
    out.push_str(" | ");
    out.extend(std::iter::repeat_n(' ', before));
    out.extend(std::iter::repeat_n('^', inside.max(1)));
    out.push(' ');
    out.push_str(label);
    out.push('\n');
    true
}

/// Writes the plain excerpt of a span from the start (or the indentation) of its
/// first line into a later line (an HTML block, a script, a run of blank lines)
/// the way annotate-snippets draws it: a bracket from the first line to the last,
/// closed under the span's last character, with the lines it leaves out folded
/// into `...`. Returns false,
/// having written nothing, when the layout is not certain (see
/// [`plain_one_line`]). `tests::multi_line_excerpts_match_annotate_snippets`
/// keeps the two equal.
fn plain_multi_line(
    out: &mut String,
    line_number: usize,
    source: &str,
    span: Range<usize>,
    label: &str,
    term_width: usize,
) -> bool {
    // A span through the last line's break ends after that line's last column.
    let (source, past_break) = match source.strip_suffix('\n') {
        Some(lines) if span.end == source.len() => (lines, 1),
        _ => (source, 0),
    };
    let span = span.start..span.end - past_break;
    let lines: Vec<&str> = source.split('\n').collect();
    // The bracket starts the span when nothing but the first line's indentation
    // is before it (an indented block).
    let indent = lines[0].len() - lines[0].trim_start_matches(' ').len();
    if span.start > indent || label.is_empty() || lines.len() < 2 {
        return false;
    }
    let last_start = source.rfind('\n').map_or(0, |at| at + 1);
    let Some(end_in_line) = span
        .end
        .checked_sub(last_start)
        .filter(|end| *end + past_break > 0)
    else {
        return false;
    };
    let last = line_number + lines.len() - 1;
    let gutter = last.to_string().len();
    for line in &lines {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let fits = plain_width(line).is_some_and(|width| width + gutter + 5 <= term_width);
        if !fits || indent > 20 {
            return false;
        }
    }
    let Some(closing) = lines[lines.len() - 1]
        .get(..end_in_line)
        .and_then(plain_width)
        .map(|width| width + past_break)
    else {
        return false;
    };
    let shown = shown_lines(&lines);
    let pad = " ".repeat(gutter);
    let _ = writeln!(out, "{pad} |");
    let mut previous: Option<usize> = None;
    for &at in &shown {
        match previous {
            // One line left out is shown all the same; more become `...`.
            Some(before) if at - before == 2 => row(
                out,
                line_number + before + 1,
                gutter,
                '|',
                lines[before + 1],
            ),
            Some(before) if at - before > 2 => {
                let _ = writeln!(out, "...{pad}|");
            }
            _ => {}
        }
        let bracket = if at == 0 { '/' } else { '|' };
        row(out, line_number + at, gutter, bracket, lines[at]);
        previous = Some(at);
    }
    let _ = writeln!(out, "{pad} | |{}^ {label}", "_".repeat(closing));
    true
}

/// Cuts the lines of a multi-line excerpt wider than `room` columns, ending them
/// with an ellipsis, so that they fit beside the gutter and the bracket: left whole,
/// annotate-snippets would shift every line left and measure each character. A span
/// that ends past the cut of its last line ends with the ellipsis. Kept as it is
/// when the span starts past the cut of its first line.
fn fit_lines(source: String, span: Range<usize>, room: usize) -> (String, Range<usize>) {
    let keep_of = |line: &str| window_end(line, 0, line.len(), room.saturating_sub(ELLIPSIS.len()));
    let too_wide = |line: &str| window_end(line, 0, line.len(), room) < line.len();
    let first_line = source.split('\n').next().unwrap_or_default();
    if !source.split('\n').any(too_wide)
        || (too_wide(first_line) && span.start > keep_of(first_line))
    {
        return (source, span);
    }
    let mut fitted = String::with_capacity(source.len());
    let mut span_end = span.end;
    let mut line_start = 0;
    for line in source.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        let fitted_start = fitted.len();
        let keep = if too_wide(content) {
            keep_of(content)
        } else {
            line.len()
        };
        fitted.push_str(&content[..keep.min(content.len())]);
        if keep < content.len() {
            fitted.push_str(ELLIPSIS);
        }
        let ends_here = line_start < span.end && span.end <= line_start + line.len();
        if ends_here {
            let in_line = span.end - line_start;
            span_end = if in_line <= keep {
                fitted_start + in_line
            } else {
                fitted.len()
            };
        }
        fitted.push_str(&line[content.len()..]);
        line_start += line.len();
    }
    (fitted, span.start..span_end)
}

/// One excerpt line with the bracket of a multi-line span.
fn row(out: &mut String, number: usize, gutter: usize, bracket: char, line: &str) {
    if line.is_empty() {
        let _ = writeln!(out, "{number:>gutter$} | {bracket}");
    } else {
        let _ = writeln!(out, "{number:>gutter$} | {bracket} {line}");
    }
}

/// The lines annotate-snippets keeps of a span from the first line to the last:
/// the first, up to four after it (up to the last that holds more than a bracket
/// or a comment), the one before the last unless it is empty, and the last.
fn shown_lines(lines: &[&str]) -> Vec<usize> {
    let holds_code = |line: &str| {
        let line = line.trim();
        !(line.starts_with("//") && !(line.starts_with("///") || line.starts_with("//!")))
            && !["", "{", "}", "(", ")", "[", "]"].contains(&line)
    };
    let end = lines.len() - 1;
    let middle = end.min(4);
    let until = (0..middle)
        .rev()
        .find(|&at| holds_code(lines[at]))
        .map_or(0, |at| at + 1);
    let mut shown: Vec<usize> = (0..until.max(1)).collect();
    if middle < end - 1 && holds_code(lines[end - 1]) {
        shown.push(end - 1);
    }
    shown.push(end);
    shown
}

/// The columns `text` takes when every character is one annotate-snippets shows
/// as it is, with a known width; `None` for tabs, controls, zero-width and
/// bidirectional characters, which it replaces or measures specially.
fn plain_width(text: &str) -> Option<usize> {
    // Printable ASCII takes a column a byte: no per-character lookup.
    if text.bytes().all(|byte| matches!(byte, b' '..=b'~')) {
        return Some(text.len());
    }
    text.chars().try_fold(0, |sum, ch| {
        let simple = ch == ' ' || ch.is_ascii_graphic() || (!ch.is_ascii() && !is_special(ch));
        let width = if simple { ch.width() } else { None };
        width.filter(|width| *width > 0).map(|width| sum + width)
    })
}

/// Characters annotate-snippets replaces or measures specially: the bidirectional
/// controls (C0 controls, DEL and tabs are ruled out as ASCII before).
fn is_special(ch: char) -> bool {
    matches!(
        ch,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{80}'..='\u{9F}'
    )
}

/// Whether the terminal is likely to show OSC 8 hyperlinks: `FORCE_HYPERLINK`
/// decides when set; otherwise any terminal but `dumb` and Linux's console (modern
/// terminals show them, older ones ignore the sequence).
fn hyperlinks() -> bool {
    if let Some(force) = std::env::var_os("FORCE_HYPERLINK") {
        return force != "0";
    }
    use std::io::IsTerminal;
    let term = std::env::var("TERM").unwrap_or_default();
    std::io::stdout().is_terminal() && term != "dumb" && term != "linux"
}

/// The width of the terminal stdout writes to: `COLUMNS` when set, else asked of
/// the terminal; `None` for pipes and files (no fitting then).
pub fn terminal_width() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|value| value.parse::<usize>().ok())
        .filter(|columns| *columns > 0)
    {
        return Some(columns);
    }
    console::Term::stdout()
        .size_checked()
        .map(|(_, columns)| usize::from(columns))
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
        Severity::Hint | Severity::Off => Level::HELP,
    }
}

fn severity_style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Error => AnsiColor::BrightRed,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::BrightBlue,
        Severity::Hint | Severity::Off => AnsiColor::Cyan,
    };
    color.on_default().effects(Effects::BOLD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_keep_context_on_char_boundaries() {
        let line = format!("{}<x>{}", "金".repeat(100), "融".repeat(100));
        let span = line.find("<x>").expect("span");
        // Wide characters take two columns each.
        let start = window_start(&line, 0, span, CONTEXT_CHARS);
        assert_eq!(line[start..span].chars().count(), CONTEXT_CHARS / 2);
        let end = window_end(&line, span + 3, line.len(), CONTEXT_CHARS);
        assert_eq!(line[span + 3..end].chars().count(), CONTEXT_CHARS / 2);
        let ascii = format!("{}<x>{}", "a".repeat(100), "b".repeat(100));
        assert_eq!(
            window_start(&ascii, 0, 100, CONTEXT_CHARS),
            100 - CONTEXT_CHARS
        );
        assert_eq!(
            window_end(&ascii, 103, ascii.len(), CONTEXT_CHARS),
            103 + CONTEXT_CHARS
        );
        assert_eq!(window_start("ab<x>", 0, 2, CONTEXT_CHARS), 0);
        assert_eq!(window_end("<x>ab", 3, 5, CONTEXT_CHARS), 5);
    }

    fn rendered_by_annotate_snippets(
        line_number: usize,
        source: &str,
        span: Range<usize>,
        label: &str,
        term_width: usize,
    ) -> String {
        let group = [Group::with_level(Level::WARNING).element(
            Snippet::source(source)
                .line_start(line_number)
                .fold(true)
                .annotation(AnnotationKind::Primary.span(span).label(label)),
        )];
        format!(
            "{}\n",
            Renderer::plain().term_width(term_width).render(&group)
        )
    }

    fn assert_same_as_annotate_snippets(
        line_number: usize,
        source: &str,
        span: Range<usize>,
        label: &str,
        term_width: usize,
    ) -> bool {
        let mut ours = String::new();
        let written = plain_one_line(
            &mut ours,
            line_number,
            source,
            span.clone(),
            label,
            term_width,
        );
        if written {
            assert_eq!(
                ours,
                rendered_by_annotate_snippets(line_number, source, span, label, term_width),
                "{source:?}"
            );
        } else {
            assert!(ours.is_empty());
        }
        written
    }

    #[test]
    fn ordinary_lines_take_the_direct_path() {
        for (source, span) in [
            ("date: Wed, 16 Mar 2022 11:32:30 GMT", 6..35),
            ("", 0..0),
            ("tags: [金融, 科技]", 7..13),
            ("<p>广告：扫码关注</p>", 0..3),
            ("end", 3..3),
            // Blank lines with their break (MK011).
            ("\n", 0..1),
            ("                \n", 0..17),
        ] {
            assert!(
                assert_same_as_annotate_snippets(11, source, span, "some-rule", 140),
                "{source:?}"
            );
        }
        assert!(!assert_same_as_annotate_snippets(
            1,
            "a\tb",
            0..1,
            "rule",
            140
        ));
    }

    proptest::proptest! {
        // The width boundary is one column wide: enough cases to land on it.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
        #[test]
        fn one_line_excerpts_match_annotate_snippets(
            source in proptest::prop_oneof![
                "[a-z <>=\"'金融😀！]{0,150}",
                " {0,30}[a-z <>金]{0,80} {0,3}",
                "[a-z <>=\"'金融😀\u{301}\u{200B}\t\u{7}\u{202E}\u{85}\u{FF01}]{0,40}",
            ],
            from in 0usize..200,
            len in 0usize..200,
            line_number in proptest::sample::select(vec![1usize, 9, 10, 99, 12345]),
            term_width in 10usize..200,
            label in "[a-z-]{0,30}",
        ) {
            let mut start = from.min(source.len());
            while !source.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + len).min(source.len());
            while !source.is_char_boundary(end) {
                end += 1;
            }
            assert_same_as_annotate_snippets(line_number, &source, start..end, &label, term_width);
            // The same line with its break, the span running over it.
            let with_break = format!("{source}\n");
            assert_same_as_annotate_snippets(
                line_number,
                &with_break,
                start..with_break.len(),
                &label,
                term_width,
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn blank_line_runs_take_the_multi_line_path(
            lines in 0usize..14,
            line_number in proptest::sample::select(vec![1usize, 2, 7, 9, 10, 95, 99, 996, 9999]),
            term_width in 10usize..200,
            label in "[a-z-]{0,30}",
        ) {
            let source = "\n".repeat(lines);
            let mut ours = String::new();
            if plain_multi_line(&mut ours, line_number, &source, 0..lines, &label, term_width) {
                proptest::prop_assert_eq!(
                    ours,
                    rendered_by_annotate_snippets(line_number, &source, 0..lines, &label, term_width)
                );
            } else {
                proptest::prop_assert!(ours.is_empty() && (lines < 2 || label.is_empty()));
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        #[test]
        fn multi_line_excerpts_match_annotate_snippets(
            lines in proptest::collection::vec(
                proptest::prop_oneof![
                    "[a-z <>=\"'/金融😀！]{0,60}",
                    " {0,24}[a-z <>/金]{0,40}",
                    "[a-z <>金\u{301}\u{200B}\t\u{202E}]{0,10}",
                    " {0,3}(//|///|//!|[{}()\\[\\]]|) {0,2}",
                ],
                2..9,
            ),
            end_back in 0usize..80,
            into_indent in 0usize..30,
            line_number in proptest::sample::select(vec![1usize, 2, 7, 9, 10, 95, 99, 996, 9999]),
            term_width in 10usize..200,
            label in "[a-z-]{0,30}",
        ) {
            let source = lines.join("\n");
            let mut end = source.len().saturating_sub(end_back);
            while !source.is_char_boundary(end) {
                end += 1;
            }
            // Mostly within the first line's indentation, sometimes past it.
            let indent = source.len() - source.trim_start_matches(' ').len();
            let mut start = into_indent.min(indent + 2).min(lines[0].len()).min(end);
            while !source.is_char_boundary(start) {
                start -= 1;
            }
            let with_break = format!("{source}\n");
            for (source, end) in [(source.as_str(), end), (with_break.as_str(), with_break.len())] {
                let mut ours = String::new();
                if plain_multi_line(&mut ours, line_number, source, start..end, &label, term_width) {
                    proptest::prop_assert_eq!(
                        ours,
                        rendered_by_annotate_snippets(line_number, source, start..end, &label, term_width),
                        "{:?}", source
                    );
                } else {
                    proptest::prop_assert!(ours.is_empty());
                }
            }
        }
    }

    #[test]
    fn html_blocks_take_the_direct_path() {
        for source in [
            "<div class=\"ad-banner\">\n  <a href=\"https://ads.example.com/x\">Buy now</a>\n</div>",
            "<script>\n  var a = 1;\n\n  var b = 2;\n  var c = 3;\n  // done\n  var d = 4;\n}\n</script>",
            "    <style>\n    .appendQr_wrap{border:1px solid #E6E6E6;}\n    </style>",
        ] {
            let mut ours = String::new();
            let span = source.len() - source.trim_start().len()..source.len();
            assert!(plain_multi_line(
                &mut ours,
                9,
                source,
                span.clone(),
                "rule",
                140
            ));
            assert_eq!(
                ours,
                rendered_by_annotate_snippets(9, source, span, "rule", 140)
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn fitted_lines_fit_and_take_the_direct_path(
            lines in proptest::collection::vec("( {0,8})[a-z<>=\"/ 金融]{0,200}", 2..6),
            term_width in 40usize..200,
        ) {
            let source = lines.join("\n");
            let indent = source.len() - source.trim_start_matches(' ').len();
            let span = indent..source.len();
            let room = term_width - 6;
            let (fitted, span) = fit_lines(source.clone(), span, room);
            use unicode_width::UnicodeWidthStr as _;
            for line in fitted.split('\n') {
                proptest::prop_assert!(line.width() <= room, "{line:?}");
            }
            proptest::prop_assert!(fitted.is_char_boundary(span.end) && span.end <= fitted.len());
            let mut ours = String::new();
            if plain_multi_line(&mut ours, 9, &fitted, span.clone(), "rule", term_width) {
                proptest::prop_assert_eq!(
                    ours,
                    rendered_by_annotate_snippets(9, &fitted, span, "rule", term_width)
                );
            }
        }
    }

    #[test]
    fn narrow_terminals_get_less_context() {
        assert_eq!(Human::new(false, Some(80)).context, 17);
        assert_eq!(Human::new(false, Some(20)).context, MIN_CONTEXT_CHARS);
        assert_eq!(Human::new(false, None).context, CONTEXT_CHARS);
    }
}
