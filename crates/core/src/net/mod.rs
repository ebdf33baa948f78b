//! The HTTP layer every check goes through: endpoint policy, one client configuration,
//! a per-check deadline, retries, request records and transport-error names.

mod classify;
pub(crate) mod client;
pub(crate) mod clock;
mod connector;
mod endpoint;
pub(crate) mod grpc;
mod response;
mod retry;

use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, LOCATION};
use reqwest::{Client, Method};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::schema::Outcome;
use crate::schema::{RequestRecord, Status};
use endpoint::display_url;

pub(crate) use classify::Transport;
pub(crate) use endpoint::{host_of, join, parse_endpoint};
pub(crate) use response::{malformed, Response};

/// Largest response body read; every API answer checked here is far smaller.
const MAX_BODY: usize = 2 * 1024 * 1024;

/// One HTTP request a check wants sent.
pub(crate) struct Request {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
    public_query: bool,
}

impl Request {
    pub fn get(url: Url) -> Self {
        Self::new(Method::GET, url)
    }

    pub fn post(url: Url) -> Self {
        Self::new(Method::POST, url)
    }

    fn new(method: Method, url: Url) -> Self {
        Self {
            method,
            url,
            headers: HeaderMap::new(),
            body: None,
            public_query: false,
        }
    }

    /// Marks the query string as safe to record (`limit=1`, `api-version=...`).
    pub fn public_query(mut self) -> Self {
        self.public_query = true;
        self
    }

    pub fn url(&self) -> &Url {
        &self.url
    }

    /// `Authorization: Bearer …`, marked sensitive. Fails (without echoing the token) if it
    /// holds characters an HTTP header cannot carry.
    pub fn bearer(mut self, token: &SecretString, what: &str) -> Result<Self, Outcome> {
        let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret()))
            .map_err(|_| {
                Outcome::fail(
                    Status::InvalidInput,
                    format!("The {what} contains characters that cannot be sent (a line break or control character)."),
                    format!("Paste the {what} again as a single line."),
                )
            })?;
        value.set_sensitive(true);
        self.headers.insert(AUTHORIZATION, value);
        Ok(self)
    }

    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// An `application/x-www-form-urlencoded` body.
    pub fn form(mut self, pairs: &[(&str, &str)]) -> Self {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        self.headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        self.body = Some(body.into_bytes());
        self
    }

    /// A prepared body with its headers (used by SigV4 signing, which must see both).
    pub fn raw_body(mut self, body: Vec<u8>) -> Self {
        self.body = Some(body);
        self
    }
}

/// Everything one check needs to make requests: the client, its deadline, and the record
/// of every attempt, which ends up in the report.
pub(crate) struct Session<'a> {
    client: &'a Result<Client, String>,
    provider: &'static str,
    deadline: Instant,
    deadline_secs: u64,
    connect_timeout: Duration,
    records: Mutex<Vec<RequestRecord>>,
    /// Set by the first response of the check that carried a `Date` header.
    clock_offset_ms: OnceLock<i64>,
    pub env: &'a crate::schema::Env,
}

impl<'a> Session<'a> {
    pub fn new(
        client: &'a Result<Client, String>,
        env: &'a crate::schema::Env,
        provider: &'static str,
        deadline: Duration,
    ) -> Self {
        Self {
            client,
            provider,
            deadline: Instant::now() + deadline,
            deadline_secs: deadline.as_secs_f64().ceil() as u64,
            connect_timeout: Duration::from_secs(5),
            records: Mutex::new(Vec::new()),
            clock_offset_ms: OnceLock::new(),
            env,
        }
    }

    /// This computer's clock minus the provider's, measured once per check.
    pub fn clock_offset_ms(&self) -> Option<i64> {
        self.clock_offset_ms.get().copied()
    }

    pub fn into_records(self) -> Vec<RequestRecord> {
        self.records.into_inner().unwrap_or_else(|p| p.into_inner())
    }

