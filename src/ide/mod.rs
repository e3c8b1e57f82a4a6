//! Editor features that need no LSP types, over the core's data, so the CLI can
//! use them too: the language server converts their results at the edge
//! (`lsp::to_proto`).

pub mod code_actions;
pub mod completion;
pub mod hover;
pub mod rename;
mod schema;
pub mod symbols;
