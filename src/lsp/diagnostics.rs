//! Diagnostics: the core's findings for one version of a document, and their LSP form.

use tower_lsp_server::ls_types::{
    self as lsp, CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag,
    Location, NumberOrString, Uri,
};

use crate::diagnostic::{Diagnostic, Severity};

use super::convert::Positions;

pub const SOURCE: &str = "copydesk";

pub fn to_lsp(diagnostic: &Diagnostic, uri: &Uri, positions: &Positions) -> lsp::Diagnostic {
    let severity = match diagnostic.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint | Severity::Off => DiagnosticSeverity::HINT,
    };
    let href = crate::rules::doc_url(diagnostic.code);
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
        code_description: href.parse().ok().map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message: format!("{} ({})", diagnostic.message, diagnostic.name),
        related_information: (!related.is_empty()).then_some(related),
        tags: diagnostic
            .unnecessary
            .then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: None,
    }
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
        let lsp = to_lsp(&diagnostic, &uri, &Positions::new(text, Encoding::Utf16));
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
