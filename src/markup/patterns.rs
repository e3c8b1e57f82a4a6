//! The built-in pattern lists (data files under `data/`) merged with `[markup]`, compiled once.

use crate::config::MarkupConfig;

/// Compiled pattern lists; build once per configuration, share across files.
#[derive(Debug, Default)]
pub struct Patterns {}

impl Patterns {
    pub fn new(_extra: &MarkupConfig) -> Patterns {
        Patterns {}
    }
}
