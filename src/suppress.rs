//! In-file suppression directives: which findings a post silences, and which of its
//! directives silenced nothing (so CD001 can report them, as ruff's RUF100 does).
//!
//! In the body, HTML comments: `<!-- copydesk-disable CODE[,CODE] -->` … `<!--
//! copydesk-enable -->`, `<!-- copydesk-disable-next-line CODE -->`, `<!--
//! copydesk-disable-line CODE -->` (the line it ends) and `<!--
//! copydesk-disable-file CODE -->`. In YAML or TOML front matter, a `#` comment
//! `# copydesk-disable CODE`: after a key, for that key's findings (its whole
//! value); on a line of its own, for the whole block. Codes, prefixes or rule
//! names; none means every rule.

use std::ops::Range;

use crate::config::RuleKey;
use crate::diagnostic::Diagnostic;
use crate::frontmatter::{Entry, Format, FrontMatter, Node, Value};
use crate::markup::Comment;

/// What a directive says, by its verb.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    /// `copydesk-disable`: to the next `copydesk-enable` (or `disable`), or the end.
    Disable,
    Enable,
    DisableNextLine,
    DisableLine,
    DisableFile,
    /// `# copydesk-disable` in the front matter: a key's findings or the block's.
    FrontMatter,
    /// A `copydesk-` comment with a verb copydesk does not read (a typo such as
    /// `copydesk-disabled`): it silences nothing.
    Unknown,
}

/// A rule named in a directive, as written, with its range in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleRef {
    pub text: String,
    pub range: Range<usize>,
}

impl RuleRef {
    /// Whether this names the rule `code` (`name`): by code, prefix or name.
    pub fn names(&self, code: &str, name: &str) -> bool {
        RuleKey { code, name }.matches(&self.text)
    }
}

/// One directive, resolved to the part of the file it covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub verb: Verb,
    /// The verb as written (`disable-line`), for messages.
    pub verb_text: String,
    /// The whole comment: `<!-- … -->`, or `# …` to the end of its line.
    pub range: Range<usize>,
    /// The rules it names; empty means every rule.
    pub rules: Vec<RuleRef>,
    /// Findings that start in this range are silenced (empty for `enable`).
    pub covers: Range<usize>,
}

impl Directive {
    /// Whether this directive silences a finding of `code` (`name`) at `offset`.
    pub fn silences(&self, code: &str, name: &str, offset: usize) -> bool {
        self.covers.contains(&offset) && self.rule_matching(code, name).is_some()
    }

    /// Which named rule matches `code`: `Some(None)` for a directive naming none
    /// (every rule), `Some(Some(i))` for `rules[i]`, `None` when none matches.
    fn rule_matching(&self, code: &str, name: &str) -> Option<Option<usize>> {
        if self.rules.is_empty() {
            return Some(None);
        }
        self.rules
            .iter()
            .position(|rule| rule.names(code, name))
            .map(Some)
    }
}

/// What every directive starts with.
pub const DIRECTIVE_PREFIX: &str = "copydesk-";

/// Whether an HTML comment's content is a copydesk directive (never CMS markup).
pub fn is_directive_comment(content: &str) -> bool {
    content.trim_start().starts_with(DIRECTIVE_PREFIX)
}

/// Every directive of a post: the body's comments, then the front matter's.
pub fn read(
    text: &str,
    front_matter: Option<&FrontMatter>,
    comments: &[Comment],
) -> Vec<Directive> {
    let mut directives = body_directives(text, comments);
    if let Some(front_matter) = front_matter {
        directives.extend(front_matter_directives(text, front_matter));
    }
    directives
}

/// A directive found, before it is resolved to what it covers.
struct Parsed {
    verb: Verb,
    verb_text: String,
    rules: Vec<RuleRef>,
}

