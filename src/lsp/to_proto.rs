//! The one place core data becomes LSP types: diagnostics, edits, code actions,
//! completion items, hover, symbols and diagnostic reports. Byte offsets become
//! positions through `convert::Positions` in the negotiated encoding.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::LazyLock;

use tower_lsp_server::ls_types::{
    self as lsp, CodeAction, CodeActionKind, CodeActionOrCommand, CodeDescription, CompletionItem,
    CompletionItemKind, CompletionList, CompletionResponse, CompletionTextEdit,
    DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, DocumentDiagnosticReport,
    DocumentDiagnosticReportResult, DocumentSymbol, Documentation, FullDocumentDiagnosticReport,
    Hover, HoverContents, InsertTextFormat, Location, MarkupContent, MarkupKind, NumberOrString,
    RelatedFullDocumentDiagnosticReport, RelatedUnchangedDocumentDiagnosticReport, TextEdit,
    UnchangedDocumentDiagnosticReport, Uri, WorkspaceDocumentDiagnosticReport, WorkspaceEdit,
    WorkspaceFullDocumentDiagnosticReport, WorkspaceUnchangedDocumentDiagnosticReport,
};

use crate::diagnostic::{Diagnostic, Edit, Severity};
use crate::ide::code_actions::{self, Action, ActionKind};
use crate::ide::completion::{self, Completion};
use crate::ide::symbols::{self, Symbol};
use crate::line_index::Encoding;

use super::convert::Positions;

pub const SOURCE: &str = "copydesk";

pub fn diagnostic(diagnostic: &Diagnostic, uri: &Uri, positions: &Positions) -> lsp::Diagnostic {
    let severity = match diagnostic.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint | Severity::Off => DiagnosticSeverity::HINT,
    };
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .related
        .iter()
        .map(|related| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), positions.range(related.range.clone())),
            message: related.message.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range: positions.range(diagnostic.range.clone()),
        severity: Some(severity),
        code: Some(NumberOrString::String(diagnostic.code.to_owned())),
        code_description: code_description(diagnostic.code),
        source: Some(SOURCE.to_owned()),
        message: [&diagnostic.message, " (", diagnostic.name, ")"].concat(),
        related_information: (!related.is_empty()).then_some(related),
        tags: diagnostic
            .unnecessary
            .then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}

/// The documentation link of a rule, parsed once per code: parsing it for each of
/// thousands of findings showed in the profile of an edit.
fn code_description(code: &str) -> Option<CodeDescription> {
    static LINKS: LazyLock<HashMap<&'static str, Uri>> = LazyLock::new(|| {
        crate::rules::codes()
            .into_iter()
            .filter_map(|code| Some((code, crate::rules::doc_url(code).parse().ok()?)))
            .collect()
    });
    let href = match LINKS.get(code) {
        Some(href) => href.clone(),
        None => crate::rules::doc_url(code).parse().ok()?,
    };
    Some(CodeDescription { href })
}

pub fn diagnostics(found: &[Diagnostic], uri: &Uri, positions: &Positions) -> Vec<lsp::Diagnostic> {
    found
        .iter()
        .map(|d| diagnostic(d, uri, positions))
        .collect()
}

pub fn text_edits(text: &str, edits: &[Edit], encoding: Encoding) -> Vec<TextEdit> {
    let positions = Positions::new(text, encoding);
    edits
        .iter()
        .map(|edit| {
            TextEdit::new(
                positions.range(edit.range.clone()),
                edit.replacement.clone(),
            )
        })
        .collect()
}

pub fn action_kind(kind: ActionKind) -> CodeActionKind {
    match kind {
        ActionKind::QuickFix => CodeActionKind::QUICKFIX,
        ActionKind::FixAll => CodeActionKind::new(code_actions::FIX_ALL_KIND),
        ActionKind::RemoveAllMarkup => CodeActionKind::new(code_actions::REMOVE_MARKUP_KIND),
    }
}

/// A code action editing the one document `uri`, whose text is `text`.
pub fn code_action(
    action: Action,
    found: &[Diagnostic],
    uri: &Uri,
    text: &str,
    positions: &Positions,
    encoding: Encoding,
) -> CodeActionOrCommand {
    let diagnostics = action
        .diagnostic
        .and_then(|i| found.get(i))
        .map(|d| vec![diagnostic(d, uri, positions)]);
    let edits = text_edits(text, &action.edits, encoding);
    CodeActionOrCommand::CodeAction(CodeAction {
        title: action.title,
        kind: Some(action_kind(action.kind)),
        diagnostics,
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..Default::default()
        }),
        is_preferred: action.preferred.then_some(true),
        ..Default::default()
    })
}

