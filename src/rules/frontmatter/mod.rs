//! Front-matter rules (FM codes).

use super::RuleEntry;

mod fm001_missing_front_matter;
mod fm002_front_matter_not_at_start;
mod fm003_unterminated_front_matter;
mod fm004_yaml_syntax;
mod fm005_duplicate_key;
pub mod fm006_missing_required;
pub mod fm007_wrong_type;
pub mod fm008_invalid_date;
pub mod fm009_non_canonical_date;
pub mod fm010_unknown_key;
pub mod fm011_empty_value;
pub mod fm012_invalid_url;
pub mod fm013_unknown_taxonomy;
pub mod fm014_near_duplicate_taxonomy;
mod fm015_accidental_front_matter;
mod fm016_json_front_matter;
#[cfg(test)]
mod value_rules_test_support;

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
    fm006_missing_required::MissingRequired,
    fm007_wrong_type::WrongType,
    fm008_invalid_date::InvalidDate,
    fm009_non_canonical_date::NonCanonicalDate,
    fm010_unknown_key::UnknownKey,
    fm011_empty_value::EmptyValue,
    fm012_invalid_url::InvalidUrl,
    fm013_unknown_taxonomy::UnknownTaxonomy,
    fm014_near_duplicate_taxonomy::NearDuplicateTaxonomy,
    AccidentalFrontMatter,
    JsonFrontMatter,
];
