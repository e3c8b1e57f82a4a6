//! One file per feature. Each handler takes the session and the request's params,
//! gets its request context from the session (the one prologue: the open document,
//! its site, its version's analysis), asks the core (`crate::ide`) for the answer
//! and converts it with `to_proto`.

pub mod code_actions;
pub mod completion;
pub mod configuration;
pub mod diagnostics;
pub mod documents;
pub mod hover;
pub mod indexing;
pub mod initialize;
pub mod rename;
pub mod symbols;
pub mod workspace_diagnostic;
pub mod workspace_folders;