/// A completion list as sent. `ls_types::CompletionList` has no `itemDefaults`
/// (LSP 3.17): with them, a value's item is its label, kind, detail and rank, and
/// the range every item replaces is sent once, not in each item (a 100-item list
/// shrinks from about 25 KB to 9 KB, which a client parses in a third of the time).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompletionAnswer {
    is_incomplete: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    item_defaults: Option<ItemDefaults>,
    items: Vec<CompletionItem>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ItemDefaults {
    edit_range: lsp::Range,
}

impl CompletionAnswer {
    /// The body's expected length, for [`super::transport::response_frame`].
    pub fn size_hint(&self) -> usize {
        128 + self.items.len()
            * if self.item_defaults.is_some() {
                100
            } else {
                250
            }
    }
}

/// The list without item defaults, every item with its own edit, for a client
/// answered through tower's types.
impl From<CompletionAnswer> for CompletionResponse {
    fn from(answer: CompletionAnswer) -> CompletionResponse {
        let default_range = answer.item_defaults.map(|defaults| defaults.edit_range);
        let items = answer
            .items
            .into_iter()
            .map(|mut item| {
                if let (None, Some(range)) = (&item.text_edit, default_range) {
                    let insert = TextEdit::new(range, item.label.clone());
                    item.text_edit = Some(CompletionTextEdit::Edit(insert));
                }
                item
            })
            .collect();
        CompletionResponse::List(CompletionList {
            is_incomplete: answer.is_incomplete,
            items,
        })
    }
}

/// Completion items in the core's order (kept by `sortText`). With
/// `default_edit_range` (the client takes `itemDefaults.editRange`), an item that
/// inserts its own label leaves the range to the list.
pub fn completion(
    completion: Completion,
    positions: &Positions,
    default_edit_range: bool,
) -> CompletionAnswer {
    let range = positions.range(completion.replace);
    let items = completion
        .items
        .into_iter()
        .enumerate()
        .map(|(rank, item)| {
            let snippet = item.kind == completion::ItemKind::Snippet;
            let own_edit = !default_edit_range || item.insert != item.label;
            CompletionItem {
                kind: Some(match item.kind {
                    completion::ItemKind::Key => CompletionItemKind::PROPERTY,
                    completion::ItemKind::Value => CompletionItemKind::VALUE,
                    completion::ItemKind::Keyword => CompletionItemKind::KEYWORD,
                    completion::ItemKind::Snippet => CompletionItemKind::SNIPPET,
                }),
                detail: item.detail,
                documentation: item.documentation.map(|doc| {
                    Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: doc,
                    })
                }),
                sort_text: Some(format!("{rank:06}")),
                // Plain text and filtering by the label are the defaults.
                insert_text_format: snippet.then_some(InsertTextFormat::SNIPPET),
                text_edit: own_edit
                    .then(|| CompletionTextEdit::Edit(TextEdit::new(range, item.insert))),
                label: item.label,
                ..Default::default()
            }
        })
        .collect();
    CompletionAnswer {
        is_incomplete: completion.incomplete,
        item_defaults: default_edit_range.then_some(ItemDefaults { edit_range: range }),
        items,
    }
}

pub fn hover(markdown: String, range: Range<usize>, positions: &Positions) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(positions.range(range)),
    }
}

pub fn symbol(symbol: Symbol, positions: &Positions) -> DocumentSymbol {
    #[allow(deprecated)]
    DocumentSymbol {
        name: symbol.name,
        detail: symbol.detail,
        kind: match symbol.kind {
            symbols::SymbolKind::Field => lsp::SymbolKind::FIELD,
            symbols::SymbolKind::Heading => lsp::SymbolKind::STRING,
        },
        tags: None,
        deprecated: None,
        range: positions.range(symbol.range),
        selection_range: positions.range(symbol.selection),
        children: (!symbol.children.is_empty()).then(|| {
            symbol
                .children
                .into_iter()
                .map(|child| self::symbol(child, positions))
                .collect()
        }),
    }
}

/// A result id names the report's content, so an unchanged report is exact even
/// when the site index, not the document, changed.
/// About how many bytes `items` serialize to: a diagnostic with its code link,
/// message and range is some 300.
pub fn serialized_size_hint(items: &[lsp::Diagnostic]) -> usize {
    256 + items.len() * 320
}

