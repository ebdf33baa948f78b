//! The GCP check: an RS256 JWT-bearer grant at the key's `token_uri`, then Cloud Resource
//! Manager `GET /v1/projects/{id}`; OAuth and google.rpc errors become named outcomes.

use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::key::{self, DEFAULT_TOKEN_URI};
use super::KEYS_PAGE;
use crate::check::Outcome;
use crate::credentials::Credentials;
use crate::net::{join, parse_endpoint, Request, Response, Session};
use crate::providers::common::{endpoint, settle};
use crate::providers::BoxFuture;
use crate::report::Status;

const NAME: &str = "Google Cloud";
const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";
const CRM: &str = "https://cloudresourcemanager.googleapis.com";

pub(super) fn boxed<'a>(creds: &'a Credentials, s: &'a Session<'a>) -> BoxFuture<'a, Outcome> {
    Box::pin(async move { settle(run(creds, s).await) })
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    scope: &'a str,
    aud: &'a str,
    iat: u64,
    exp: u64,
}

async fn run(creds: &Credentials, s: &Session<'_>) -> Result<Outcome, Outcome> {
    let doc = creds
        .secret("service_account_key")
        .ok_or_else(|| Outcome::new(Status::NotConfigured, "No service-account key is set."))?;
    let key = key::parse(doc.expose_secret()).map_err(|m| {
        Outcome::fail(
            Status::InvalidInput,
            m,
            format!("Create a JSON key at {KEYS_PAGE}."),
        )
    })?;
    let token_uri = creds
        .get("token_uri")
        .or(key.token_uri.as_deref())
        .unwrap_or(DEFAULT_TOKEN_URI)
        .trim()
        .to_string();
    let token_url = parse_endpoint(&token_uri, "GCP token endpoint")?;
    let project = creds
        .get("project_id")
        .map(str::to_string)
        .or(key.project_id.clone())
        .or_else(|| s.env.get("GOOGLE_CLOUD_PROJECT").map(str::to_string));
    let crm = endpoint(
        creds,
        "api_endpoint",
        s.env,
        &["CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDRESOURCEMANAGER"],
        CRM,
        "Resource Manager endpoint",
    )?;

    let assertion = sign_assertion(&key, &token_uri)?;
    let req = Request::post(token_url).form(&[
        ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        ("assertion", assertion.expose_secret()),
    ]);
    let resp = s.send(&req).await?;
    if !resp.is_success() {
        return Err(token_failure(s, &resp, &key.client_email));
    }
    let token: TokenBody = resp.json(NAME)?;
    let access = SecretString::from(token.access_token);
    let base = |summary: String| {
        Outcome::ok(summary)
            .with("service account", key.client_email.clone())
            .with(
                "key id",
                key.private_key_id.chars().take(8).collect::<String>() + "…",
            )
    };
    let Some(project) = project else {
        return Ok(base(format!(
            "Signed in to Google Cloud as {}.",
            key.client_email
        ))
        .hint("Set a project ID to also check access to a project."));
    };

    let segments: Vec<&str> = if crm.path().trim_end_matches('/').ends_with("/v1") {
        vec!["projects", &project]
    } else {
        vec!["v1", "projects", &project]
    };
    let req = Request::get(join(&crm, &segments)).bearer(&access, "access token")?;
    let resp = s.send(&req).await?;
    if !resp.is_success() {
        return Err(crm_failure(s, &resp, &project, &key.client_email));
    }
    let p: Project = resp.json(NAME)?;
    let mut o = base(format!(
        "Connected to Google Cloud as {} on project {}.",
        key.client_email, p.project_id
    ))
    .with("project", p.name.clone())
    .with("project id", p.project_id.clone())
    .with("project number", p.project_number.clone())
    .with("state", p.lifecycle_state.clone());
    if !p.lifecycle_state.is_empty() && p.lifecycle_state != "ACTIVE" {
        o = o.hint(format!("The project is {}: restore it in the console (IAM & Admin › Manage resources) before using it.", p.lifecycle_state));
    }
    Ok(o)
}

fn sign_assertion(key: &key::ServiceAccountKey, aud: &str) -> Result<SecretString, Outcome> {
    let iat = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(key.private_key_id.clone());
    let claims = Claims {
        iss: &key.client_email,
        scope: SCOPE,
        aud,
        iat,
        exp: iat + 3600,
    };
    let bad_key = || {
        Outcome::fail(
            Status::InvalidInput,
            "The service-account key could not sign a token.",
            format!("Download a new JSON key at {KEYS_PAGE}."),
        )
    };
    let signing_key = EncodingKey::from_rsa_pem(key.private_key.expose_secret().as_bytes())
        .map_err(|_| bad_key())?;
    jsonwebtoken::encode(&header, &claims, &signing_key)
        .map(SecretString::from)
        .map_err(|_| bad_key())
}

