//! HuggingFace Hub: `GET /api/models?limit=1` (the gate, open to anonymous callers) and
//! `GET /api/whoami-v2` (identity, token role and fine-grained permissions).
//!
//! Sources for the shapes:
//! - 401 body `{"error":"Invalid credentials in Authorization header"}` and the
//!   `X-Error-Message` header: as the Hub answers (huggingface_hub reads that header in
//!   `hf_raise_for_status`).
//! - whoami-v2 user fields (`type`, `id`, `name`, `fullname`, `email`, `emailVerified`,
//!   `isPro`, `canPay`, `periodEnd`, `avatarUrl`, `orgs[]`, `auth.type`,
//!   `auth.accessToken.displayName`/`role`): documented by huggingface.js
//!   (`packages/hub/src/lib/who-am-i.ts`).
//! - `auth.accessToken.createdAt` and `fineGrained` (`canReadGatedRepos`, `global`,
//!   `scoped[].entity`/`permissions`): from a captured real response, not documented; in
//!   it `inference.serverless.write` sits in the user entity's `scoped` permissions, not in
//!   `global`, and this fake does the same. `roleInOrg` on orgs: observed, undocumented.
//! - Token roles `admin | write | contributor | read`, `auth.accessToken.expiration` (an ISO
//!   date string) and `auth.expiresAt`: huggingface.js `AccessTokenRole` and `AuthInfo`
//!   (`packages/hub/src/types/public.ts`, `packages/hub/src/lib/who-am-i.ts`).
//! - OAuth tokens (`hf_oauth_…`): whoami-v2 answers `auth: {"type": "oauth", "expiresAt":
//!   …}` with no `accessToken`, so no role and no scopes; observed, not documented.
//! - Legacy `api_…` tokens: huggingface_hub still sends them (`utils/_headers.py` only
//!   refuses `api_org…` for write calls, `_login.py` refuses it at login).
//! - 429 and 5xx bodies: best guesses in the Hub's `{"error": "..."}` shape.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use serde_json::{json, Value};

use crate::faults::Target;
use crate::registry::FakeProvider;
use crate::server::ConnCtl;
use crate::state::{bearer, json, raw, rfc3339, secret_eq, ProviderFault, Shared};

const INVALID_CREDENTIALS: &str = "Invalid credentials in Authorization header";

pub(crate) const FAKE: FakeProvider = FakeProvider {
    name: "huggingface",
    mounts: &[("/hf", routes)],
    env: |base| vec![("HF_ENDPOINT", format!("{base}/hf"))],
};

fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/models", get(models))
        .route("/api/whoami-v2", get(whoami))
}

