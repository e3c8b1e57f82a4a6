//! Front-matter rules (FM codes).

use super::RuleEntry;

pub static RULES: &[RuleEntry] = crate::rule_entries![];