    pub fn timeout_outcome(&self, host: &str) -> Outcome {
        classify::timeout(self.provider, host, self.deadline_secs)
    }

    fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    fn record(&self, req: &Request, http_status: Option<u16>, started: Instant, attempt: u32) {
        let record = RequestRecord {
            method: req.method.to_string(),
            url: display_url(&req.url, req.public_query),
            http_status,
            grpc_status: None,
            ms: started.elapsed().as_millis() as u64,
            attempt,
        };
        self.push_record(record);
    }

    fn push_record(&self, record: RequestRecord) {
        tracing::debug!(method = %record.method, url = %record.url, status = ?record.http_status, grpc = ?record.grpc_status, ms = record.ms, attempt = record.attempt, "request");
        if let Ok(mut records) = self.records.lock() {
            records.push(record);
        }
    }

    /// Sets the limit for establishing one connection (5 s unless set).
    pub fn with_connect_timeout(mut self, limit: Duration) -> Self {
        self.connect_timeout = limit;
        self
    }

    fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The one path for a JSON API call: sends `req` (with the retries of `send`), turns a
    /// non-success answer into `refused(&response)`, and decodes a success as `T` (a body
    /// that does not decode is named as unreadable).
    pub async fn fetch_json<T: serde::de::DeserializeOwned>(
        &self,
        req: &Request,
        refused: impl FnOnce(&Response) -> Outcome,
    ) -> Result<T, Outcome> {
        let resp = self.send(req).await?;
        if !resp.is_success() {
            return Err(refused(&resp));
        }
        resp.json(self.provider)
    }

