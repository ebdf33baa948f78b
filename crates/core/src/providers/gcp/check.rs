//! The GCP check: an RS256 JWT-bearer grant at the key's `token_uri`, then Cloud Resource
//! Manager `GET /v1/projects/{id}`; OAuth and google.rpc errors become named outcomes.

use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::errors::{crm_failure, token_failure};
use super::key::{self, DEFAULT_TOKEN_URI, DEFAULT_UNIVERSE};
use super::{Input, KEYS_PAGE};
use crate::net::{join, parse_endpoint, Request, Session};
use crate::providers::common::{endpoint, oauth_token};
use crate::schema::Credentials;
use crate::schema::Outcome;
use crate::schema::Status;

const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";
const CRM: &str = "https://cloudresourcemanager.googleapis.com";
const CRM_ENV: &str = "CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDRESOURCEMANAGER";
/// The assertion's `aud`, whatever the key's `token_uri`: google-auth
/// `google/oauth2/service_account.py` signs `"aud": _GOOGLE_OAUTH2_TOKEN_ENDPOINT`
/// (`https://oauth2.googleapis.com/token`) and `google/oauth2/_client.py` `jwt_grant` POSTs
/// it to the key's `token_uri`; Google's server-to-server OAuth guide says the same.
const TOKEN_AUDIENCE: &str = "https://oauth2.googleapis.com/token";

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    scope: &'a str,
    aud: &'a str,
    iat: u64,
    exp: u64,
}

pub(super) async fn run(input: &Input<'_>, s: &Session<'_>) -> Result<Outcome, Outcome> {
    let (creds, key) = (input.creds, &input.key);
    universe_check(creds, s, key)?;
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
        &[CRM_ENV],
        CRM,
        "Resource Manager endpoint",
    )?;

    let assertion = sign_assertion(key, TOKEN_AUDIENCE)?;
    let form = [
        ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        ("assertion", assertion.expose_secret()),
    ];
    let access = oauth_token(s, token_url, &form, |resp, err| {
        token_failure(s, resp, err, &key.client_email)
    })
    .await?;
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
    let p: Project = s
        .fetch_json(&req, |resp| {
            crm_failure(s, resp, &project, &key.client_email)
        })
        .await?;
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

/// A key of another universe (a Google Distributed Cloud, a sovereign partner) has its
/// own endpoints; google-auth does not even use a token endpoint there (it self-signs, see
/// `service_account.py` `_always_use_jwt_access`). Only checked when both are set.
fn universe_check(
    creds: &Credentials,
    s: &Session<'_>,
    key: &key::ServiceAccountKey,
) -> Result<(), Outcome> {
    let universe = key.universe_domain.as_deref().unwrap_or(DEFAULT_UNIVERSE);
    let endpoints_set = creds.get("token_uri").is_some()
        && (creds.get("api_endpoint").is_some() || s.env.get(CRM_ENV).is_some());
    if universe == DEFAULT_UNIVERSE || endpoints_set {
        return Ok(());
    }
    let plausible = universe.len() <= 100
        && universe
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    let named = if plausible {
        format!("'{universe}'")
    } else {
        "another universe".to_string()
    };
    Err(Outcome::fail(
        Status::NotConfigured,
        format!("This key belongs to the universe {named}, not googleapis.com; cloudcreds checks only the googleapis.com universe unless that universe's endpoints are set."),
        format!("Set the profile's Token endpoint and Resource Manager endpoint (or {CRM_ENV}) to that universe's, or use a key from the googleapis.com universe."),
    ))
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
