//! stdin and stdout on a thread each. tokio's own `Stdin` and `Stdout` hand every
//! read and every write to the blocking pool and wait for it to come back: two
//! thread hand-overs per message each way, which cost the server more CPU than
//! analysing a small post. Here one thread blocks in `read` and one in `write`,
//! and the async side only passes buffers to and from them.

use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::thread::JoinHandle;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::mpsc;

/// The bytes the reading thread got from stdin, chunk by chunk; the end of the
/// input (or a read error) ends the stream.
pub struct Input {
    chunks: mpsc::UnboundedReceiver<Vec<u8>>,
    chunk: Vec<u8>,
    read: usize,
}

/// Starts the thread that reads stdin. It is left blocked in `read` when the
/// session ends (no more input may ever come); the process exit ends it.
pub fn input() -> std::io::Result<Input> {
    let (sender, chunks) = mpsc::unbounded_channel();
    std::thread::Builder::new()
        .name("copydesk-stdin".to_owned())
        .spawn(move || {
            let mut stdin = std::io::stdin().lock();
            let mut buffer = vec![0; 1 << 16];
            loop {
                match stdin.read(&mut buffer) {
                    Ok(0) => break,
                    Ok(read) => {
                        if sender.send(buffer[..read].to_vec()).is_err() {
                            break;
                        }
                    }
                    Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
        })?;
    Ok(Input {
        chunks,
        chunk: Vec::new(),
        read: 0,
    })
}

impl AsyncRead for Input {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        while self.read == self.chunk.len() {
            match self.chunks.poll_recv(cx) {
                Poll::Ready(Some(chunk)) => {
                    self.chunk = chunk;
                    self.read = 0;
                }
                // The end of the input: a read of nothing.
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Pending => return Poll::Pending,
            }
        }
        let this = &mut *self;
        let n = buf.remaining().min(this.chunk.len() - this.read);
        buf.put_slice(&this.chunk[this.read..this.read + n]);
        this.read += n;
        Poll::Ready(Ok(()))
    }
}

/// Bytes for stdout: gathered until a flush, then handed to the writing thread,
/// which writes each flush with one `write` (std's stdout, line-buffered, wrote a
/// frame as its header and then its body).
pub struct Output {
    pending: Vec<u8>,
    flushes: Option<std::sync::mpsc::Sender<Vec<u8>>>,
}

/// Starts the thread that writes stdout; join it after the session to be sure
/// the last answers were written.
pub fn output() -> std::io::Result<(Output, JoinHandle<()>)> {
    let mut stdout = std::fs::File::from(std::io::stdout().as_fd().try_clone_to_owned()?);
    let (flushes, written) = std::sync::mpsc::channel::<Vec<u8>>();
    let writer = std::thread::Builder::new()
        .name("copydesk-stdout".to_owned())
        .spawn(move || {
            for bytes in written {
                // A client that is gone reads nothing more: stop writing.
                if stdout.write_all(&bytes).is_err() {
                    break;
                }
            }
        })?;
    let output = Output {
        pending: Vec::new(),
        flushes: Some(flushes),
    };
    Ok((output, writer))
}

impl AsyncWrite for Output {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.pending.extend_from_slice(buf);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        if self.pending.is_empty() {
            return Poll::Ready(Ok(()));
        }
        let bytes = std::mem::take(&mut self.pending);
        let sent = self
            .flushes
            .as_ref()
            .is_some_and(|flushes| flushes.send(bytes).is_ok());
        Poll::Ready(if sent {
            Ok(())
        } else {
            Err(std::io::ErrorKind::BrokenPipe.into())
        })
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let flushed = self.as_mut().poll_flush(cx);
        // Dropping the sender ends the writing thread once it has written the rest.
        self.flushes = None;
        flushed
    }
}