/// Reads `copydesk-VERB RULE[,RULE]…` from `text[range]` (the directive without
/// its comment markers); `None` when it is not a directive.
fn parse_directive(text: &str, range: Range<usize>, front_matter: bool) -> Option<Parsed> {
    let source = text.get(range.clone())?;
    let leading = source.len() - source.trim_start().len();
    let directive = source.trim_start().strip_prefix("copydesk-")?;
    let verb_text = directive
        .split(|c: char| c.is_whitespace() || c == ',')
        .next()
        .unwrap_or_default();
    let verb = match (verb_text, front_matter) {
        ("disable", true) => Verb::FrontMatter,
        (_, true) => Verb::Unknown,
        ("disable", false) => Verb::Disable,
        ("enable", false) => Verb::Enable,
        ("disable-next-line", false) => Verb::DisableNextLine,
        ("disable-line", false) => Verb::DisableLine,
        ("disable-file", false) => Verb::DisableFile,
        _ => Verb::Unknown,
    };
    let rules_start = range.start + leading + "copydesk-".len() + verb_text.len();
    let mut rules = Vec::new();
    let mut offset = rules_start;
    for part in text[rules_start..range.end].split_inclusive([',', ' ', '\t', '\n', '\r']) {
        let word = part.trim_end_matches([',', ' ', '\t', '\n', '\r']);
        if !word.is_empty() {
            rules.push(RuleRef {
                text: word.to_owned(),
                range: offset..offset + word.len(),
            });
        }
        offset += part.len();
    }
    Some(Parsed {
        verb,
        verb_text: verb_text.to_owned(),
        rules,
    })
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |at| at + 1)
}

/// The end of the line holding `offset`, past its line break.
fn line_end(text: &str, offset: usize) -> usize {
    text.get(offset..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |at| offset + at + 1)
}

fn body_directives(text: &str, comments: &[Comment]) -> Vec<Directive> {
    let mut directives = Vec::new();
    let mut open: Option<usize> = None;
    for comment in comments {
        if !is_directive_comment(&comment.content) {
            continue;
        }
        let inner = comment.range.start + 4..comment.range.end.saturating_sub(3);
        let Some(parsed) = text
            .get(comment.range.clone())
            .filter(|source| source.starts_with("<!--") && source.ends_with("-->"))
            .and_then(|_| parse_directive(text, inner, false))
        else {
            continue;
        };
        let covers = match parsed.verb {
            Verb::Disable => comment.range.end..text.len() + 1,
            Verb::DisableNextLine => {
                let next = line_end(text, comment.range.end);
                next..line_end(text, next)
            }
            Verb::DisableLine => {
                line_start(text, comment.range.start)..line_end(text, comment.range.end)
            }
            Verb::DisableFile => 0..text.len() + 1,
            Verb::Enable | Verb::FrontMatter | Verb::Unknown => 0..0,
        };
        // A region ends at the next `enable` or `disable`.
        if matches!(parsed.verb, Verb::Disable | Verb::Enable) {
            if let Some(index) = open.take() {
                let region: &mut Directive = &mut directives[index];
                region.covers.end = comment.range.start;
            }
            if parsed.verb == Verb::Disable {
                open = Some(directives.len());
            }
        }
        directives.push(Directive {
            verb: parsed.verb,
            verb_text: parsed.verb_text,
            range: comment.range.clone(),
            rules: parsed.rules,
            covers,
        });
    }
    directives
}

/// `# copydesk-disable …` comments of a YAML or TOML block.
fn front_matter_directives(text: &str, front_matter: &FrontMatter) -> Vec<Directive> {
    if front_matter.format == Format::Json {
        return Vec::new();
    }
    let mut scalars = Vec::new();
    collect_scalars(&front_matter.entries, &mut scalars);
    let block_start = front_matter.leading.start;
    let block_end = front_matter
        .close_fence
        .as_ref()
        .map_or(front_matter.content.end, |fence| fence.end);
    let mut directives = Vec::new();
    let content = front_matter.content.clone();
    let mut start = content.start;
    while start < content.end {
        let end = line_end(text, start).min(content.end);
        let line = &text[start..end];
        if let Some(directive) = front_matter_directive(text, start, line, &scalars) {
            let (range, parsed) = directive;
            let own_line = text[start..range.start].trim().is_empty();
            let covers = if own_line {
                block_start..block_end
            } else {
                let entry_end = entry_on_line(&front_matter.entries, start..end)
                    .map_or(end, |entry| entry.value.range.end.max(end));
                start..entry_end
            };
            directives.push(Directive {
                verb: parsed.verb,
                verb_text: parsed.verb_text,
                range,
                rules: parsed.rules,
                covers,
            });
        }
        start = end;
    }
    directives
}

