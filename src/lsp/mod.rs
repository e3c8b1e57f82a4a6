//! The language server: a thin shell over the analysis core. Only this module knows
//! LSP types. Features are pure functions over (text, parsed document, site index,
//! config) returning core data; `server` converts at the edge through `convert`.

mod analysis;
mod code_actions;
mod completion;
mod convert;
mod diagnostics;
mod documents;
mod hover;
mod index;
mod schema;
mod server;
mod settings;
mod symbols;
mod transport;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

/// Serves the language server protocol over `input`/`output` until the client exits.
pub async fn serve<I, O>(input: I, output: O)
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite,
{
    let (checked, forward) = tokio::io::duplex(1 << 16);
    tokio::spawn(transport::forward_valid_frames(input, forward));
    let (service, socket) = LspService::new(server::Backend::new);
    Server::new(checked, output, socket).serve(service).await;
}

/// Serves the language server protocol on stdin/stdout until the client exits.
pub fn serve_stdio() -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // Tokio reads stdin on a blocking thread that only returns when input arrives;
    // after `exit` nothing will, so the runtime must not wait for it.
    runtime.shutdown_background();
    Ok(())
}
