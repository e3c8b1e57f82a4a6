//! The language server: a thin shell over the analysis core. Only this module knows LSP types.
