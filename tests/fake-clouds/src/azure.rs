//! Azure: the Entra ID (AAD v2) client-credentials token endpoint
//! `{authority}/{tenant}/oauth2/v2.0/token` and the ARM subscription reads it unlocks.
//!
//! Sources for the bodies and codes:
//! - Token errors `{"error","error_description","error_codes","timestamp","trace_id",
//!   "correlation_id","error_uri"}` and the AADSTS texts for 90002, 700016, 7000215,
//!   7000222, 900144: Microsoft's AADSTS error reference and MSAL issue reports; 7000229
//!   (no service principal, 401 `invalid_client`): Microsoft's Teams SDK troubleshooting
//!   page quotes the whole body. 70011
//!   (scope without `/.default`) and 7000216 texts: best guesses from the same reference.
//!   AADSTS 429/5xx bodies (`temporarily_unavailable`, 50196 / 90033): best guesses.
//! - Token success `{"token_type","expires_in","ext_expires_in","access_token"}`: the
//!   Microsoft identity platform client-credentials documentation.
//! - ARM: `{"error":{"code","message"}}`, `AuthenticationFailed`,
//!   `InvalidAuthenticationToken`, `InvalidAuthenticationTokenAudience`,
//!   `ExpiredAuthenticationToken`, `AuthorizationFailed`, `SubscriptionNotFound`,
//!   `InvalidSubscriptionId`, `MissingApiVersionParameter` and the subscription object:
//!   the ARM REST reference (Subscriptions - Get/List) and common ARM errors;
//!   `InvalidAuthenticationTokenTenant` (401): as quoted in Azure/azure-sdk-for-python#38382.
//!   ARM 429/5xx texts: best guesses.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde_json::{json, Value};
use time::macros::format_description;

use crate::faults::Target;
use crate::ids::{alnum, guid};
use crate::registry::FakeProvider;
use crate::server::ConnCtl;
use crate::state::{bearer, form, json, raw, secret_eq, AzureGrant, ProviderFault, Shared};

const TOKEN_LIFETIME_SECS: i64 = 3599;

pub(crate) const FAKE: FakeProvider = FakeProvider {
    name: "azure",
    mounts: &[("/azure-login", login_routes), ("/azure-arm", arm_routes)],
    env: |base| {
        vec![
            ("AZURE_AUTHORITY_HOST", format!("{base}/azure-login")),
            ("CLOUDCREDS_AZURE_ARM_ENDPOINT", format!("{base}/azure-arm")),
        ]
    },
};

fn login_routes() -> Router<Shared> {
    Router::new().route("/{tenant}/oauth2/v2.0/token", post(token))
}

fn arm_routes() -> Router<Shared> {
    Router::new()
        .route("/subscriptions", get(list_subscriptions))
        .route("/subscriptions/{id}", get(get_subscription))
}

// ---- token endpoint ----------------------------------------------------------------

async fn token(
    State(s): State<Shared>,
    Extension(conn): Extension<ConnCtl>,
    Path(tenant): Path<String>,
    body: Bytes,
) -> Response {
    if let Some(r) = s.gate(Target::AzureToken, &conn, fault_response).await {
        return r;
    }
    match issue(&s, &tenant, &body) {
        Ok(token) => json(
            StatusCode::OK,
            json!({
                "token_type": "Bearer",
                "expires_in": TOKEN_LIFETIME_SECS,
                "ext_expires_in": TOKEN_LIFETIME_SECS,
                "access_token": token,
            }),
        ),
        Err(e) => aad_error(&s, e),
    }
}