pub fn result_id(items: &[lsp::Diagnostic]) -> String {
    let mut hasher = rustc_hash::FxHasher::default();
    for item in items {
        hash_diagnostic(item, &mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

/// Hashes every field the client receives, without serializing them first (that
/// cost as much as the answer's own serialization).
fn hash_diagnostic(item: &lsp::Diagnostic, hasher: &mut impl Hasher) {
    let severity = |severity: DiagnosticSeverity| match severity {
        DiagnosticSeverity::ERROR => 1u8,
        DiagnosticSeverity::WARNING => 2,
        DiagnosticSeverity::INFORMATION => 3,
        DiagnosticSeverity::HINT => 4,
        _ => 0,
    };
    let tag = |tag: &DiagnosticTag| match *tag {
        DiagnosticTag::UNNECESSARY => 1u8,
        DiagnosticTag::DEPRECATED => 2,
        _ => 0,
    };
    item.range.hash(hasher);
    item.severity.map(severity).hash(hasher);
    item.code.hash(hasher);
    let href = item.code_description.as_ref().map(|c| c.href.as_str());
    href.hash(hasher);
    item.source.hash(hasher);
    item.message.hash(hasher);
    for related in item.related_information.iter().flatten() {
        related.location.hash(hasher);
        related.message.hash(hasher);
    }
    item.related_information.as_ref().map(Vec::len).hash(hasher);
    let tags: Option<Vec<u8>> = item
        .tags
        .as_ref()
        .map(|tags| tags.iter().map(tag).collect());
    tags.hash(hasher);
    item.data.as_ref().map(ToString::to_string).hash(hasher);
}

/// The report of one document for `textDocument/diagnostic`: unchanged when the
/// client already has this result.
pub fn document_report(
    items: Vec<lsp::Diagnostic>,
    previous: Option<&str>,
) -> DocumentDiagnosticReportResult {
    let id = result_id(&items);
    let report = if previous == Some(id.as_str()) {
        DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                result_id: id,
            },
        })
    } else {
        DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: Some(id),
                items,
            },
        })
    };
    DocumentDiagnosticReportResult::Report(report)
}

/// The empty report of a document that is not open.
pub fn empty_report() -> DocumentDiagnosticReportResult {
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: None,
                items: Vec::new(),
            },
        },
    ))
}

/// The report of one post for `workspace/diagnostic`: unchanged when the client
/// already has this result.
pub fn workspace_report(
    uri: Uri,
    version: Option<i64>,
    items: Vec<lsp::Diagnostic>,
    previous: &HashMap<String, String>,
) -> WorkspaceDocumentDiagnosticReport {
    let id = result_id(&items);
    if previous.get(uri.as_str()) == Some(&id) {
        return WorkspaceDocumentDiagnosticReport::Unchanged(
            WorkspaceUnchangedDocumentDiagnosticReport {
                uri,
                version,
                unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                    result_id: id,
                },
            },
        );
    }
    WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
        uri,
        version,
        full_document_diagnostic_report: FullDocumentDiagnosticReport {
            result_id: Some(id),
            items,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Related;
    use crate::line_index::Encoding;

    #[test]
    fn carries_code_link_tags_and_related_information() {
        let text = "a: 1\n金融: 2\n金融: 3\n";
        let second = text.rfind("金融").unwrap_or(0);
        let first = text.find("金融").unwrap_or(0);
        let diagnostic = Diagnostic {
            code: "FM005",
            name: "duplicate-key",
            message: "duplicate key `金融`".to_owned(),
            range: second..second + "金融".len(),
            severity: Severity::Error,
            fix: None,
            related: vec![Related {
                range: first..first + "金融".len(),
                message: "first defined here".to_owned(),
            }],
            unnecessary: true,
        };
        let uri: Uri = "file:///a.md".parse().expect("uri");
        let lsp = super::diagnostic(&diagnostic, &uri, &Positions::new(text, Encoding::Utf16));
        assert_eq!(
            lsp.range,
            lsp::Range::new(lsp::Position::new(2, 0), lsp::Position::new(2, 2))
        );
        assert_eq!(lsp.code, Some(NumberOrString::String("FM005".into())));
        assert_eq!(lsp.severity, Some(DiagnosticSeverity::ERROR));
        assert_eq!(lsp.tags, Some(vec![DiagnosticTag::UNNECESSARY]));
        let related = lsp.related_information.expect("related");
        assert_eq!(related[0].location.range.start, lsp::Position::new(1, 0));
        let href = lsp.code_description.expect("link").href;
        assert!(href.as_str().ends_with("#fm005"));
    }
}
