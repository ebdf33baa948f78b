//! Google Cloud: the OAuth 2.0 token endpoint's JWT-bearer grant (RS256 assertions signed
//! with a service-account key, verified against the public half of the key the fake
//! generated) and Cloud Resource Manager v1 `projects.get`.
//!
//! Sources for the bodies and codes:
//! - Token errors: `invalid_grant` / "Invalid JWT Signature." (also what a deleted key
//!   gets: Google does not say "deleted"), "Invalid grant: account not found", "Invalid
//!   JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.
//!   Check your iat and exp values in the JWT claim.", `invalid_scope` / "Invalid OAuth
//!   scope or ID token audience provided.": as google-auth library issue reports quote the
//!   real endpoint. "Invalid JWT: Failed audience check." for any `aud` other than
//!   `https://oauth2.googleapis.com/token`: google/oauth2l#130 (older answers appended
//!   "The right audience is …"). Malformed-assertion and 429/5xx token bodies: guesses.
//! - Token success `{"access_token":"ya29…","expires_in":3599,"token_type":"Bearer"}`:
//!   Google's OAuth 2.0 for service accounts documentation.
//! - CRM: google.rpc error shape `{"error":{"code","message","status","details"}}`
//!   (AIP-193); a project that does not exist gets the same 403 "The caller does not have
//!   permission" as one without permission (intended CRM v1 behaviour, per
//!   google-cloud-java #440 and the Terraform provider); the `SERVICE_DISABLED` body with
//!   `ErrorInfo` metadata `service`/`consumer`/`activationUrl`, `LocalizedMessage` and
//!   `Help` links: as the real API returns it. 401 texts: real. 429/5xx texts: best
//!   guesses in the documented shape.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{json, Value};

use crate::faults::Target;
use crate::ids::alnum;
use crate::registry::FakeProvider;
use crate::server::ConnCtl;
use crate::state::{bearer, form, json, lock, raw, ProviderFault, Shared};

const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// The only `aud` Google accepts, whatever URL the assertion is POSTed to: google-auth
/// `google/oauth2/service_account.py` signs `_GOOGLE_OAUTH2_TOKEN_ENDPOINT` and POSTs it
/// to the key's `token_uri` (`google/oauth2/_client.py` `jwt_grant`).
const AUDIENCE: &str = "https://oauth2.googleapis.com/token";
const TOKEN_LIFETIME_SECS: i64 = 3599;
/// How far in the (fake's) future an assertion's `iat` may be.
const IAT_LEEWAY_SECS: i64 = 300;

pub(crate) const FAKE: FakeProvider = FakeProvider {
    name: "gcp",
    mounts: &[("/gcp-oauth", oauth_routes), ("/gcp-crm", crm_routes)],
    env: |base| {
        vec![(
            "CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDRESOURCEMANAGER",
            format!("{base}/gcp-crm/"),
        )]
    },
};

fn oauth_routes() -> Router<Shared> {
    Router::new().route("/token", post(token))
}

fn crm_routes() -> Router<Shared> {
    Router::new().route("/v1/projects/{project}", get(project))
}

// ---- token endpoint ----------------------------------------------------------------

async fn token(
    State(s): State<Shared>,
    Extension(conn): Extension<ConnCtl>,
    body: Bytes,
) -> Response {
    if let Some(r) = s.gate(Target::GcpToken, &conn, fault_response).await {
        return r;
    }
    match grant(&s, &body) {
        Ok(token) => json(
            StatusCode::OK,
            json!({ "access_token": token, "expires_in": TOKEN_LIFETIME_SECS, "token_type": "Bearer" }),
        ),
        Err((error, description)) => json(
            StatusCode::BAD_REQUEST,
            json!({ "error": error, "error_description": description }),
        ),
    }
}