/// An AAD error: HTTP status, OAuth `error`, AADSTS number and its text.
struct AadError(StatusCode, &'static str, u32, String);

fn missing(parameter: &str) -> AadError {
    AadError(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        900144,
        format!("The request body must contain the following parameter: '{parameter}'."),
    )
}

fn issue(s: &Shared, tenant: &str, body: &[u8]) -> Result<String, AadError> {
    let c = &s.creds;
    if tenant != c.azure_tenant_id && !tenant.eq_ignore_ascii_case(&c.azure_tenant_domain) {
        return Err(AadError(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            90002,
            format!("Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."),
        ));
    }
    let params = form(body);
    let param = |name: &str| {
        params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    let grant_type = param("grant_type").ok_or_else(|| missing("grant_type"))?;
    if grant_type != "client_credentials" {
        return Err(AadError(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70003,
            "The app requested an unsupported grant type.".into(),
        ));
    }
    let client_id = param("client_id").ok_or_else(|| missing("client_id"))?;
    if client_id == c.azure_client_id_no_sp {
        return Err(AadError(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            7000229,
            format!("The client application {client_id} is missing service principal in the tenant {}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119", c.azure_tenant_id),
        ));
    }
    let (good_secret, has_role) = if client_id == c.azure_client_id {
        (&c.azure_client_secret, true)
    } else if client_id == c.azure_client_id_no_role {
        (&c.azure_client_secret_no_role, false)
    } else {
        return Err(AadError(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            format!("Application with identifier '{client_id}' was not found in the directory '{}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", c.azure_tenant_domain.trim_end_matches(".onmicrosoft.com")),
        ));
    };
    let scope = param("scope").ok_or_else(|| missing("scope"))?;
    let Some(audience) = scope.strip_suffix("/.default").filter(|a| !a.is_empty()) else {
        return Err(AadError(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            70011,
            format!("The provided value for the input parameter 'scope' is not valid. The scope {scope} is not valid."),
        ));
    };
    let Some(secret) = param("client_secret") else {
        return Err(AadError(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            7000216,
            "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.".into(),
        ));
    };
    if has_role && secret_eq(secret, &c.azure_expired_client_secret) {
        return Err(AadError(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            7000222,
            format!("The provided client secret keys for app '{client_id}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds."),
        ));
    }
    if !secret_eq(secret, good_secret) {
        return Err(AadError(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            7000215,
            format!("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."),
        ));
    }
    let token = format!(
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.{}.{}",
        alnum(220),
        alnum(86)
    );
    let grant = AzureGrant {
        client_id: client_id.to_string(),
        audience: audience.to_string(),
        expires_at: s.now().unix_timestamp() + TOKEN_LIFETIME_SECS,
    };
    crate::state::lock(&s.azure_tokens).insert(token.clone(), grant);
    Ok(token)
}

fn aad_error(s: &Shared, AadError(status, error, code, text): AadError) -> Response {
    let (trace_id, correlation_id) = (guid(), guid());
    let timestamp = s
        .now()
        .format(format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second]Z"
        ))
        .unwrap_or_default();
    json(
        status,
        json!({
            "error": error,
            "error_description": format!("AADSTS{code}: {text} Trace ID: {trace_id} Correlation ID: {correlation_id} Timestamp: {timestamp}"),
            "error_codes": [code],
            "timestamp": timestamp,
            "trace_id": trace_id,
            "correlation_id": correlation_id,
            "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
        }),
    )
}

// ---- ARM ---------------------------------------------------------------------------

fn arm_error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let mut r = json(
        status,
        json!({ "error": { "code": code, "message": message.into() } }),
    );
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(
                "Bearer authorization_uri=\"https://login.microsoftonline.com/common\", error=\"invalid_token\", error_description=\"The authentication failed because of missing 'Authorization' header.\"",
            ),
        );
    }
    r
}

