//! The accept loop: HTTP/1.1 and HTTP/2 with prior knowledge (h2c, what gRPC clients speak
//! over plain TCP) on the same port, told apart by the connection's first bytes. It owns each
//! TCP connection (instead of `axum::serve`) so that a handler can have its connection reset
//! (RST, no response) or simply left hanging.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tower::ServiceExt;

/// Handed to every request of a connection (as an axum `Extension`) so its handler can
/// ask for the connection to be reset.
#[derive(Clone, Default)]
pub(crate) struct ConnCtl {
    reset: Arc<AtomicBool>,
    wake: Arc<Notify>,
}

impl ConnCtl {
    /// Resets the connection this request came on: SO_LINGER 0, then close. Never returns.
    pub(crate) async fn reset(&self) -> ! {
        self.reset.store(true, Ordering::SeqCst);
        self.wake.notify_one();
        std::future::pending().await
    }
}

/// Accepts connections until the task is aborted; aborting it drops (and so aborts)
/// every connection task too.
pub(crate) async fn serve(listener: TcpListener, router: Router) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, router.clone()));
                }
                // Out of file descriptors and the like: back off rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve_connection(stream: TcpStream, router: Router) {
    let ctl = ConnCtl::default();
    let io = TokioIo::new(ResettableStream {
        stream,
        reset: ctl.reset.clone(),
    });
    let wake = ctl.wake.clone();
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ctl.clone());
        router.clone().oneshot(request)
    });
    let builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    let connection = builder.serve_connection(io, service);
    tokio::select! {
        _ = connection => {}
        // Dropping the connection drops the stream, which resets it (see its Drop).
        _ = wake.notified() => {}
    }
}

/// A TCP stream that, once its reset flag is set, closes with RST instead of FIN.
struct ResettableStream {
    stream: TcpStream,
    reset: Arc<AtomicBool>,
}

impl Drop for ResettableStream {
    fn drop(&mut self) {
        if self.reset.load(Ordering::SeqCst) {
            // Linger 0 makes close() send RST and discard anything unsent.
            let _ = self.stream.set_zero_linger();
        }
    }
}

impl AsyncRead for ResettableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for ResettableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