/// How the Hub sees a presented token.
#[derive(PartialEq)]
enum Token {
    Classic,
    Legacy,
    OAuth,
    Role(&'static str),
    Expiring,
    FineGrained { inference: bool },
    WhoamiRejects,
    Unknown,
}

fn classify(s: &Shared, token: &str) -> Token {
    let c = &s.creds;
    if secret_eq(token, &c.hf_token) {
        Token::Classic
    } else if secret_eq(token, &c.hf_token_fine_grained_inference) {
        Token::FineGrained { inference: true }
    } else if secret_eq(token, &c.hf_token_fine_grained_no_inference) {
        Token::FineGrained { inference: false }
    } else if secret_eq(token, &c.hf_token_legacy) {
        Token::Legacy
    } else if secret_eq(token, &c.hf_token_oauth) {
        Token::OAuth
    } else if secret_eq(token, &c.hf_token_admin) {
        Token::Role("admin")
    } else if secret_eq(token, &c.hf_token_contributor) {
        Token::Role("contributor")
    } else if secret_eq(token, &c.hf_token_expiring) {
        Token::Expiring
    } else if secret_eq(token, &c.hf_token_whoami_rejects) {
        Token::WhoamiRejects
    } else {
        Token::Unknown
    }
}

async fn models(
    State(s): State<Shared>,
    Extension(conn): Extension<ConnCtl>,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = s.gate(Target::HfModels, &conn, fault_response).await {
        return r;
    }
    match bearer(&headers) {
        Ok(None) => {}
        Ok(Some(token)) if classify(&s, &token) != Token::Unknown => {}
        _ => return unauthorized(),
    }
    json(
        StatusCode::OK,
        json!([{
            "_id": "621ffdc036468d709f174338",
            "id": "openai-community/gpt2",
            "likes": 3021,
            "trendingScore": 31,
            "private": false,
            "downloads": 11_532_974,
            "tags": ["transformers", "pytorch", "safetensors", "gpt2", "text-generation", "en"],
            "pipeline_tag": "text-generation",
            "library_name": "transformers",
            "createdAt": "2022-03-02T23:29:04.000Z",
            "modelId": "openai-community/gpt2",
        }]),
    )
}

async fn whoami(
    State(s): State<Shared>,
    Extension(conn): Extension<ConnCtl>,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = s.gate(Target::HfWhoami, &conn, fault_response).await {
        return r;
    }
    let Ok(Some(token)) = bearer(&headers) else {
        return unauthorized();
    };
    let created_at = rfc3339(s.now() - time::Duration::days(30));
    let access_token = match classify(&s, &token) {
        Token::Classic => json!({
            "displayName": "ci-token",
            "role": "write",
            "createdAt": created_at,
        }),
        Token::Legacy => json!({
            "displayName": "legacy-token",
            "role": "write",
            "createdAt": rfc3339(s.now() - time::Duration::days(3 * 365)),
        }),
        Token::Role(role) => json!({
            "displayName": "ci-token",
            "role": role,
            "createdAt": created_at,
        }),
        Token::Expiring => json!({
            "displayName": "ci-token",
            "role": "write",
            "createdAt": created_at,
            "expiration": rfc3339(s.now() + time::Duration::days(3)),
        }),
        Token::OAuth => {
            let mut body = user(Value::Null);
            body["auth"] = json!({
                "type": "oauth",
                "expiresAt": rfc3339(s.now() + time::Duration::hours(8)),
            });
            return json(StatusCode::OK, body);
        }
        Token::FineGrained { inference } => json!({
            "displayName": "ci-token",
            "role": "fineGrained",
            "createdAt": created_at,
            "fineGrained": fine_grained(inference),
        }),
        Token::WhoamiRejects | Token::Unknown => return unauthorized(),
    };
    json(StatusCode::OK, user(access_token))
}

fn user(access_token: Value) -> Value {
    json!({
        "type": "user",
        "id": USER_ID,
        "name": "fake-user",
        "fullname": "Fake User",
        "email": "fake-user@example.com",
        "emailVerified": true,
        "canPay": false,
        "isPro": false,
        "periodEnd": null,
        "avatarUrl": "/avatars/0f4b6a1d2c3e4f5a6b7c8d9e0f1a2b3c.svg",
        "orgs": [{
            "type": "org",
            "id": "65b2f0c2e4b0a1b2c3d4e5f7",
            "name": "fake-org",
            "fullname": "Fake Org",
            "email": null,
            "canPay": false,
            "periodEnd": null,
            "avatarUrl": "/avatars/1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d.svg",
            "roleInOrg": "admin",
            "isEnterprise": false,
        }],
        "auth": { "type": "access_token", "accessToken": access_token },
    })
}

const USER_ID: &str = "65a1f0c2e4b0a1b2c3d4e5f6";

fn fine_grained(inference: bool) -> Value {
    let mut permissions = vec!["repo.content.read", "repo.access.read", "repo.write"];
    if inference {
        permissions.extend([
            "inference.serverless.write",
            "inference.endpoints.infer.write",
        ]);
    }
    permissions.extend(["collection.read", "discussion.write", "user.webhooks.read"]);
    json!({
        "canReadGatedRepos": true,
        "global": ["discussion.write", "post.write"],
        "scoped": [{
            "entity": { "_id": USER_ID, "type": "user", "name": "fake-user" },
            "permissions": permissions,
        }],
    })
}

fn unauthorized() -> Response {
    let mut r = json(
        StatusCode::UNAUTHORIZED,
        json!({ "error": INVALID_CREDENTIALS }),
    );
    r.headers_mut().insert(
        "x-error-message",
        HeaderValue::from_static(INVALID_CREDENTIALS),
    );
    r
}

pub(crate) fn fault_response(_target: Target, fault: &ProviderFault) -> Response {
    match fault {
        ProviderFault::TooManyRequests => json(
            StatusCode::TOO_MANY_REQUESTS,
            json!({ "error": "You have exceeded our hourly quotas for action: api. We invite you to retry later." }),
        ),
        ProviderFault::ServerError(status) => json(
            *status,
            json!({ "error": "Internal Error - We're working hard to fix this as soon as possible!" }),
        ),
        ProviderFault::MalformedBody => raw(
            StatusCode::OK,
            "application/json; charset=utf-8",
            r#"[{"_id":"621ffdc036468d709f174338","id":"openai-commu"#.into(),
        ),
    }
}