/// An ARM error not yet rendered (keeps `Result`s small).
struct ArmError(StatusCode, &'static str, String);

impl ArmError {
    fn render(self) -> Response {
        arm_error(self.0, self.1, self.2)
    }
}

/// Authenticates an ARM request; on success, whether the app has a role.
fn authenticate(s: &Shared, headers: &HeaderMap, uri: &Uri) -> Result<bool, ArmError> {
    let token = match bearer(headers) {
        Ok(Some(token)) => token,
        Ok(None) => {
            return Err(ArmError(
                StatusCode::UNAUTHORIZED,
                "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is missing.".into(),
            ))
        }
        Err(()) => return Err(ArmError(
            StatusCode::UNAUTHORIZED,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is provided in an invalid format."
                .into(),
        )),
    };
    let grant = crate::state::lock(&s.azure_tokens).get(&token).cloned();
    let Some(grant) = grant else {
        return Err(ArmError(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "The access token is invalid.".into(),
        ));
    };
    let now = s.now().unix_timestamp();
    if now >= grant.expires_at {
        return Err(ArmError(
            StatusCode::UNAUTHORIZED,
            "ExpiredAuthenticationToken",
            "The access token expiry UTC time is earlier than current UTC time.".into(),
        ));
    }
    let arm = format!("{}/azure-arm", s.base_url);
    let allowed = [
        arm.as_str(),
        "https://management.azure.com",
        "https://management.core.windows.net",
    ];
    if !allowed.contains(&grant.audience.trim_end_matches('/')) {
        return Err(ArmError(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationTokenAudience",
            format!("The access token has been obtained for wrong audience or resource '{}'. It should exactly match with one of the allowed audiences '{arm}/','{arm}','https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.", grant.audience),
        ));
    }
    let query = form(uri.query().unwrap_or("").as_bytes());
    match query.get("api-version").map(String::as_str) {
        None | Some("") => {
            return Err(ArmError(StatusCode::BAD_REQUEST, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.".into()))
        }
        Some(v) if !looks_like_api_version(v) => {
            return Err(ArmError(
                StatusCode::BAD_REQUEST,
                "InvalidApiVersionParameter",
                format!("The api-version '{v}' is invalid. The supported versions are '2022-12-01,2021-01-01,2020-01-01,2016-06-01'."),
            ))
        }
        Some(_) => {}
    }
    Ok(grant.client_id == s.creds.azure_client_id)
}

/// `YYYY-MM-DD` with an optional `-preview` style suffix.
fn looks_like_api_version(v: &str) -> bool {
    let date = v.get(..10).unwrap_or("");
    let shape = date.bytes().enumerate().all(|(i, b)| match i {
        4 | 7 => b == b'-',
        _ => b.is_ascii_digit(),
    });
    date.len() == 10 && shape && (v.len() == 10 || v[10..].starts_with('-'))
}

fn subscription(s: &Shared) -> Value {
    let c = &s.creds;
    json!({
        "id": format!("/subscriptions/{}", c.azure_subscription_id),
        "authorizationSource": "RoleBased",
        "managedByTenants": [],
        "subscriptionId": c.azure_subscription_id,
        "tenantId": c.azure_tenant_id,
        "displayName": c.azure_subscription_name,
        "state": "Enabled",
        "subscriptionPolicies": {
            "locationPlacementId": "Public_2014-09-01",
            "quotaId": "PayAsYouGo_2014-09-01",
            "spendingLimit": "Off",
        },
    })
}

async fn get_subscription(
    State(s): State<Shared>,
    Extension(conn): Extension<ConnCtl>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if let Some(r) = s.gate(Target::AzureArm, &conn, fault_response).await {
        return r;
    }
    let has_role = match authenticate(&s, &headers, &uri) {
        Ok(has_role) => has_role,
        Err(e) => return e.render(),
    };
    if !is_guid(&id) {
        return arm_error(
            StatusCode::BAD_REQUEST,
            "InvalidSubscriptionId",
            format!("The provided subscription identifier '{id}' is malformed or invalid."),
        );
    }
    let c = &s.creds;
    if id.eq_ignore_ascii_case(&c.azure_other_tenant_subscription_id) {
        let (ours, theirs) = (&c.azure_tenant_id, &c.azure_other_tenant_id);
        return arm_error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationTokenTenant",
            format!("The access token is from the wrong issuer 'https://sts.windows.net/{ours}/'. It must match the tenant 'https://sts.windows.net/{theirs}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/{theirs}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later."),
        );
    }
    if !id.eq_ignore_ascii_case(&c.azure_subscription_id) {
        return arm_error(
            StatusCode::NOT_FOUND,
            "SubscriptionNotFound",
            format!("The subscription '{id}' could not be found."),
        );
    }
    if !has_role {
        let client = &c.azure_client_id_no_role;
        return arm_error(
            StatusCode::FORBIDDEN,
            "AuthorizationFailed",
            format!("The client '{client}' with object id '{client}' does not have authorization to perform action 'Microsoft.Resources/subscriptions/read' over scope '/subscriptions/{id}' or the scope is invalid. If access was recently granted, please refresh your credentials."),
        );
    }
    json(StatusCode::OK, subscription(&s))
}

async fn list_subscriptions(
    State(s): State<Shared>,
    Extension(conn): Extension<ConnCtl>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if let Some(r) = s.gate(Target::AzureArm, &conn, fault_response).await {
        return r;
    }
    let value = match authenticate(&s, &headers, &uri) {
        Ok(true) => vec![subscription(&s)],
        Ok(false) => vec![],
        Err(e) => return e.render(),
    };
    let count = value.len();
    json(
        StatusCode::OK,
        json!({ "value": value, "count": { "type": "Total", "value": count } }),
    )
}

fn is_guid(id: &str) -> bool {
    id.len() == 36
        && id.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

pub(crate) fn fault_response(target: Target, fault: &ProviderFault) -> Response {
    match (target, fault) {
        (Target::AzureToken, ProviderFault::TooManyRequests) => json(
            StatusCode::TOO_MANY_REQUESTS,
            json!({
                "error": "temporarily_unavailable",
                "error_description": "AADSTS50196: The server terminated an operation because it encountered a client request loop. Please contact your app vendor.",
                "error_codes": [50196],
            }),
        ),
        (Target::AzureToken, ProviderFault::ServerError(status)) => json(
            *status,
            json!({
                "error": "temporarily_unavailable",
                "error_description": "AADSTS90033: A transient error has occurred. Please try again.",
                "error_codes": [90033],
            }),
        ),
        (Target::AzureToken, ProviderFault::MalformedBody) => raw(
            StatusCode::OK,
            "application/json; charset=utf-8",
            r#"{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_tok"#.into(),
        ),
        (_, ProviderFault::TooManyRequests) => arm_error(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            "Too many requests. Retry after the interval in the Retry-After header.",
        ),
        (_, ProviderFault::ServerError(status)) => arm_error(
            *status,
            "InternalServerError",
            format!(
                "Encountered internal server error. Diagnostic information: tracking id '{}'.",
                guid()
            ),
        ),
        (_, ProviderFault::MalformedBody) => raw(
            StatusCode::OK,
            "application/json; charset=utf-8",
            r#"{"id":"/subscriptions/00000000-0000-0000-0000-000000000000","authorizationSou"#
                .into(),
        ),
    }
}
