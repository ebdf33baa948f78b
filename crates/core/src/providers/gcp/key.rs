//! Reading a service-account key file, and telling apart the other JSON files Google hands
//! out (user credentials, OAuth clients, federation configs) so each gets a clear message.

use jsonwebtoken::EncodingKey;
use secrecy::SecretString;
use serde::Deserialize;

use super::KEYS_PAGE;

pub(crate) const DEFAULT_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
/// google-auth `google/auth/credentials.py` `DEFAULT_UNIVERSE_DOMAIN`.
pub(crate) const DEFAULT_UNIVERSE: &str = "googleapis.com";

/// The parts of a service-account key a check uses; the private key stays wrapped.
pub(crate) struct ServiceAccountKey {
    pub client_email: String,
    pub private_key_id: String,
    pub private_key: SecretString,
    pub token_uri: Option<String>,
    pub project_id: Option<String>,
    /// `None` when the key has no `universe_domain` (older keys): googleapis.com.
    pub universe_domain: Option<String>,
}

#[derive(Deserialize)]
struct Raw {
    #[serde(rename = "type")]
    kind: Option<String>,
    client_email: Option<String>,
    private_key_id: Option<String>,
    private_key: Option<String>,
    token_uri: Option<String>,
    project_id: Option<String>,
    universe_domain: Option<String>,
    installed: Option<serde_json::Value>,
    web: Option<serde_json::Value>,
}

/// True for JSON objects shaped like any Google credential file.
pub(crate) fn looks_like_google_json(text: &str) -> bool {
    let Ok(serde_json::Value::Object(doc)) = serde_json::from_str::<serde_json::Value>(text) else {
        return false;
    };
    doc.contains_key("type") && (doc.contains_key("client_email") || doc.contains_key("client_id"))
        || doc.contains_key("installed")
        || doc.contains_key("web")
}

/// Parses and checks a key. Messages never quote the key's content.
pub(crate) fn parse(text: &str) -> Result<ServiceAccountKey, String> {
    let raw: Raw = serde_json::from_str(text.trim()).map_err(|_| {
        "This is not valid JSON; paste the whole downloaded key file, from { to }.".to_string()
    })?;
    if raw.installed.is_some() || raw.web.is_some() {
        return Err(format!("This is an OAuth client ID file (client_secret_….json), not a service-account key: in {KEYS_PAGE} open the service account › Keys › Add key › Create new key › JSON."));
    }
    match raw.kind.as_deref() {
        Some("service_account") => {}
        Some("authorized_user") => return Err(format!("This is a user credential (from `gcloud auth application-default login`), not a service-account key: create a JSON key under {KEYS_PAGE} › Keys.")),
        Some("external_account") | Some("external_account_authorized_user") => return Err("This is a workload identity federation configuration, which holds no key cloudcreds can test; use a service-account JSON key.".into()),
        Some("impersonated_service_account") => return Err("This is an impersonation configuration, not a key; use the JSON key of a service account.".into()),
        _ => return Err("This JSON is not a service-account key (its \"type\" should be \"service_account\").".into()),
    }
    let missing = |field: &str| {
        format!("The key has no {field}; download a new JSON key rather than editing it.")
    };
    let client_email = raw.client_email.ok_or_else(|| missing("client_email"))?;
    let private_key_id = raw
        .private_key_id
        .ok_or_else(|| missing("private_key_id"))?;
    let private_key = raw.private_key.ok_or_else(|| missing("private_key"))?;
    if !(private_key.contains("-----BEGIN PRIVATE KEY-----")
        || private_key.contains("-----BEGIN RSA PRIVATE KEY-----"))
    {
        return Err(
            "The key's private_key is not a PEM private key; download a new JSON key.".into(),
        );
    }
    if EncodingKey::from_rsa_pem(private_key.as_bytes()).is_err() {
        return Err("The key's private_key could not be read as an RSA key; the file was damaged in copying — download a new JSON key.".into());
    }
    Ok(ServiceAccountKey {
        client_email,
        private_key_id,
        private_key: SecretString::from(private_key),
        token_uri: raw.token_uri.filter(|t| !t.trim().is_empty()),
        project_id: raw.project_id.filter(|p| !p.trim().is_empty()),
        universe_domain: raw
            .universe_domain
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty()),
    })
}