    /// Sends `req` with retries, within the check's deadline. A redirect, a transport
    /// failure or running out of time is an `Err(Outcome)`; every other HTTP answer,
    /// including 4xx/5xx after the last retry, is `Ok` for the provider to interpret.
    pub async fn send(&self, req: &Request) -> Result<Response, Outcome> {
        let host = host_of(&req.url);
        let client = self.client.as_ref().map_err(|why| {
            Outcome::fail(
                Status::TlsError,
                format!("cloudcreds {why}."),
                "The system's certificate store could not be loaded; check that CA certificates are installed.",
            )
        })?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let remaining = self.remaining();
            if remaining.is_zero() {
                return Err(self.timeout_outcome(&host));
            }
            let started = Instant::now();
            let result = tokio::time::timeout(remaining, attempt_once(client, req)).await;
            let result = match result {
                Err(_elapsed) => Err(Transport::Timeout),
                Ok(r) => r,
            };
            if let Some(offset) = result.as_ref().ok().and_then(|r| r.clock_offset_ms) {
                let _ = self.clock_offset_ms.set(offset);
            }
            self.record(
                req,
                result.as_ref().ok().map(|r| r.status),
                started,
                attempt,
            );
            let wait = match &result {
                Ok(resp) if retry::is_retryable_status(resp.status) => {
                    retry::retry_after(&resp.headers, SystemTime::now())
                        .unwrap_or_else(|| retry::backoff(attempt))
                }
                Err(Transport::Reset) => retry::backoff(attempt),
                _ => return self.finish(result, &host),
            };
            // Retry only if the wait leaves time for another attempt; a Retry-After beyond
            // the deadline ends the check now rather than at the deadline.
            let time_left = self.remaining().saturating_sub(wait);
            if attempt >= retry::MAX_ATTEMPTS || time_left < Duration::from_millis(100) {
                return self.finish(result, &host);
            }
            tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    fn finish(&self, result: Result<Response, Transport>, host: &str) -> Result<Response, Outcome> {
        match result {
            Ok(resp) if (300..400).contains(&resp.status) => Err(self.redirect(&resp, host)),
            Ok(resp) => Ok(resp),
            Err(t) => Err(t.outcome(self.provider, host, self.deadline_secs)),
        }
    }

    fn redirect(&self, resp: &Response, host: &str) -> Outcome {
        let target = resp
            .header(LOCATION.as_str())
            .and_then(|l| Url::parse(l).ok())
            .and_then(|u| u.host_str().map(str::to_string));
        let to = match target {
            Some(t) => format!(" to {t}"),
            None => String::new(),
        };
        Outcome::fail(
            Status::UnexpectedResponse,
            format!("{host} answered with a redirect{to} (HTTP {}); cloudcreds does not follow redirects.", resp.status),
            "The endpoint is probably wrong or points at a login page or proxy; set it to the API's own URL.",
        )
        .code(format!("HTTP {}", resp.status))
    }

    /// The generic reading of an HTTP status no provider rule claimed.
    pub fn generic_failure(&self, resp: &Response) -> Outcome {
        let p = self.provider;
        let s = resp.status;
        let code = format!("HTTP {s}");
        match s {
            429 => {
                let wait = retry::retry_after(&resp.headers, SystemTime::now())
                    .map(|d| format!(" It asked to wait {} s.", d.as_secs()))
                    .unwrap_or_default();
                Outcome::fail(
                    Status::RateLimited,
                    format!("{p} is rate-limiting these credentials (HTTP 429).{wait}"),
                    "Wait a minute and test again; if it persists, another tool may be using the same credentials heavily.",
                )
                .code(code)
            }
            408 => Outcome::fail(
                Status::Timeout,
                format!("{p} ({}) gave up waiting for the request (HTTP 408).", resp.host),
                "The network between here and the service is slow or a proxy is holding the request; test again, and check your proxy settings if it persists.",
            )
            .code(code),
            401 => Outcome::fail(
                Status::InvalidCredentials,
                format!("{p} rejected the credentials (HTTP 401)."),
                "Check that the whole value was pasted; create new credentials if these were revoked.",
            )
            .code(code),
            403 => Outcome::fail(
                Status::PermissionDenied,
                format!("{p} accepted the credentials but refused access (HTTP 403)."),
                "Grant these credentials the permission the check needs, or use credentials that have it.",
            )
            .code(code),
            404 => Outcome::fail(
                Status::NotFound,
                format!("{p} answered HTTP 404: the API was not found at this endpoint."),
                "Check the endpoint setting; clear it to use the default.",
            )
            .code(code),
            500..=599 => Outcome::fail(
                Status::ServerError,
                format!("{p} had a server error (HTTP {s}) and still failed after retrying."),
                format!("This is on {p}'s side; check its status page and try again in a few minutes."),
            )
            .code(code),
            _ => Outcome::fail(
                Status::UnexpectedResponse,
                format!("{p} answered with an unexpected HTTP {s}."),
                "Check the endpoint setting; a proxy may be answering instead of the API.",
            )
            .code(code),
        }
    }
}

async fn attempt_once(client: &Client, req: &Request) -> Result<Response, Transport> {
    let mut builder = client
        .request(req.method.clone(), req.url.clone())
        .headers(req.headers.clone());
    if let Some(body) = &req.body {
        builder = builder.body(body.clone());
    }
    let sent = SystemTime::now();
    let mut resp = builder
        .send()
        .await
        .map_err(|e| Transport::from_reqwest(&e))?;
    let received = SystemTime::now();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let mut body = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| Transport::from_reqwest(&e))?
    {
        if body.len() + chunk.len() > MAX_BODY {
            break;
        }
        body.extend_from_slice(&chunk);
    }
    let date = headers
        .get(reqwest::header::DATE)
        .and_then(|d| d.to_str().ok())
        .and_then(|d| httpdate::parse_http_date(d).ok());
    let age = clock::parse_age(
        headers
            .get(reqwest::header::AGE)
            .and_then(|v| v.to_str().ok()),
    );
    let clock_offset_ms = date.map(|date| clock::offset_ms(sent, received, date, age));
    Ok(Response {
        status,
        headers,
        body,
        clock_offset_ms,
        host: host_of(&req.url),
    })
}
