//! Finds the front-matter block: fences, what precedes them, where the body starts.
//! Line-based and linear; `\n`, `\r\n` and a lone `\r`-free text are all handled by
//! treating `\r` before `\n` as part of the line break.

use std::ops::Range;

use super::{Format, FrontMatter, Parsed};
use crate::config::Generator;

const BOM: &str = "\u{FEFF}";

/// A located block, before its content is parsed.
#[derive(Debug, PartialEq)]
pub(crate) struct Block {
    pub format: Format,
    pub leading: Range<usize>,
    pub open_fence: Range<usize>,
    pub close_fence: Option<Range<usize>>,
    pub content: Range<usize>,
}

impl Block {
    pub fn into_front_matter(self, parsed: Parsed, generator: Generator) -> FrontMatter {
        let (entries, error) = parsed.into_entries();
        FrontMatter {
            format: self.format,
            leading: self.leading,
            open_fence: self.open_fence,
            close_fence: self.close_fence,
            content: self.content,
            entries,
            error,
            generator,
            taxonomy: Default::default(),
        }
    }
}

/// One line: `text` without its line break, `end` after the line break.
struct Line<'a> {
    start: usize,
    text: &'a str,
    end: usize,
}

impl Line<'_> {
    fn text_end(&self) -> usize {
        self.start + self.text.len()
    }
}

fn lines(text: &str, from: usize) -> impl Iterator<Item = Line<'_>> {
    let mut at = from;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let rest = text.get(at..)?;
        let (raw, end) = match rest.find('\n') {
            Some(newline) => (&rest[..newline], at + newline + 1),
            None => (rest, text.len()),
        };
        let line = Line {
            start: at,
            text: raw.strip_suffix('\r').unwrap_or(raw),
            end,
        };
        at = end;
        Some(line)
    })
}

fn fence_format(line: &str) -> Option<Format> {
    match line.trim_end_matches([' ', '\t']) {
        "---" => Some(Format::Yaml),
        "+++" => Some(Format::Toml),
        ";;;" => Some(Format::Json),
        _ => None,
    }
}

fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c == ' ' || c == '\t')
}

/// The offset after the line break that ends the line ending at `at` (`at` itself
/// at the end of the text).
pub(crate) fn after_line_break(text: &str, at: usize) -> usize {
    let rest = text.get(at..).unwrap_or("");
    if rest.starts_with("\r\n") {
        at + 2
    } else if rest.starts_with('\n') {
        at + 1
    } else {
        at
    }
}

/// A block opened by a fence on the first non-blank line (after an optional BOM).
pub(crate) fn fenced(text: &str) -> Option<Block> {
    let after_bom = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let mut lines = lines(text, after_bom);
    let open = lines.by_ref().find(|line| !is_blank(line.text))?;
    let format = fence_format(open.text)?;
    let closes = |line: &str| {
        let line = line.trim_end_matches([' ', '\t']);
        // Jekyll also ends YAML with the document-end marker.
        fence_format(line) == Some(format) || (format == Format::Yaml && line == "...")
    };
    let close = lines.find(|line| closes(line.text));
    let (content_end, close_fence) = match &close {
        Some(line) => (line.start, Some(line.start..line.text_end())),
        None => (text.len(), None),
    };
    Some(Block {
        format,
        leading: 0..open.start,
        open_fence: open.start..open.text_end(),
        close_fence,
        content: open.end.min(content_end)..content_end,
    })
}

/// Hexo's fenceless front matter: the text does not start with a separator, and
/// some later line starts with `---` or `;;;` (hexo-front-matter's "new" split:
/// everything before that line is the data). The caller decides from the parse
/// whether Hexo really takes it as data (blank lines parse to nothing: not data).
pub(crate) fn hexo_fenceless(text: &str) -> Option<Block> {
    let after_bom = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let rest = text.get(after_bom..)?;
    if rest.starts_with("---") || rest.starts_with(";;;") {
        return None;
    }
    let separator = lines(text, after_bom)
        .skip(1)
        .find(|line| line.text.starts_with("---") || line.text.starts_with(";;;"))?;
    let format = if separator.text.starts_with(";;;") {
        Format::Json
    } else {
        Format::Yaml
    };
    Some(Block {
        format,
        leading: 0..after_bom,
        open_fence: after_bom..after_bom,
        close_fence: Some(separator.start..separator.text_end()),
        content: after_bom..separator.start,
    })
}

