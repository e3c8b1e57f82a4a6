//! Front-matter rules (FM codes).

use super::RuleEntry;

mod fm001_missing_front_matter;
mod fm002_front_matter_not_at_start;
mod fm003_unterminated_front_matter;
mod fm004_yaml_syntax;
mod fm005_duplicate_key;
mod fm006_missing_required;
mod fm007_wrong_type;
mod fm008_invalid_date;
mod fm009_non_canonical_date;
mod fm010_unknown_key;
mod fm011_empty_value;
mod fm012_invalid_url;
mod fm013_unknown_taxonomy;
mod fm014_near_duplicate_taxonomy;
mod fm015_accidental_front_matter;
mod fm016_json_front_matter;
#[cfg(test)]
mod value_rules_test_support;

pub use fm001_missing_front_matter::MissingFrontMatter;
pub use fm002_front_matter_not_at_start::FrontMatterNotAtStart;
pub use fm003_unterminated_front_matter::UnterminatedFrontMatter;
pub use fm004_yaml_syntax::YamlSyntax;
pub use fm005_duplicate_key::DuplicateKey;
pub use fm006_missing_required::MissingRequired;
pub use fm007_wrong_type::WrongType;
pub use fm008_invalid_date::InvalidDate;
pub use fm009_non_canonical_date::NonCanonicalDate;
pub use fm010_unknown_key::UnknownKey;
pub use fm011_empty_value::EmptyValue;
pub use fm012_invalid_url::InvalidUrl;
pub use fm013_unknown_taxonomy::UnknownTaxonomy;
pub use fm014_near_duplicate_taxonomy::NearDuplicateTaxonomy;
pub use fm015_accidental_front_matter::AccidentalFrontMatter;
pub use fm016_json_front_matter::JsonFrontMatter;

pub static RULES: &[RuleEntry] = crate::rule_entries![
    MissingFrontMatter,
    FrontMatterNotAtStart,
    UnterminatedFrontMatter,
    YamlSyntax,
    DuplicateKey,
    MissingRequired,
    WrongType,
    InvalidDate,
    NonCanonicalDate,
    UnknownKey,
    EmptyValue,
    InvalidUrl,
    UnknownTaxonomy,
    NearDuplicateTaxonomy,
    AccidentalFrontMatter,
    JsonFrontMatter,
];
