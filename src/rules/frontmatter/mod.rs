//! Front-matter rules (FM codes).

use super::RuleEntry;

mod fm001_missing_front_matter;
mod fm002_front_matter_not_at_start;
mod fm003_unterminated_front_matter;
mod fm004_yaml_syntax;
mod fm005_duplicate_key;
mod fm015_accidental_front_matter;
mod fm016_json_front_matter;

pub use fm001_missing_front_matter::MissingFrontMatter;
pub use fm002_front_matter_not_at_start::FrontMatterNotAtStart;
pub use fm003_unterminated_front_matter::UnterminatedFrontMatter;
pub use fm004_yaml_syntax::YamlSyntax;
pub use fm005_duplicate_key::DuplicateKey;
pub use fm015_accidental_front_matter::AccidentalFrontMatter;
pub use fm016_json_front_matter::JsonFrontMatter;

pub static RULES: &[RuleEntry] = crate::rule_entries![
    MissingFrontMatter,
    FrontMatterNotAtStart,
    UnterminatedFrontMatter,
    YamlSyntax,
    DuplicateKey,
    // FM006–FM014 (branch fm-rules) go here.
    AccidentalFrontMatter,
    JsonFrontMatter,
];
