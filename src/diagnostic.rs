//! What the analysis core hands out: diagnostics with byte ranges and fixes.

use std::ops::Range;

/// How loudly a finding is reported. `Off` disables a rule entirely.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        Some(match text {
            "off" => Severity::Off,
            "hint" => Severity::Hint,
            "info" => Severity::Info,
            "warning" => Severity::Warning,
            "error" => Severity::Error,
            _ => return None,
        })
    }
}

/// Whether applying a fix keeps every piece of visible article text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps all visible text; applied by `fix` and fix-all.
    Safe,
    /// Deletes visible text; applied only with `--unsafe`.
    Unsafe,
}

/// What kind of fix a rule offers, for `copydesk rules` and the docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Safe,
    Unsafe,
}

impl FixAvailability {
    pub fn as_str(self) -> &'static str {
        match self {
            FixAvailability::None => "—",
            FixAvailability::Safe => "safe",
            FixAvailability::Unsafe => "unsafe",
        }
    }
}

/// Replace `range` (bytes into the original text) with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

impl Edit {
    pub fn delete(range: Range<usize>) -> Edit {
        Edit {
            range,
            replacement: String::new(),
        }
    }

    pub fn replace(range: Range<usize>, replacement: impl Into<String>) -> Edit {
        Edit {
            range,
            replacement: replacement.into(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit {
            range: at..at,
            replacement: text.into(),
        }
    }
}

/// A set of edits that together fix one diagnostic.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            applicability: Applicability::Safe,
            edits,
        }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            applicability: Applicability::Unsafe,
            edits,
        }
    }
}

/// A second location that explains a diagnostic (e.g. the first of two duplicate keys).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Related {
    pub range: Range<usize>,
    pub message: String,
}

/// One finding in one file. All ranges are byte offsets into the analysed text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub message: String,
    pub range: Range<usize>,
    pub severity: Severity,
    pub fix: Option<Fix>,
    pub related: Vec<Related>,
    /// The range is markup that can be removed: editors show it faded.
    pub unnecessary: bool,
}

impl Diagnostic {
    /// A diagnostic of `rule` at its default severity. A rule may raise the severity
    /// of one finding (FM002 on Hexo sites); `rules::check` replaces it only when the
    /// config sets a severity for the rule.
    pub fn new(
        rule: &'static RuleMeta,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code: rule.code,
            name: rule.name,
            message: message.into(),
            range,
            severity: rule.default_severity,
            fix: None,
            related: Vec::new(),
            unnecessary: false,
        }
    }

    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fix = Some(fix);
        self
    }

    pub fn with_related(mut self, range: Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.related.push(Related {
            range,
            message: message.into(),
        });
        self
    }

    pub fn unnecessary(mut self) -> Diagnostic {
        self.unnecessary = true;
        self
    }
}

/// What a rule is, independent of any file.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub default_severity: Severity,
    pub fix: FixAvailability,
    /// The rule's doc comment: What it does / Why it matters / Example / Fix.
    pub doc: &'static str,
}

/// Where the rules are documented: the README's rule table, one anchor per rule.
pub const DOCS_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "#rules");

/// The documentation link of the rule `code`: its row in the README's rule table.
pub fn doc_url(code: &str) -> String {
    format!("{}#{}", crate::REPOSITORY_URL, code.to_ascii_lowercase())
}

impl RuleMeta {
    /// The documentation link of this rule.
    pub fn doc_url(&self) -> String {
        doc_url(self.code)
    }

    /// The first paragraph of the doc, for tables and hovers.
    pub fn summary(&self) -> &'static str {
        let doc = self.doc.trim_start();
        let doc = doc
            .strip_prefix("## What it does")
            .unwrap_or(doc)
            .trim_start();
        doc.split("\n\n").next().unwrap_or("").trim()
    }
}
