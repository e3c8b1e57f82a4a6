//! Document symbols: the front-matter fields, then the Markdown headings nested by level.

use std::ops::Range;

use crate::document::Document;
use crate::frontmatter::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Field,
    Heading,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole construct.
    pub range: Range<usize>,
    /// What to select when jumping to it.
    pub selection: Range<usize>,
    pub children: Vec<Symbol>,
}

pub fn symbols(doc: &Document) -> Vec<Symbol> {
    let mut out = Vec::new();
    if let Some(front_matter) = &doc.front_matter {
        for entry in &front_matter.entries {
            let detail = match &entry.value.value {
                Value::Scalar { text, .. } => Some(text.chars().take(60).collect()),
                Value::Sequence(items) => Some(format!("{} items", items.len())),
                Value::Mapping(entries) => Some(format!("{} keys", entries.len())),
                Value::Empty => None,
            };
            let end = entry.value.range.end.max(entry.key_range.end);
            out.push(Symbol {
                name: entry.key.clone(),
                detail,
                kind: SymbolKind::Field,
                range: entry.key_range.start..end,
                selection: entry.key_range.clone(),
                children: Vec::new(),
            });
        }
    }
    // Nest headings: a stack of (level, symbol) whose tops are still open.
    let mut stack: Vec<(u8, Symbol)> = Vec::new();
    let mut roots: Vec<Symbol> = Vec::new();
    for heading in &doc.markup.headings {
        while stack
            .last()
            .is_some_and(|(level, _)| *level >= heading.level)
        {
            close(&mut stack, &mut roots);
        }
        let name = if heading.text.trim().is_empty() {
            "(empty heading)".to_owned()
        } else {
            heading.text.trim().to_owned()
        };
        stack.push((
            heading.level,
            Symbol {
                name,
                detail: Some(format!("h{}", heading.level)),
                kind: SymbolKind::Heading,
                range: heading.range.clone(),
                selection: heading.range.clone(),
                children: Vec::new(),
            },
        ));
    }
    while !stack.is_empty() {
        close(&mut stack, &mut roots);
    }
    out.extend(roots);
    out
}

fn close(stack: &mut Vec<(u8, Symbol)>, roots: &mut Vec<Symbol>) {
    let Some((_, symbol)) = stack.pop() else {
        return;
    };
    match stack.last_mut() {
        Some((_, parent)) => {
            parent.range.end = parent.range.end.max(symbol.range.end);
            parent.children.push(symbol);
        }
        None => roots.push(symbol),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::Heading;

    #[test]
    fn headings_nest_by_level() {
        let mut doc = Document::parse("x", None);
        let heading = |level, text: &str, at| Heading {
            level,
            text: text.into(),
            range: at..at + 1,
        };
        doc.markup.headings = vec![
            heading(1, "a", 0),
            heading(2, "b", 10),
            heading(3, "c", 20),
            heading(2, "d", 30),
            heading(1, "e", 40),
        ];
        let symbols = symbols(&doc);
        assert_eq!(symbols.len(), 2);
        assert_eq!(symbols[0].children.len(), 2);
        assert_eq!(symbols[0].children[0].children[0].name, "c");
        assert_eq!(symbols[0].range, 0..31);
    }
}
