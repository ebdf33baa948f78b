//! Names what went wrong below HTTP (DNS, refused, reset, TLS, timeout) by walking a
//! transport error's source chain. The top-level `reqwest::Error` is never displayed: its
//! text carries the request URL.

use std::error::Error as StdError;
use std::io;

use crate::schema::Outcome;
use crate::schema::Status;

/// A failure before any HTTP response arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Transport {
    Timeout,
    Dns,
    Refused,
    Reset,
    Tls(String),
    Other,
}

impl Transport {
    pub fn from_reqwest(err: &reqwest::Error) -> Self {
        let best = Self::from_error(err);
        if best == Transport::Other && err.is_timeout() {
            Transport::Timeout
        } else {
            best
        }
    }

    /// The most specific cause in an error's source chain (the error itself included).
    pub fn from_error(err: &(dyn StdError + 'static)) -> Self {
        let mut found = vec![Self::from_one(err)];
        let mut source = StdError::source(err);
        while let Some(e) = source {
            found.push(Self::from_one(e));
            source = e.source();
        }
        // The most specific cause wins; a connect timeout has no deeper source.
        let rank = |t: &Transport| match t {
            Transport::Tls(_) => 0,
            Transport::Dns => 1,
            Transport::Refused => 2,
            Transport::Reset => 3,
            Transport::Timeout => 4,
            Transport::Other => 5,
        };
        found
            .into_iter()
            .min_by_key(rank)
            .unwrap_or(Transport::Other)
    }

    fn from_one(e: &(dyn StdError + 'static)) -> Self {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Transport::Tls(describe_tls(tls));
        }
        if let Some(io) = e.downcast_ref::<io::Error>() {
            if let Some(tls) = rustls_inside(io) {
                return Transport::Tls(describe_tls(tls));
            }
            match io.kind() {
                io::ErrorKind::ConnectionRefused => return Transport::Refused,
                io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
                | io::ErrorKind::UnexpectedEof => return Transport::Reset,
                io::ErrorKind::TimedOut => return Transport::Timeout,
                _ => {}
            }
        }
        // hyper and hyper-util errors are only reachable through their text, which never
        // contains the URL.
        let text = e.to_string().to_ascii_lowercase();
        if text.contains("dns error") || text.contains("failed to lookup address") {
            Transport::Dns
        } else if text.contains("connection closed before message completed")
            || text.contains("connection reset")
            || text.contains("incomplete message")
        {
            Transport::Reset
        } else if text.contains("invalid peer certificate") || text.contains("tls handshake") {
            Transport::Tls("the TLS handshake failed".into())
        } else if text.contains("timed out") {
            Transport::Timeout
        } else {
            Transport::Other
        }
    }

    /// The outcome a check reports when this is the final failure.
    pub fn outcome(&self, provider: &str, host: &str, deadline_secs: u64) -> Outcome {
        match self {
            Transport::Timeout => timeout(provider, host, deadline_secs),
            Transport::Dns => Outcome::fail(
                Status::Unreachable,
                format!("The name {host} could not be resolved (DNS lookup failed)."),
                "Check the endpoint's spelling and your network or VPN; if you are offline, connect and try again.",
            )
            .code("dns_failure"),
            Transport::Refused => Outcome::fail(
                Status::Unreachable,
                format!("{host} refused the connection: nothing is listening there."),
                "Check the endpoint and port; a proxy or local mirror may not be running.",
            )
            .code("connection_refused"),
            Transport::Reset => Outcome::fail(
                Status::Unreachable,
                format!("The connection to {host} was reset before {provider} answered."),
                "A firewall, proxy or VPN may be cutting the connection; try again or from another network.",
            )
            .code("connection_reset"),
            Transport::Tls(why) => Outcome::fail(
                Status::TlsError,
                format!("The secure connection to {host} failed: {why}."),
                "If a corporate proxy inspects TLS, install its root certificate in the system trust store (cloudcreds never skips verification); otherwise check the endpoint uses https on the right port.",
            )
            .code("tls_error"),
            Transport::Other => Outcome::fail(
                Status::Unreachable,
                format!("Could not connect to {host}."),
                "Check your network connection, proxy settings (HTTPS_PROXY / NO_PROXY) and the endpoint.",
            )
            .code("connect_failed"),
        }
    }
}

pub(crate) fn timeout(provider: &str, host: &str, deadline_secs: u64) -> Outcome {
    Outcome::fail(
        Status::Timeout,
        format!("{provider} ({host}) did not answer within {deadline_secs} s."),
        format!(
            "The service or your network is slow or blocked; check {provider}'s status page and your proxy, then try again."
        ),
    )
    .code("timeout")
}

/// A rustls error wrapped in (possibly nested) io errors, which `source()` skips over.
fn rustls_inside(mut io: &io::Error) -> Option<&rustls::Error> {
    for _ in 0..4 {
        let inner = io.get_ref()?;
        if let Some(tls) = inner.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        io = inner.downcast_ref::<io::Error>()?;
    }
    None
}

fn describe_tls(err: &rustls::Error) -> String {
    use rustls::{CertificateError, Error};
    match err {
        Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
            "its certificate is not signed by a trusted authority".into()
        }
        Error::InvalidCertificate(CertificateError::NotValidForName)
        | Error::InvalidCertificate(CertificateError::NotValidForNameContext { .. }) => {
            "its certificate is for a different host name".into()
        }
        Error::InvalidCertificate(CertificateError::Expired)
        | Error::InvalidCertificate(CertificateError::ExpiredContext { .. }) => {
            "its certificate has expired".into()
        }
        Error::InvalidCertificate(_) => "its certificate was rejected".into(),
        Error::InvalidMessage(_) | Error::InappropriateMessage { .. } => {
            "the server did not speak TLS (is it plain http on this port?)".into()
        }
        _ => "the TLS handshake failed".into(),
    }
}
