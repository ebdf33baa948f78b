//! gRPC unary calls under the same policy as the HTTP requests: the check's deadline, one
//! record per attempt, retries of transient failures, the transport failures named the
//! same way, and a list of server URLs tried in order on a connection failure (as the
//! official Modal client does with its comma list). The wire is tonic with prost messages
//! over our own connector (`connector.rs`).

use std::time::{Duration, Instant};

use http::uri::PathAndQuery;
use secrecy::{ExposeSecret, SecretString};
use tonic::metadata::{Ascii, MetadataKey, MetadataValue};
use tonic::Code;
use url::Url;

use super::classify::Transport;
use super::connector::Connector;
use super::{retry, Session};
use crate::schema::{Outcome, RequestRecord, Status};

/// Request metadata; secret values are marked sensitive so they never reach a log.
#[derive(Default)]
pub(crate) struct Metadata {
    pairs: Vec<(MetadataKey<Ascii>, MetadataValue<Ascii>)>,
}

impl Metadata {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn text(self, key: &'static str, value: &str) -> Result<Self, Outcome> {
        let value = MetadataValue::try_from(value).map_err(|_| unsendable(key))?;
        Ok(self.push(key, value))
    }

    /// `what` names the value in the message if it cannot be sent (never the value).
    pub fn secret(
        self,
        key: &'static str,
        value: &SecretString,
        what: &str,
    ) -> Result<Self, Outcome> {
        let mut value =
            MetadataValue::try_from(value.expose_secret()).map_err(|_| unsendable(what))?;
        value.set_sensitive(true);
        Ok(self.push(key, value))
    }

    fn push(mut self, key: &'static str, value: MetadataValue<Ascii>) -> Self {
        self.pairs.push((MetadataKey::from_static(key), value));
        self
    }
}

fn unsendable(what: &str) -> Outcome {
    Outcome::fail(
        Status::InvalidInput,
        format!("The {what} contains characters that cannot be sent (a line break, a space or a non-ASCII character)."),
        format!("Paste the {what} again as a single line."),
    )
}

/// One unary call: the servers to try in order, the method's path, its metadata.
pub(crate) struct Unary<'a> {
    urls: &'a [Url],
    path: &'static str,
    metadata: Metadata,
}

impl<'a> Unary<'a> {
    pub fn new(urls: &'a [Url], path: &'static str, metadata: Metadata) -> Self {
        Self {
            urls,
            path,
            metadata,
        }
    }
}

/// Why one attempt ended without an answer from the server.
enum Failed {
    /// No connection (refused, DNS, TLS, proxy): the next server URL may work.
    Connect(Transport),
    /// The server (or the connection under it) ended the call with this status.
    Status(tonic::Status),
}

