//! SigV4 as STS checks it: the `Authorization` header's parts, the credential scope (date,
//! region, service), the 15-minute clock window, and the signature recomputed with
//! `aws-sigv4` over exactly the headers the client signed.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use axum::http::{header, HeaderMap, Method, Uri};
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::aws::{sender, StsError};

/// How far `x-amz-date` may be from the fake's now.
const MAX_SKEW_SECS: i64 = 15 * 60;

/// The parts of `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
pub(crate) struct AuthHeader {
    pub(crate) key_id: String,
    pub(crate) scope_date: String,
    pub(crate) region: String,
    pub(crate) service: String,
    pub(crate) signed_headers: Vec<String>,
    pub(crate) signature: String,
}

pub(crate) fn parse_authorization(value: &str) -> Result<AuthHeader, StsError> {
    let incomplete = |m: String| sender("IncompleteSignature", m);
    let (algorithm, rest) = value.split_once(' ').unwrap_or((value, ""));
    if algorithm != "AWS4-HMAC-SHA256" {
        return Err(incomplete(format!(
            "Unsupported AWS 'algorithm': '{algorithm}'"
        )));
    }
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Credential", v)) => credential = Some(v.to_string()),
            Some(("SignedHeaders", v)) => signed_headers = Some(v.to_string()),
            Some(("Signature", v)) => signature = Some(v.to_string()),
            _ => {}
        }
    }
    let mut missing = String::new();
    for (name, present) in [
        ("Credential", credential.is_some()),
        ("Signature", signature.is_some()),
        ("SignedHeaders", signed_headers.is_some()),
    ] {
        if !present {
            missing.push_str(&format!(
                "Authorization header requires '{name}' parameter. "
            ));
        }
    }
    let (Some(credential), Some(signed_headers), Some(signature)) =
        (credential, signed_headers, signature)
    else {
        return Err(incomplete(format!("{missing}Authorization={value}")));
    };
    let scope: Vec<&str> = credential.split('/').collect();
    let [key_id, date, region, service, terminator] = scope[..] else {
        return Err(incomplete(format!(
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'"
        )));
    };
    if terminator != "aws4_request" {
        return Err(sender(
            "SignatureDoesNotMatch",
            format!("Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'."),
        ));
    }
    Ok(AuthHeader {
        key_id: key_id.to_string(),
        scope_date: date.to_string(),
        region: region.to_string(),
        service: service.to_string(),
        signed_headers: signed_headers
            .split(';')
            .map(str::to_ascii_lowercase)
            .collect(),
        signature,
    })
}

pub(crate) fn parse_amz_date(value: &str) -> Option<OffsetDateTime> {
    let format = format_description!("[year][month][day]T[hour][minute][second]Z");
    PrimitiveDateTime::parse(value, format)
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

pub(crate) fn amz_date(t: OffsetDateTime) -> String {
    let format = format_description!("[year][month][day]T[hour][minute][second]Z");
    t.format(format).unwrap_or_default()
}

pub(crate) fn check_clock(
    now: OffsetDateTime,
    request_time: OffsetDateTime,
) -> Result<(), StsError> {
    let window = time::Duration::seconds(MAX_SKEW_SECS);
    let minutes = MAX_SKEW_SECS / 60;
    let (now_s, req_s) = (amz_date(now), amz_date(request_time));
    if request_time < now - window {
        return Err(sender(
            "SignatureDoesNotMatch",
            format!(
                "Signature expired: {req_s} is now earlier than {} ({now_s} - {minutes} min.)",
                amz_date(now - window)
            ),
        ));
    }
    if request_time > now + window {
        return Err(sender(
            "SignatureDoesNotMatch",
            format!(
                "Signature not yet current: {req_s} is still later than {} ({now_s} + {minutes} min.)",
                amz_date(now + window)
            ),
        ));
    }
    Ok(())
}

pub(crate) fn check_scope(
    auth: &AuthHeader,
    amz_date: &str,
    endpoint_region: &str,
) -> Result<(), StsError> {
    let day = amz_date.get(..8).unwrap_or("");
    if auth.scope_date != day {
        return Err(sender(
            "SignatureDoesNotMatch",
            format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{day}', from '{amz_date}'.",
                auth.scope_date
            ),
        ));
    }
    if auth.service != "sts" {
        return Err(sender(
            "SignatureDoesNotMatch",
            "Credential should be scoped to correct service: 'sts'. ",
        ));
    }
    if auth.region != endpoint_region {
        return Err(sender(
            "SignatureDoesNotMatch",
            "Credential should be scoped to a valid region. ",
        ));
    }
    Ok(())
}

/// Re-signs the request as received, over exactly the headers the client said it signed.
pub(crate) fn expected_signature(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    auth: &AuthHeader,
    secret: &str,
    request_time: OffsetDateTime,
) -> Option<String> {
    let mut signed: Vec<(&str, &str)> = Vec::new();
    for name in &auth.signed_headers {
        for value in headers.get_all(name.as_str()) {
            signed.push((name.as_str(), value.to_str().ok()?));
        }
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1");
    let path_and_query = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let full_uri = format!("http://{host}{path_and_query}");

    // The session token, if signed, is among `signed` already: no token in the identity.
    let identity: Identity =
        Credentials::new(&auth.key_id, secret, None, None, "fake-clouds").into();
    let mut settings = SigningSettings::default();
    settings.excluded_headers = Some(Vec::new());
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(&auth.region)
        .name("sts")
        .time(SystemTime::from(request_time))
        .settings(settings)
        .build()
        .ok()?
        .into();
    let request = SignableRequest::new(
        method.as_str(),
        full_uri,
        signed.into_iter(),
        SignableBody::Bytes(body),
    )
    .ok()?;
    let (_, signature) = sign(request, &params).ok()?.into_parts();
    Some(signature)
}
