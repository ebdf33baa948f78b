//! The state every handler shares (credentials, faults, clock, issued tokens) and the
//! small request helpers the provider modules have in common.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use time::OffsetDateTime;

use crate::creds::TestCredentials;
use crate::faults::{Fault, Faults, Target};
use crate::server::ConnCtl;

/// Shared by every handler of one server.
pub(crate) type Shared = Arc<AppState>;

/// An Azure access token the fake issued.
#[derive(Debug, Clone)]
pub(crate) struct AzureGrant {
    pub(crate) client_id: String,
    /// The resource the token was asked for (the scope without `/.default`).
    pub(crate) audience: String,
    pub(crate) expires_at: i64,
}

pub(crate) struct AppState {
    pub(crate) creds: TestCredentials,
    pub(crate) faults: Faults,
    pub(crate) skew_secs: AtomicI64,
    pub(crate) base_url: String,
    pub(crate) gcp_public_pem: String,
    pub(crate) gcp_disabled_project_number: String,
    pub(crate) azure_tokens: Mutex<HashMap<String, AzureGrant>>,
    /// GCP access token -> expiry (unix seconds, fake clock).
    pub(crate) gcp_tokens: Mutex<HashMap<String, i64>>,
}

/// A fault whose body is the provider's own: each provider module renders these.
pub(crate) enum ProviderFault {
    TooManyRequests,
    ServerError(StatusCode),
    MalformedBody,
}

/// Renders a [`ProviderFault`] for one target in that provider's shape.
pub(crate) type FaultRenderer = fn(Target, &ProviderFault) -> Response;

impl AppState {
    /// The fake's "now": the real clock shifted by the configured skew.
    pub(crate) fn now(&self) -> OffsetDateTime {
        let skew = time::Duration::seconds(self.skew_secs.load(Ordering::Relaxed));
        OffsetDateTime::now_utc() + skew
    }

    /// Counts the request and applies the armed fault, if any. `Some(response)` means
    /// "answer this instead"; hangs and resets never return.
    pub(crate) async fn gate(
        &self,
        target: Target,
        conn: &ConnCtl,
        render: FaultRenderer,
    ) -> Option<Response> {
        let fault = self.faults.take(target)?;
        let response = match fault {
            Fault::Latency(delay) => {
                tokio::time::sleep(delay).await;
                return None;
            }
            Fault::Hang => std::future::pending().await,
            Fault::Reset => conn.reset().await,
            Fault::Redirect(location) => {
                let mut r = StatusCode::FOUND.into_response();
                if let Ok(v) = HeaderValue::from_str(&location) {
                    r.headers_mut().insert(header::LOCATION, v);
                }
                r
            }
            Fault::TooManyRequests { retry_after_secs } => {
                let mut r = render(target, &ProviderFault::TooManyRequests);
                r.headers_mut()
                    .insert(header::RETRY_AFTER, retry_after_secs.into());
                r
            }
            Fault::ServerError(code) => {
                let status =
                    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                render(target, &ProviderFault::ServerError(status))
            }
            Fault::MalformedBody => render(target, &ProviderFault::MalformedBody),
            Fault::GrpcStatus { code, message } => grpc_error(code.into(), &message),
            Fault::BareStatus(code) => StatusCode::from_u16(code)
                .unwrap_or(StatusCode::BAD_GATEWAY)
                .into_response(),
        };
        Some(response)
    }
}

/// The token of an `Authorization: Bearer <token>` header. `Err(())` when a header is
/// present but is not a bearer header; `Ok(None)` when there is none.
pub(crate) fn bearer(headers: &HeaderMap) -> Result<Option<String>, ()> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ())?;
    let (scheme, token) = value.split_once(' ').ok_or(())?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(());
    }
    Ok(Some(token.trim().to_string()))
}

/// Parses an `application/x-www-form-urlencoded` body or query string.
pub(crate) fn form(bytes: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(bytes).into_owned().collect()
}

/// A JSON response with this status.
pub(crate) fn json(status: StatusCode, body: serde_json::Value) -> Response {
    (status, axum::Json(body)).into_response()
}

/// A gRPC error as a server answers it: trailers-only (HTTP 200, `grpc-status` and a
/// percent-encoded `grpc-message` in the headers, no message).
pub(crate) fn grpc_error(code: tonic::Code, message: &str) -> Response {
    tonic::Status::new(code, message).into_http::<axum::body::Body>()
}

/// A response with an explicit content type and raw body.
pub(crate) fn raw(status: StatusCode, content_type: &'static str, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// RFC 3339 timestamp of `t` without sub-second noise.
pub(crate) fn rfc3339(t: OffsetDateTime) -> String {
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Stamps every answer's `Date` header with the fake's (possibly shifted) clock, as a
/// provider's server does with its own; hyper would otherwise stamp the real time.
pub(crate) async fn stamp_date(
    axum::extract::State(s): axum::extract::State<Shared>,
    mut response: Response,
) -> Response {
    if let Ok(v) = HeaderValue::from_str(&http_date(s.now())) {
        response.headers_mut().insert(header::DATE, v);
    }
    response
}

/// RFC 9110 IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
pub(crate) fn http_date(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        &t.weekday().to_string()[..3],
        t.day(),
        &t.month().to_string()[..3],
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Constant-time equality of two secrets.
pub(crate) fn secret_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Locks a table; a poisoned lock only means another request panicked mid-update.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