fn token_failure(s: &Session<'_>, resp: &Response, email: &str) -> Outcome {
    let Ok(err) = resp.json::<OAuthError>(NAME) else {
        return s.generic_failure(resp);
    };
    let description = err.error_description.unwrap_or_default();
    let lower = description.to_lowercase();
    let (status, summary, hint) = match err.error.as_str() {
        "invalid_grant" if lower.contains("timeframe") || lower.contains("iat and exp") => (
            Status::ExpiredCredentials,
            "Google rejected the signed token as outside its validity window: this computer's clock is wrong.".to_string(),
            "Set the system clock to synchronise automatically (NTP), then test again.".to_string(),
        ),
        "invalid_grant" if lower.contains("audience") => (
            Status::InvalidCredentials,
            "Google refused the token request: it was sent to a token endpoint other than the key's token_uri.".to_string(),
            "Clear the Token endpoint field so the key's own token_uri is used.".to_string(),
        ),
        "invalid_grant" if lower.contains("account not found") => (
            Status::InvalidCredentials,
            format!("The service account {email} no longer exists."),
            format!("Use a key of an existing service account; see {KEYS_PAGE}."),
        ),
        "invalid_grant" if lower.contains("disabled") => (
            Status::PermissionDenied,
            format!("The service account {email} or this key is disabled."),
            format!("Enable the service account or key in {KEYS_PAGE}, or use another key."),
        ),
        "invalid_grant" | "invalid_client" | "unauthorized_client" => (
            Status::InvalidCredentials,
            "Google rejected the key: it was deleted or disabled, or the file was altered.".to_string(),
            format!("Create a new key for {email} under Service accounts › Keys ({KEYS_PAGE}) and paste the new JSON."),
        ),
        _ => return s.generic_failure(resp).code(err.error),
    };
    Outcome::fail(status, summary, hint).code(err.error)
}

fn crm_failure(s: &Session<'_>, resp: &Response, project: &str, email: &str) -> Outcome {
    let Some(err) = resp.json::<RpcErrorBody>(NAME).ok().map(|b| b.error) else {
        return s.generic_failure(resp);
    };
    let reason = err
        .details
        .iter()
        .find_map(|d| d.get("reason").and_then(|r| r.as_str()))
        .unwrap_or_default()
        .to_string();
    if reason == "SERVICE_DISABLED" {
        let link = err
            .details
            .iter()
            .find_map(|d| d.pointer("/metadata/activationUrl").and_then(|u| u.as_str()))
            .map(str::to_string)
            .unwrap_or_else(|| format!("https://console.developers.google.com/apis/api/cloudresourcemanager.googleapis.com/overview?project={project}"));
        return Outcome::fail(
            Status::PermissionDenied,
            format!("The Cloud Resource Manager API is not enabled for project {project}."),
            format!("Enable it at {link}, wait a minute, then test again."),
        )
        .code("SERVICE_DISABLED");
    }
    let (status, summary, hint) = match err.status.as_str() {
        "PERMISSION_DENIED" => (
            Status::PermissionDenied,
            format!("The key works, but {email} has no access to project {project} (or the project does not exist)."),
            format!("Grant it a role on the project, e.g. `gcloud projects add-iam-policy-binding {project} --member=serviceAccount:{email} --role=roles/browser`, and check the project ID."),
        ),
        "NOT_FOUND" => (
            Status::NotFound,
            format!("Project {project} was not found."),
            "Check the project ID (not its name or number) in the console's project picker.".to_string(),
        ),
        "UNAUTHENTICATED" => (
            Status::InvalidCredentials,
            "Resource Manager refused the access token.".to_string(),
            format!("Create a new key at {KEYS_PAGE} and test again."),
        ),
        "RESOURCE_EXHAUSTED" => (
            Status::RateLimited,
            "Google Cloud is rate-limiting these requests (RESOURCE_EXHAUSTED).".to_string(),
            "Wait a minute and test again.".to_string(),
        ),
        _ => return s.generic_failure(resp).code(err.status),
    };
    Outcome::fail(status, summary, hint).code(err.status)
}

#[derive(Deserialize)]
struct TokenBody {
    access_token: String,
}

#[derive(Deserialize)]
struct OAuthError {
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Project {
    #[serde(default)]
    project_id: String,
    #[serde(default)]
    project_number: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    lifecycle_state: String,
}

#[derive(Deserialize)]
struct RpcErrorBody {
    error: RpcError,
}

#[derive(Deserialize)]
struct RpcError {
    #[serde(default)]
    status: String,
    #[serde(default)]
    details: Vec<serde_json::Value>,
}
