//! Editor features that need no LSP types, over the core's data, so the CLI can
//! use them too: the language server converts their results at the edge.

pub mod rename;