type OAuthError = (&'static str, String);

fn invalid_grant(description: &str) -> OAuthError {
    ("invalid_grant", description.to_string())
}

fn grant(s: &Shared, body: &[u8]) -> Result<String, OAuthError> {
    let params = form(body);
    let grant_type = params.get("grant_type").map(String::as_str).unwrap_or("");
    if grant_type.is_empty() {
        return Err((
            "invalid_request",
            "Missing required parameter: grant_type".into(),
        ));
    }
    if grant_type != JWT_BEARER {
        return Err((
            "unsupported_grant_type",
            format!("Invalid grant_type: {grant_type}"),
        ));
    }
    let assertion = params.get("assertion").map(String::as_str).unwrap_or("");
    if assertion.is_empty() {
        return Err((
            "invalid_request",
            "Missing required parameter: assertion".into(),
        ));
    }
    let bad_signature = || invalid_grant("Invalid JWT Signature.");
    let header = jsonwebtoken::decode_header(assertion).map_err(|_| {
        (
            "invalid_request",
            "Invalid JWT: the assertion is malformed.".to_string(),
        )
    })?;
    if header.alg != Algorithm::RS256 {
        return Err(bad_signature());
    }
    // Google looks the key up by `kid`; without one it tries the account's live keys.
    if header
        .kid
        .as_deref()
        .is_some_and(|kid| kid != s.creds.gcp_private_key_id)
    {
        return Err(bad_signature());
    }
    let key =
        DecodingKey::from_rsa_pem(s.gcp_public_pem.as_bytes()).map_err(|_| bad_signature())?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    let claims =
        jsonwebtoken::decode::<serde_json::Map<String, Value>>(assertion, &key, &validation)
            .map_err(|_| bad_signature())?
            .claims;
    let text = |name: &str| claims.get(name).and_then(Value::as_str).unwrap_or("");

    if text("iss") != s.creds.gcp_client_email {
        return Err(invalid_grant("Invalid grant: account not found"));
    }
    if text("aud") != AUDIENCE {
        return Err(invalid_grant("Invalid JWT: Failed audience check."));
    }
    let now = s.now().unix_timestamp();
    let iat = claims.get("iat").and_then(Value::as_i64);
    let exp = claims.get("exp").and_then(Value::as_i64);
    let timely = match (iat, exp) {
        (Some(iat), Some(exp)) => {
            exp > iat && exp - iat <= 3600 && iat <= now + IAT_LEEWAY_SECS && exp > now
        }
        _ => false,
    };
    if !timely {
        return Err(invalid_grant("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim."));
    }
    if text("scope").trim().is_empty() {
        return Err((
            "invalid_scope",
            "Invalid OAuth scope or ID token audience provided.".into(),
        ));
    }
    let token = format!("ya29.c.{}", alnum(180));
    lock(&s.gcp_tokens).insert(token.clone(), now + TOKEN_LIFETIME_SECS);
    Ok(token)
}

// ---- Cloud Resource Manager --------------------------------------------------------

fn rpc_error(code: StatusCode, status: &str, message: &str, details: Value) -> Response {
    let mut error = json!({ "code": code.as_u16(), "message": message, "status": status });
    if details.as_array().is_some_and(|d| !d.is_empty()) {
        error["details"] = details;
    }
    json(code, json!({ "error": error }))
}

fn unauthenticated(message: &str, details: Value) -> Response {
    let mut r = rpc_error(
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
        message,
        details,
    );
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"https://accounts.google.com/\""),
    );
    r
}

