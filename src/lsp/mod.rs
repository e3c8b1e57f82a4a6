//! The language server: a thin shell over the analysis core. Only this module knows
//! LSP types. `server` routes each message to its handler (`handlers/<feature>.rs`),
//! which takes its request context from `session`, asks the core (`crate::ide`)
//! and converts the answer through `to_proto`.

mod analysis;
mod convert;
mod documents;
mod handlers;
mod index;
mod server;
mod session;
mod settings;
mod stdio;
mod to_proto;
pub mod transport;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

/// Process status for an internal error (the CLI's "trouble" status).
const EXIT_INTERNAL_ERROR: u8 = 2;

/// Serves the language server protocol over `input`/`output` until the client exits;
/// returns the process status LSP asks for (0 after `shutdown` then `exit`, 1 for an
/// `exit` without `shutdown`, 2 when the transport itself failed).
pub async fn serve<I, O>(input: I, output: O) -> u8
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin,
{
    let (to_server, server_input) = tokio::io::duplex(1 << 16);
    let (server_output, from_server) = tokio::io::duplex(1 << 16);
    let (replies, transport_replies) = tokio::sync::mpsc::unbounded_channel();
    let frames = replies.downgrade();
    let reader = tokio::spawn(transport::read_client(input, to_server, replies));
    let (service, socket) = LspService::build(|client| server::Backend::new(client, frames))
        .custom_method(transport::PULL_DIAGNOSTICS, server::Backend::pull_framed)
        .custom_method(transport::COMPLETE, server::Backend::complete_framed)
        .custom_method(transport::CANCEL_PULL, server::Backend::cancel_pull)
        .finish();
    let server = Server::new(server_input, server_output, socket).serve(service);
    let writer = transport::write_client(from_server, transport_replies, output);
    tokio::join!(server, writer);
    match reader.await {
        Ok(ending) => {
            if ending.exit_status() != 0 {
                eprintln!("copydesk: the client ended the session without `shutdown`");
            }
            ending.exit_status()
        }
        Err(error) => {
            eprintln!("copydesk: internal error in the transport: {error}");
            EXIT_INTERNAL_ERROR
        }
    }
}

/// Serves the language server protocol on stdin/stdout until the client exits and
/// returns the process status.
pub fn serve_stdio() -> anyhow::Result<u8> {
    // One thread for the protocol: every handler is short (analyses of posts over
    // 64 KB, indexing and workspace diagnostics run on the blocking pool), and a
    // message that stays on one thread reaches its answer without a hand-over
    // between workers (seed post p95 about 0.66 -> 0.58 ms, push and pull).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let input = stdio::input()?;
    let (output, writer) = stdio::output()?;
    let status = runtime.block_on(serve(input, output));
    // An analysis may still run on the blocking pool; nothing waits for it.
    runtime.shutdown_background();
    // The output was closed when the session ended: the thread writes what is left.
    let _ = writer.join();
    Ok(status)
}
