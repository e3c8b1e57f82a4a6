//! The language server: a thin shell over the analysis core. Only this module knows LSP types.

/// Serves the language server protocol on stdin/stdout until the client exits.
pub fn serve_stdio() -> anyhow::Result<()> {
    anyhow::bail!("the language server is not built yet")
}
