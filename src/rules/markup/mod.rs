//! Leftover-markup rules (MK codes).

use super::RuleEntry;

pub static RULES: &[RuleEntry] = crate::rule_entries![];