impl Session<'_> {
    /// Calls `call` with `request`. The server's answer, success or gRPC status, is `Ok`
    /// for the provider to read; a transport failure or the deadline is an `Err(Outcome)`.
    pub async fn grpc<Req, Resp>(
        &self,
        call: Unary<'_>,
        request: Req,
    ) -> Result<Result<Resp, tonic::Status>, Outcome>
    where
        Req: prost::Message + Clone + Send + Sync + 'static,
        Resp: prost::Message + Default + Send + Sync + 'static,
    {
        let connector = Connector::new(self.env).map_err(|why| {
            Outcome::fail(
                Status::TlsError,
                format!("cloudcreds {why}."),
                "Check that CA certificates are installed and that HTTPS_PROXY is an http:// URL.",
            )
        })?;
        let mut last: Option<(Result<Resp, Failed>, String)> = None;
        for url in call.urls {
            let host = super::host_of(url);
            let mut attempt = 0;
            loop {
                attempt += 1;
                let remaining = self.remaining();
                if remaining.is_zero() {
                    return Err(self.timeout_outcome(&host));
                }
                let started = Instant::now();
                let once = call_once(
                    &connector,
                    url,
                    &call,
                    request.clone(),
                    self.connect_timeout(),
                );
                let result: Result<Resp, Failed> = match tokio::time::timeout(remaining, once).await
                {
                    Ok(result) => result,
                    Err(_) => Err(Failed::Connect(Transport::Timeout)),
                };
                self.record_grpc(url, call.path, &result, started, attempt);
                let retry = match result {
                    Ok(resp) => return Ok(Ok(resp)),
                    Err(Failed::Status(ref s)) if s.code() == Code::Unavailable => true,
                    Err(Failed::Status(s)) => return Ok(Err(s)),
                    Err(Failed::Connect(Transport::Reset)) => true,
                    Err(Failed::Connect(_)) => false,
                };
                let wait = retry::backoff(attempt);
                let time_left = self.remaining().saturating_sub(wait);
                if !retry
                    || attempt >= retry::MAX_ATTEMPTS
                    || time_left < Duration::from_millis(100)
                {
                    last = Some((result, host));
                    break;
                }
                tokio::time::sleep(wait).await;
            }
            // Only a failure to connect moves on to the next server, as the official client
            // does; a server that answered has spoken for the service.
            if let Some((Err(Failed::Status(s)), _)) = &last {
                return Ok(Err(s.clone()));
            }
        }
        match last {
            Some((Err(Failed::Connect(t)), host)) => {
                Err(t.outcome(self.provider, &host, self.deadline_secs))
            }
            Some((Err(Failed::Status(s)), _)) => Ok(Err(s)),
            Some((Ok(resp), _)) => Ok(Ok(resp)),
            None => Err(Outcome::fail(
                Status::InvalidInput,
                "No server URL to call.",
                "Set the server URL, or leave it empty for the default.",
            )),
        }
    }

    fn record_grpc(
        &self,
        url: &Url,
        path: &str,
        result: &Result<impl Sized, Failed>,
        started: Instant,
        attempt: u32,
    ) {
        let grpc_status = match result {
            Ok(_) => Some("OK".to_string()),
            Err(Failed::Status(s)) if !from_transport(s) => Some(code_name(s.code()).to_string()),
            Err(_) => None,
        };
        let shown = format!(
            "{}://{}{}",
            url.scheme(),
            url.host_str().unwrap_or_default(),
            url.port().map(|p| format!(":{p}")).unwrap_or_default()
        ) + path;
        self.push_record(RequestRecord {
            method: "POST".to_string(),
            url: shown,
            // gRPC answers ride on HTTP 200 whatever their status.
            http_status: grpc_status.as_ref().map(|_| 200),
            grpc_status,
            ms: started.elapsed().as_millis() as u64,
            attempt,
        });
    }
}

async fn call_once<Req, Resp>(
    connector: &Connector,
    url: &Url,
    call: &Unary<'_>,
    request: Req,
    connect_timeout: Duration,
) -> Result<Resp, Failed>
where
    Req: prost::Message + Send + Sync + 'static,
    Resp: prost::Message + Default + Send + Sync + 'static,
{
    let endpoint =
        tonic::transport::Endpoint::from_shared(url.as_str().trim_end_matches('/').to_string())
            .map_err(|_| Failed::Connect(Transport::Other))?
            .connect_timeout(connect_timeout)
            .user_agent(concat!("cloudcreds/", env!("CARGO_PKG_VERSION")))
            .map_err(|_| Failed::Connect(Transport::Other))?;
    let channel = endpoint
        .connect_with_connector(connector.clone())
        .await
        .map_err(|e| Failed::Connect(Transport::from_error(&e)))?;
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready()
        .await
        .map_err(|e| Failed::Connect(Transport::from_error(&e)))?;
    let mut req = tonic::Request::new(request);
    for (key, value) in &call.metadata.pairs {
        req.metadata_mut().insert(key.clone(), value.clone());
    }
    let codec = tonic_prost::ProstCodec::<Req, Resp>::default();
    match grpc
        .unary(req, PathAndQuery::from_static(call.path), codec)
        .await
    {
        Ok(resp) => Ok(resp.into_inner()),
        Err(status) if from_transport(&status) => {
            Err(Failed::Connect(Transport::from_error(&status)))
        }
        Err(status) => Err(Failed::Status(status)),
    }
}

/// A status tonic made up from a broken connection, not one the server sent.
fn from_transport(status: &tonic::Status) -> bool {
    std::error::Error::source(status).is_some()
}

/// The canonical gRPC status name (`grpc/status.h`), as `grpc-status` is documented.
pub(crate) fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}
