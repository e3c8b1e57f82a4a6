//! Front-matter rules (FM codes).

use super::RuleEntry;

pub mod fm006_missing_required;
pub mod fm007_wrong_type;
pub mod fm008_invalid_date;
pub mod fm009_non_canonical_date;
pub mod fm010_unknown_key;
pub mod fm011_empty_value;
pub mod fm012_invalid_url;
pub mod fm013_unknown_taxonomy;
pub mod fm014_near_duplicate_taxonomy;
#[cfg(test)]
mod value_rules_test_support;

pub static RULES: &[RuleEntry] = crate::rule_entries![
    fm006_missing_required::MissingRequired,
    fm007_wrong_type::WrongType,
    fm008_invalid_date::InvalidDate,
    fm009_non_canonical_date::NonCanonicalDate,
    fm010_unknown_key::UnknownKey,
    fm011_empty_value::EmptyValue,
    fm012_invalid_url::InvalidUrl,
    fm013_unknown_taxonomy::UnknownTaxonomy,
    fm014_near_duplicate_taxonomy::NearDuplicateTaxonomy,
];