/// Why `generator` does not read a fenced block that copydesk located, if it
/// does not: the block is then shown as text (or, on Hexo, the post dropped).
/// Blank lines before the fence are FM002's business. `bom`: the file starts
/// with a byte-order mark, whether `text` still holds it or the shell removed it.
pub fn unread_by(
    generator: Generator,
    text: &str,
    fm: &FrontMatter,
    bom: bool,
) -> Option<&'static str> {
    if fm.implicit() {
        return None;
    }
    let open = text.get(fm.open_fence.clone()).unwrap_or_default();
    let close = fm
        .close_fence
        .clone()
        .and_then(|range| text.get(range))
        .unwrap_or_default()
        .trim_end_matches([' ', '\t']);
    let leading = text.get(fm.leading.clone()).unwrap_or_default();
    match generator {
        // hexo-front-matter: the fence alone on its line, closed by the same fence.
        Generator::Hexo => match fm.format {
            Format::Toml => Some("Hexo does not read `+++` (TOML) front matter"),
            _ if open != open.trim_end_matches([' ', '\t']) => {
                Some("Hexo does not read a fence followed by spaces or tabs")
            }
            _ if fm.close_fence.is_some() && close != open => {
                Some("Hexo closes the block only with the same fence it opens with")
            }
            _ => None,
        },
        // Jekyll: `---` on the very first line (no BOM), closed by `---` or `...`.
        Generator::Jekyll => match fm.format {
            Format::Toml => Some("Jekyll does not read `+++` (TOML) front matter"),
            Format::Json => Some("Jekyll does not read `;;;` (JSON) front matter"),
            Format::Yaml if bom || leading.starts_with(BOM) => {
                Some("Jekyll does not read front matter after a byte-order mark")
            }
            Format::Yaml => None,
        },
        // Hugo: `---`, `+++` or a JSON object, each closed by its own fence.
        Generator::Hugo => match fm.format {
            Format::Json => Some("Hugo does not read `;;;` front matter"),
            Format::Yaml if fm.close_fence.is_some() && close == "..." => {
                Some("Hugo does not accept `...` as the closing fence: the build fails")
            }
            _ => None,
        },
        Generator::Plain => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, range: Range<usize>) -> &str {
        &text[range]
    }

    fn body<'a>(text: &'a str, block: &Block) -> &'a str {
        let close = block.close_fence.clone().expect("closed");
        &text[after_line_break(text, close.end)..]
    }

    #[test]
    fn finds_yaml_block() {
        let text = "---\ntitle: 标题\n---\nbody\n";
        let block = fenced(text).expect("block");
        assert_eq!(block.format, Format::Yaml);
        assert_eq!(block.leading, 0..0);
        assert_eq!(slice(text, block.open_fence.clone()), "---");
        assert_eq!(slice(text, block.content.clone()), "title: 标题\n");
        assert_eq!(
            slice(text, block.close_fence.clone().expect("closed")),
            "---"
        );
        assert_eq!(body(text, &block), "body\n");
    }

    #[test]
    fn crlf_and_bom_and_leading_blank_lines() {
        let text = "\u{FEFF}\r\n  \t\r\n---\r\ntitle: x\r\n---\r\nbody";
        let block = fenced(text).expect("block");
        assert_eq!(slice(text, block.leading.clone()), "\u{FEFF}\r\n  \t\r\n");
        assert_eq!(slice(text, block.open_fence.clone()), "---");
        assert_eq!(slice(text, block.content.clone()), "title: x\r\n");
        assert_eq!(body(text, &block), "body");
    }

    #[test]
    fn toml_json_and_trailing_spaces() {
        let toml = "+++ \ntitle = \"x\"\n+++\n";
        assert_eq!(fenced(toml).expect("toml").format, Format::Toml);
        let json = ";;;\n\"title\": \"x\"\n;;;";
        let block = fenced(json).expect("json");
        assert_eq!(block.format, Format::Json);
        assert_eq!(body(json, &block), "");
    }

    #[test]
    fn yaml_may_end_with_document_end_marker() {
        let text = "---\na: 1\n...\nbody";
        let block = fenced(text).expect("block");
        assert_eq!(body(text, &block), "body");
    }

    #[test]
    fn unterminated_runs_to_the_end() {
        let text = "---\ntitle: x\nbody";
        let block = fenced(text).expect("block");
        assert_eq!(block.close_fence, None);
        assert_eq!(slice(text, block.content.clone()), "title: x\nbody");
        let bare = "---";
        let block = fenced(bare).expect("bare fence");
        assert_eq!(block.content, 3..3);
    }

    #[test]
    fn no_block_without_fence_first() {
        assert_eq!(fenced("title: x\n---\n"), None);
        assert_eq!(fenced(""), None);
        assert_eq!(fenced("\n\n"), None);
        assert_eq!(fenced("----\n"), None);
    }

    fn unread(generator: Generator, text: &str) -> Option<&'static str> {
        let fm = crate::frontmatter::parse(text)?;
        unread_by(generator, text, &fm, false)
    }

    #[test]
    fn each_generator_reads_its_own_fences() {
        let trailing = "--- \ntitle: x\n---\nbody\n";
        assert!(unread(Generator::Hexo, trailing).is_some());
        assert_eq!(unread(Generator::Jekyll, trailing), None);
        assert_eq!(unread(Generator::Hugo, trailing), None);
        let dots = "---\ntitle: x\n...\nbody\n";
        assert!(unread(Generator::Hexo, dots).is_some());
        assert!(unread(Generator::Hugo, dots).is_some());
        assert_eq!(unread(Generator::Jekyll, dots), None);
        let toml = "+++\ntitle = 'x'\n+++\n";
        assert!(unread(Generator::Hexo, toml).is_some());
        assert!(unread(Generator::Jekyll, toml).is_some());
        assert_eq!(unread(Generator::Hugo, toml), None);
        let json = ";;;\n\"title\": \"x\"\n;;;\n";
        assert_eq!(unread(Generator::Hexo, json), None);
        assert!(unread(Generator::Hugo, json).is_some());
        let bom = "\u{FEFF}---\ntitle: x\n---\n";
        assert!(unread(Generator::Jekyll, bom).is_some());
        assert_eq!(unread(Generator::Hexo, bom), None);
    }

    #[test]
    fn a_bom_the_shell_removed_still_hides_the_block_from_jekyll() {
        let stripped = "---\ntitle: x\n---\n";
        let fm = crate::frontmatter::parse(stripped).expect("block");
        assert!(unread_by(Generator::Jekyll, stripped, &fm, true).is_some());
        assert_eq!(unread_by(Generator::Jekyll, stripped, &fm, false), None);
        assert_eq!(unread_by(Generator::Hugo, stripped, &fm, true), None);
        assert_eq!(unread_by(Generator::Hexo, stripped, &fm, true), None);
    }

    #[test]
    fn hexo_fenceless_block() {
        let text = "title: x\r\ndate: 2020-01-01\r\n---\r\nbody";
        let block = hexo_fenceless(text).expect("fenceless");
        assert_eq!(
            slice(text, block.content.clone()),
            "title: x\r\ndate: 2020-01-01\r\n"
        );
        assert_eq!(block.open_fence, 0..0);
        assert_eq!(
            slice(text, block.close_fence.clone().expect("separator")),
            "---"
        );
        assert_eq!(body(text, &block), "body");
        assert_eq!(hexo_fenceless("---\na: 1\n"), None);
        assert_eq!(hexo_fenceless("just text\n"), None);
        let json = "\"title\": \"x\"\n;;;\n";
        assert_eq!(hexo_fenceless(json).expect("json").format, Format::Json);
    }
}