/// A directive comment on one front-matter line: the comment's range and what it
/// says. A `#` inside a value (a quoted string, a block scalar) is not a comment.
fn front_matter_directive(
    text: &str,
    line_start: usize,
    line: &str,
    scalars: &[Range<usize>],
) -> Option<(Range<usize>, Parsed)> {
    let content_end = line_start + line.trim_end_matches(['\n', '\r']).len();
    line.match_indices('#').find_map(|(at, _)| {
        let hash = line_start + at;
        let starts_comment = at == 0 || line[..at].ends_with([' ', '\t']);
        if !starts_comment || scalars.iter().any(|scalar| scalar.contains(&hash)) {
            return None;
        }
        let parsed = parse_directive(text, hash + 1..content_end, true)?;
        Some((hash..content_end, parsed))
    })
}

fn collect_scalars(entries: &[Entry], out: &mut Vec<Range<usize>>) {
    for entry in entries {
        collect_node_scalars(&entry.value, out);
    }
}

fn collect_node_scalars(node: &Node, out: &mut Vec<Range<usize>>) {
    match &node.value {
        Value::Scalar { .. } => out.push(node.range.clone()),
        Value::Sequence(items) => items
            .iter()
            .for_each(|item| collect_node_scalars(item, out)),
        Value::Mapping(entries) => collect_scalars(entries, out),
        Value::Empty => {}
    }
}

/// The outermost entry whose key is on `line`.
fn entry_on_line(entries: &[Entry], line: Range<usize>) -> Option<&Entry> {
    entries.iter().find_map(|entry| {
        if line.contains(&entry.key_range.start) {
            return Some(entry);
        }
        match &entry.value.value {
            Value::Mapping(children) if entry.value.range.start < line.end => {
                entry_on_line(children, line.clone())
            }
            _ => None,
        }
    })
}

/// A directive's part that silenced nothing, for CD001.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unused {
    /// Index into the directives given to [`apply`].
    pub directive: usize,
    /// The rule named that silenced nothing; `None` for a directive naming no
    /// rule that silenced nothing at all.
    pub rule: Option<usize>,
}

