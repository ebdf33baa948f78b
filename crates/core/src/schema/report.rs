//! `CheckReport` and `Status`: the one answer to "Test connection", shared word for word by
//! the app, the CLI and `--json`.

use serde::Serialize;
use ts_rs::TS;

use crate::schema::ProviderId;

/// The closed vocabulary of check outcomes. The UI, the CLI and JSON output all use these
/// names; adding one is a deliberate, documented change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    /// Caught before any request was sent (format, missing field, bad JSON).
    InvalidInput,
    InvalidCredentials,
    ExpiredCredentials,
    PermissionDenied,
    NotFound,
    RateLimited,
    Timeout,
    /// DNS failure or connection refused.
    Unreachable,
    TlsError,
    ServerError,
    UnexpectedResponse,
    KeyringUnavailable,
    NotConfigured,
}

impl Status {
    pub const ALL: [Status; 14] = [
        Status::Ok,
        Status::InvalidInput,
        Status::InvalidCredentials,
        Status::ExpiredCredentials,
        Status::PermissionDenied,
        Status::NotFound,
        Status::RateLimited,
        Status::Timeout,
        Status::Unreachable,
        Status::TlsError,
        Status::ServerError,
        Status::UnexpectedResponse,
        Status::KeyringUnavailable,
        Status::NotConfigured,
    ];

    /// The wire name, identical to the serde representation.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::InvalidInput => "invalid_input",
            Status::InvalidCredentials => "invalid_credentials",
            Status::ExpiredCredentials => "expired_credentials",
            Status::PermissionDenied => "permission_denied",
            Status::NotFound => "not_found",
            Status::RateLimited => "rate_limited",
            Status::Timeout => "timeout",
            Status::Unreachable => "unreachable",
            Status::TlsError => "tls_error",
            Status::ServerError => "server_error",
            Status::UnexpectedResponse => "unexpected_response",
            Status::KeyringUnavailable => "keyring_unavailable",
            Status::NotConfigured => "not_configured",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One fact learned about the caller (account, ARN, user, scopes...), in display order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IdentityEntry {
    pub key: String,
    pub value: String,
}

/// One HTTP attempt made during a check. `url` never carries a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RequestRecord {
    pub method: String,
    pub url: String,
    /// HTTP status, absent when no response arrived (timeout, refused, TLS failure).
    pub http_status: Option<u16>,
    /// For a gRPC call, the status the server ended it with (`OK`, `UNAUTHENTICATED`, ...);
    /// absent for plain HTTP and when no answer arrived.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub grpc_status: Option<String>,
    #[ts(type = "number")]
    pub ms: u64,
    /// 1 for the first try, 2 for the first retry, ...
    pub attempt: u32,
}

/// The answer to "Test connection".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CheckReport {
    pub provider: ProviderId,
    pub status: Status,
    /// One plain sentence.
    pub summary: String,
    pub identity: Vec<IdentityEntry>,
    /// What to do next, concrete; absent when there is nothing to do.
    pub hint: Option<String>,
    /// The provider's own error code (`InvalidClientTokenId`, `AADSTS7000215`...).
    pub provider_code: Option<String>,
    pub requests: Vec<RequestRecord>,
    /// This computer's clock minus the provider's, in milliseconds (positive: this
    /// computer is ahead), from the provider's `Date` header; ±1 s at best, and 0 when the
    /// difference is within that uncertainty. Null when no answer carried a `Date`.
    #[ts(type = "number | null")]
    pub clock_offset_ms: Option<i64>,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    /// RFC 3339 UTC timestamp.
    pub checked_at: String,
}

impl CheckReport {
    /// A report decided without sending anything (refused input, unreadable keyring, a
    /// provider the profile does not have...).
    pub fn decided(
        provider: ProviderId,
        status: Status,
        summary: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        CheckReport {
            provider,
            status,
            summary: summary.into(),
            identity: Vec::new(),
            hint: Some(hint.into()),
            provider_code: None,
            requests: Vec::new(),
            clock_offset_ms: None,
            elapsed_ms: 0,
            checked_at: now_rfc3339(),
        }
    }
}

/// Now in UTC, RFC 3339, to the second: the one clock format of reports and profiles.
pub fn now_rfc3339() -> String {
    rfc3339(time::OffsetDateTime::now_utc())
}

/// `at` in RFC 3339, to the second (sub-second digits are noise to a reader and a diff).
pub fn rfc3339(at: time::OffsetDateTime) -> String {
    at.replace_nanosecond(0)
        .unwrap_or(at)
        .format(&time::format_description::well_known::Rfc3339)
        .expect("RFC 3339 formats every UTC time")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_match_serde() {
        for status in Status::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
    }
}
