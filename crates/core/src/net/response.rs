//! `Response`: a provider's complete answer as the checks read it, and the one way a body
//! that cannot be read is reported.

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::schema::Outcome;
use crate::schema::Status;

/// A complete HTTP answer (the body is read before the deadline, not streamed).
#[derive(Debug)]
pub(crate) struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// This computer's clock minus the server's, from this exchange (see `clock`).
    pub clock_offset_ms: Option<i64>,
    /// `host[:port]` the answer came from, for naming it in messages.
    pub host: String,
}

impl Response {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Parses the body as JSON; a malformed body is `unexpected_response`.
    pub fn json<T: DeserializeOwned>(&self, provider: &str) -> Result<T, Outcome> {
        serde_json::from_slice(&self.body).map_err(|_| malformed(provider, self.status))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub(crate) fn malformed(provider: &str, status: u16) -> Outcome {
    Outcome::fail(
        Status::UnexpectedResponse,
        format!("{provider} answered HTTP {status} with a body cloudcreds could not read."),
        "A proxy, captive portal or wrong endpoint may be answering instead of the real API; check the endpoint setting and your network.",
    )
    .code(format!("HTTP {status}"))
}

/// Canned answers for the unit tests of each provider's error reader, so a new field is
/// added here rather than in every provider's tests.
#[cfg(test)]
impl Response {
    /// An answer from `host` with `status` and `body`, no headers and no `Date`.
    pub(crate) fn canned(status: u16, body: impl Into<Vec<u8>>, host: &str) -> Self {
        Response {
            status,
            headers: Default::default(),
            body: body.into(),
            clock_offset_ms: None,
            host: host.to_string(),
        }
    }
}
