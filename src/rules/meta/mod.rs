//! Rules about copydesk's own directives (CD codes).

use super::RuleEntry;

pub mod cd001_unused_suppression;

#[cfg(test)]
mod tests;

pub static RULES: &[RuleEntry] = crate::rule_entries![cd001_unused_suppression::UnusedSuppression];