async fn project(
    State(s): State<Shared>,
    Extension(conn): Extension<ConnCtl>,
    Path(project): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = s.gate(Target::GcpCrm, &conn, fault_response).await {
        return r;
    }
    let token = match bearer(&headers) {
        Ok(Some(token)) => token,
        Ok(None) => {
            return unauthenticated(
                "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
                json!([{
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "CREDENTIALS_MISSING",
                    "domain": "googleapis.com",
                    "metadata": {
                        "method": "google.cloudresourcemanager.v1.Projects.GetProject",
                        "service": "cloudresourcemanager.googleapis.com",
                    },
                }]),
            )
        }
        Err(()) => return unauthenticated(INVALID_CREDENTIALS, json!([])),
    };
    let expires_at = lock(&s.gcp_tokens).get(&token).copied();
    if expires_at.is_none_or(|at| s.now().unix_timestamp() >= at) {
        return unauthenticated(INVALID_CREDENTIALS, json!([]));
    }
    let c = &s.creds;
    if project == c.gcp_project_service_disabled {
        return service_disabled(&s.gcp_disabled_project_number);
    }
    if project != c.gcp_project_id {
        // Denied and nonexistent projects look the same, on purpose.
        return rpc_error(
            StatusCode::FORBIDDEN,
            "PERMISSION_DENIED",
            "The caller does not have permission",
            json!([]),
        );
    }
    json(
        StatusCode::OK,
        json!({
            "projectNumber": c.gcp_project_number,
            "projectId": c.gcp_project_id,
            "lifecycleState": "ACTIVE",
            "name": "Fake Project",
            "createTime": "2023-04-01T12:00:00.000Z",
            "parent": { "type": "organization", "id": "123456789012" },
        }),
    )
}

const INVALID_CREDENTIALS: &str = "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";

fn service_disabled(number: &str) -> Response {
    let url = format!(
        "https://console.developers.google.com/apis/api/cloudresourcemanager.googleapis.com/overview?project={number}"
    );
    let message = format!("Cloud Resource Manager API has not been used in project {number} before or it is disabled. Enable it by visiting {url} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.");
    rpc_error(
        StatusCode::FORBIDDEN,
        "PERMISSION_DENIED",
        &message,
        json!([
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "SERVICE_DISABLED",
                "domain": "googleapis.com",
                "metadata": {
                    "service": "cloudresourcemanager.googleapis.com",
                    "consumer": format!("projects/{number}"),
                    "activationUrl": url,
                    "containerInfo": number,
                    "serviceTitle": "Cloud Resource Manager API",
                },
            },
            {
                "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
                "locale": "en-US",
                "message": message,
            },
            {
                "@type": "type.googleapis.com/google.rpc.Help",
                "links": [{ "description": "Google developers console API activation", "url": url }],
            },
        ]),
    )
}

pub(crate) fn fault_response(target: Target, fault: &ProviderFault) -> Response {
    match (target, fault) {
        (Target::GcpToken, ProviderFault::TooManyRequests) => json(
            StatusCode::TOO_MANY_REQUESTS,
            json!({ "error": "rate_limit_exceeded", "error_description": "Rate Limit Exceeded" }),
        ),
        (Target::GcpToken, ProviderFault::ServerError(status)) => json(
            *status,
            json!({ "error": "internal_failure", "error_description": "Backend Error" }),
        ),
        (Target::GcpToken, ProviderFault::MalformedBody) => raw(
            StatusCode::OK,
            "application/json; charset=utf-8",
            r#"{"access_token":"ya29.c.b0AXv0zTN"#.into(),
        ),
        (_, ProviderFault::TooManyRequests) => rpc_error(
            StatusCode::TOO_MANY_REQUESTS,
            "RESOURCE_EXHAUSTED",
            "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service 'cloudresourcemanager.googleapis.com'.",
            json!([{
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "RATE_LIMIT_EXCEEDED",
                "domain": "googleapis.com",
                "metadata": { "service": "cloudresourcemanager.googleapis.com" },
            }]),
        ),
        (_, ProviderFault::ServerError(status)) => {
            let (name, message) = if *status == StatusCode::SERVICE_UNAVAILABLE {
                ("UNAVAILABLE", "The service is currently unavailable.")
            } else {
                ("INTERNAL", "Internal error encountered.")
            };
            rpc_error(*status, name, message, json!([]))
        }
        (_, ProviderFault::MalformedBody) => raw(
            StatusCode::OK,
            "application/json; charset=UTF-8",
            r#"{"projectNumber":"1234","projectId":"fake-pro"#.into(),
        ),
    }
}