/// Leaves out the findings the directives silence, and says which named rules
/// (or rule-less directives) silenced none. `skip_rule` says which named rules
/// are not worth reporting as unused (unknown ones, reported on their own, and
/// rules turned off, which cannot fire).
pub fn apply(
    directives: &[Directive],
    diagnostics: &mut Vec<Diagnostic>,
    skip_rule: &dyn Fn(&RuleRef) -> bool,
) -> Vec<Unused> {
    let mut used: Vec<Vec<bool>> = directives
        .iter()
        .map(|directive| vec![false; directive.rules.len().max(1)])
        .collect();
    diagnostics.retain(|diagnostic| {
        let mut silenced = false;
        for (index, directive) in directives.iter().enumerate() {
            if !directive.covers.contains(&diagnostic.range.start) {
                continue;
            }
            if let Some(rule) = directive.rule_matching(diagnostic.code, diagnostic.name) {
                used[index][rule.unwrap_or(0)] = true;
                silenced = true;
            }
        }
        !silenced
    });
    let mut unused = Vec::new();
    for (index, directive) in directives.iter().enumerate() {
        if matches!(directive.verb, Verb::Enable | Verb::Unknown) {
            continue;
        }
        if directive.rules.is_empty() {
            if !used[index][0] {
                unused.push(Unused {
                    directive: index,
                    rule: None,
                });
            }
            continue;
        }
        for (rule, was_used) in used[index].iter().enumerate() {
            if !was_used && !skip_rule(&directive.rules[rule]) {
                unused.push(Unused {
                    directive: index,
                    rule: Some(rule),
                });
            }
        }
    }
    unused
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    fn directives(text: &str) -> Vec<Directive> {
        let doc = Document::parse(text, None);
        read(text, doc.front_matter.as_ref(), &doc.markup.html.comments)
    }

    fn silenced(directives: &[Directive], code: &str, offset: usize) -> bool {
        directives.iter().any(|d| d.silences(code, "", offset))
    }

    #[test]
    fn body_regions_lines_and_file() {
        let text = "a\n<!-- copydesk-disable MK001, mk003 -->\nb\n<!-- copydesk-enable -->\nc\n<!-- copydesk-disable-next-line -->\nd\ne <!-- copydesk-disable-line MK005 -->\nf\n";
        let found = directives(text);
        let at = |line: &str| text.find(&format!("\n{line}")).unwrap_or(0) + 1;
        assert!(silenced(&found, "MK003", at("b")));
        assert!(!silenced(&found, "MK004", at("b")));
        assert!(!silenced(&found, "MK001", at("c")));
        assert!(silenced(&found, "MK010", at("d")));
        assert!(!silenced(&found, "MK010", at("e")));
        assert!(silenced(&found, "MK005", at("e")));
        assert!(!silenced(&found, "MK005", at("f")));
        let file = directives("x\n<!-- copydesk-disable-file MK -->\n");
        assert!(silenced(&file, "MK007", 0));
        assert!(!silenced(&file, "FM009", 0));
    }

    #[test]
    fn codes_are_read_with_their_ranges() {
        let text = "<!-- copydesk-disable-line MK001,boilerplate  FM -->\n";
        let found = directives(text);
        let rules: Vec<(&str, &str)> = found[0]
            .rules
            .iter()
            .map(|rule| (rule.text.as_str(), &text[rule.range.clone()]))
            .collect();
        assert_eq!(
            rules,
            [
                ("MK001", "MK001"),
                ("boilerplate", "boilerplate"),
                ("FM", "FM")
            ]
        );
        assert!(found[0].silences("MK008", "boilerplate", 0));
    }

    #[test]
    fn unknown_verbs_are_kept_as_directives() {
        let found = directives("<!-- copydesk-disabled MK001 -->\n");
        assert_eq!(found[0].verb, Verb::Unknown);
        assert!(!silenced(&found, "MK001", 0));
    }

    #[test]
    fn front_matter_key_and_block() {
        let text = "---\ntitle: a # not a directive\ndate: 2022/7/13 # copydesk-disable FM009\ntags:  # copydesk-disable FM013\n  - x\n  - y\nnote: \"# copydesk-disable FM010\"\n---\nbody\n";
        let found = directives(text);
        assert_eq!(found.len(), 2, "{found:?}");
        let date = text.find("2022").unwrap_or(0);
        assert!(silenced(&found, "FM009", date));
        assert!(!silenced(&found, "FM009", text.find("title").unwrap_or(0)));
        assert!(silenced(&found, "FM013", text.find("- y").unwrap_or(0)));
        assert!(!silenced(&found, "FM013", text.find("note").unwrap_or(0)));
        assert_eq!(&text[found[0].range.clone()], "# copydesk-disable FM009");
    }

    #[test]
    fn front_matter_line_of_its_own_covers_the_block() {
        for text in [
            "---\n# copydesk-disable FM010\ntitel: a\n---\nbody\n",
            "+++\n# copydesk-disable FM010\ntitel = \"a\"\n+++\nbody\n",
        ] {
            let found = directives(text);
            assert_eq!(found.len(), 1, "{text}");
            assert!(silenced(&found, "FM010", text.find("titel").unwrap_or(0)));
            assert!(silenced(&found, "FM010", 0));
            assert!(!silenced(&found, "FM010", text.find("body").unwrap_or(0)));
        }
    }

    #[test]
    fn apply_reports_what_silenced_nothing() {
        let text = "<!-- copydesk-disable-line MK001, MK004 -->\n<!-- copydesk-disable-next-line -->\nplain\n";
        let found = directives(text);
        let meta = crate::rules::find("MK001").map(|meta| meta as &'static _);
        let Some(meta) = meta else {
            panic!("MK001 is registered");
        };
        let mut diagnostics = vec![Diagnostic::new(meta, 0..10, "x")];
        let unused = apply(&found, &mut diagnostics, &|_| false);
        assert!(diagnostics.is_empty());
        assert_eq!(
            unused,
            [
                Unused {
                    directive: 0,
                    rule: Some(1)
                },
                Unused {
                    directive: 1,
                    rule: None
                }
            ]
        );
    }
}
