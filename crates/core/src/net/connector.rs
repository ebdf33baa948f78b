//! The connections gRPC calls run on, under the same policy as the HTTP client
//! (`client.rs`): TLS with rustls and the platform verifier (always verifying, ALPN h2),
//! plain http (h2c) only to this machine, and `HTTPS_PROXY`/`NO_PROXY` through an HTTP
//! CONNECT tunnel. tonic does none of this itself; it is handed this connector
//! (`Endpoint::connect_with_connector`).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use base64::Engine;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;
use tokio_util::either::Either;
use url::Url;

use super::client::{https_proxy_url, is_direct};
use crate::schema::Env;

pub(crate) type Stream = TokioIo<Either<TcpStream, TlsStream<TcpStream>>>;

/// Opens one connection per call of `Service<Uri>`: direct or through the proxy, then TLS
/// for https.
#[derive(Clone)]
pub(crate) struct Connector {
    tls: Arc<rustls::ClientConfig>,
    proxy: Option<Url>,
    no_proxy: Option<String>,
}

impl Connector {
    /// Fails only when the system's certificate store cannot be loaded or `HTTPS_PROXY` is
    /// not a URL; the message names neither a host nor a secret.
    pub fn new(env: &Env) -> Result<Self, String> {
        super::client::install_crypto_provider();
        use rustls_platform_verifier::ConfigVerifierExt;
        let mut tls = rustls::ClientConfig::with_platform_verifier()
            .map_err(|_| "could not load the system's certificate store".to_string())?;
        tls.alpn_protocols = vec![b"h2".to_vec()];
        Ok(Self {
            tls: Arc::new(tls),
            proxy: https_proxy_url(env)?,
            no_proxy: env.first(&["NO_PROXY", "no_proxy"]).map(str::to_string),
        })
    }

    async fn connect(self, uri: http::Uri) -> io::Result<Stream> {
        let host = uri
            .host()
            .ok_or_else(|| invalid("the server URL has no host"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let https = match uri.scheme_str() {
            Some("https") => true,
            Some("http") if is_loopback(&host) => false,
            Some("http") => return Err(invalid("plain http is only allowed to this machine")),
            _ => return Err(invalid("the server URL must start with https://")),
        };
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        let proxy = self.proxy.as_ref().filter(|_| {
            https && !is_loopback(&host) && !is_direct(&host, self.no_proxy.as_deref())
        });
        let tcp = match proxy {
            Some(proxy) => tunnel(proxy, &host, port).await?,
            None => TcpStream::connect((host.as_str(), port)).await?,
        };
        let _ = tcp.set_nodelay(true);
        if !https {
            return Ok(TokioIo::new(Either::Left(tcp)));
        }
        let name =
            ServerName::try_from(host).map_err(|_| invalid("the server name is not valid"))?;
        let tls = TlsConnector::from(self.tls.clone())
            .connect(name, tcp)
            .await?;
        Ok(TokioIo::new(Either::Right(tls)))
    }
}

impl tower::Service<http::Uri> for Connector {
    type Response = Stream;
    type Error = io::Error;
    type Future = Pin<Box<dyn Future<Output = io::Result<Stream>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, uri: http::Uri) -> Self::Future {
        Box::pin(self.clone().connect(uri))
    }
}

/// `CONNECT host:port` through the proxy; the tunnel is ready when it answers 2xx.
async fn tunnel(proxy: &Url, host: &str, port: u16) -> io::Result<TcpStream> {
    let proxy_host = proxy
        .host_str()
        .ok_or_else(|| invalid("HTTPS_PROXY has no host"))?;
    let proxy_port = proxy.port_or_known_default().unwrap_or(8080);
    let mut tcp = TcpStream::connect((proxy_host, proxy_port)).await?;
    let target = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut request = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
    if !proxy.username().is_empty() {
        let user = percent(proxy.username());
        let pass = percent(proxy.password().unwrap_or(""));
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
        request.push_str(&format!("Proxy-Authorization: Basic {token}\r\n"));
    }
    request.push_str("\r\n");
    tcp.write_all(request.as_bytes()).await?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 8 * 1024 || tcp.read(&mut byte).await? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "the proxy closed the connection during CONNECT",
            ));
        }
        head.push(byte[0]);
    }
    let status_line = String::from_utf8_lossy(&head);
    let code = status_line.split_whitespace().nth(1).unwrap_or("");
    if !code.starts_with('2') {
        return Err(io::Error::new(
            io::ErrorKind::ConnectionRefused,
            format!("the proxy refused the tunnel (HTTP {code})"),
        ));
    }
    Ok(tcp)
}

fn percent(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message.to_string())
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}
