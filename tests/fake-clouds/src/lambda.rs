//! Lambda Cloud: `GET /api/v1/instance-types` with the API key (Bearer or Basic).
//!
//! Sources: the success shape, `global/invalid-api-key` (401), `global/account-inactive`
//! (403) and `global/internal-error` bodies with their default `message`/`suggestion`
//! texts come from Lambda's published OpenAPI document (Cloud API v1.10), whose
//! `ErrorCode` enum is the whole list of codes the fake may send. That document names no
//! rate-limit code, so the 429 carries no Lambda error body at all (a plain-text guess);
//! clients read it by status, as SkyPilot's `lambda_utils.py` does.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use serde_json::{json, Value};

use crate::faults::Target;
use crate::registry::FakeProvider;
use crate::server::ConnCtl;
use crate::state::{json, raw, secret_eq, ProviderFault, Shared};

pub(crate) const FAKE: FakeProvider = FakeProvider {
    name: "lambda",
    mounts: &[("/lambda", routes)],
    env: |base| vec![("CLOUDCREDS_LAMBDA_ENDPOINT", format!("{base}/lambda"))],
};

fn routes() -> Router<Shared> {
    Router::new().route("/api/v1/instance-types", get(instance_types))
}

async fn instance_types(
    State(s): State<Shared>,
    Extension(conn): Extension<ConnCtl>,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = s.gate(Target::Lambda, &conn, fault_response).await {
        return r;
    }
    let key = api_key(&headers).unwrap_or_default();
    if secret_eq(&key, &s.creds.lambda_api_key_inactive) {
        return error(
            StatusCode::FORBIDDEN,
            "global/account-inactive",
            "Your account is inactive.",
            "Make sure you have verified your email address and have a valid payment method. Contact Support if problems continue.",
        );
    }
    if !secret_eq(&key, &s.creds.lambda_api_key) {
        return error(
            StatusCode::UNAUTHORIZED,
            "global/invalid-api-key",
            "API key was invalid, expired, or deleted.",
            "Check your API key or create a new one, then try again.",
        );
    }
    json(StatusCode::OK, json!({ "data": catalogue() }))
}

/// The key from `Bearer <key>`, `Basic base64(<key>:)` or `Basic <key>` (all documented).
fn api_key(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.split_once(' ')?;
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("bearer") {
        return Some(rest.to_string());
    }
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    if rest.starts_with("secret_") {
        return Some(rest.trim_end_matches(':').to_string());
    }
    use base64::Engine;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(rest)
        .ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    Some(decoded.trim_end_matches(':').to_string())
}

fn error(status: StatusCode, code: &str, message: &str, suggestion: &str) -> Response {
    json(
        status,
        json!({ "error": { "code": code, "message": message, "suggestion": suggestion } }),
    )
}

/// One catalogue entry; `specs` is (vCPUs, memory GiB, storage GiB).
fn instance_type(
    name: &str,
    gpus: u32,
    gpu: &str,
    cents: u32,
    (vcpus, memory_gib, storage_gib): (u32, u32, u32),
    regions: &[(&str, &str)],
) -> (String, Value) {
    let description = if gpus == 1 {
        format!("1x {gpu}")
    } else {
        format!("{gpus}x {gpu}")
    };
    let regions: Vec<Value> = regions
        .iter()
        .map(|(n, d)| json!({ "name": n, "description": d }))
        .collect();
    (
        name.to_string(),
        json!({
            "instance_type": {
                "name": name,
                "description": description,
                "gpu_description": gpu,
                "price_cents_per_hour": cents,
                "specs": {
                    "vcpus": vcpus,
                    "memory_gib": memory_gib,
                    "storage_gib": storage_gib,
                    "gpus": gpus,
                },
            },
            "regions_with_capacity_available": regions,
        }),
    )
}

/// Five types, two of them with capacity right now.
fn catalogue() -> serde_json::Map<String, Value> {
    let east = ("us-east-1", "Virginia, USA");
    let west = ("us-west-1", "California, USA");
    let texas = ("us-south-1", "Texas, USA");
    [
        instance_type(
            "gpu_1x_a10",
            1,
            "A10 (24 GB PCIe)",
            75,
            (30, 200, 1400),
            &[east, west],
        ),
        instance_type(
            "gpu_1x_a100_sxm4",
            1,
            "A100 (40 GB SXM4)",
            129,
            (30, 200, 512),
            &[texas],
        ),
        instance_type(
            "gpu_1x_h100_pcie",
            1,
            "H100 (80 GB PCIe)",
            249,
            (26, 200, 1024),
            &[],
        ),
        instance_type(
            "gpu_8x_a100_80gb_sxm4",
            8,
            "A100 (80 GB SXM4)",
            1432,
            (240, 1800, 19_500),
            &[],
        ),
        instance_type(
            "gpu_8x_h100_sxm5",
            8,
            "H100 (80 GB SXM5)",
            2392,
            (208, 1800, 24_780),
            &[],
        ),
    ]
    .into_iter()
    .collect()
}

pub(crate) fn fault_response(_target: Target, fault: &ProviderFault) -> Response {
    match fault {
        ProviderFault::TooManyRequests => raw(
            StatusCode::TOO_MANY_REQUESTS,
            "text/plain",
            "Too Many Requests".into(),
        ),
        ProviderFault::ServerError(status) => error(
            *status,
            "global/internal-error",
            "An internal server error occurred.",
            "Try again later. Contact Support if the problem persists.",
        ),
        ProviderFault::MalformedBody => raw(
            StatusCode::OK,
            "application/json",
            r#"{"data":{"gpu_1x_a10":{"instance_type":{"name":"gpu_1x_a10","descr"#.into(),
        ),
    }
}
