//! Reading a service-account key file, and telling apart the other JSON files Google hands
//! out (user credentials, OAuth clients, federation configs) so each gets a clear message.

use jsonwebtoken::EncodingKey;
use secrecy::SecretString;
use serde::Deserialize;

use super::KEYS_PAGE;
use crate::schema::InputError;

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
    client_email: Option<String>,
    private_key_id: Option<String>,
    private_key: Option<String>,
    token_uri: Option<String>,
    project_id: Option<String>,
    universe_domain: Option<String>,
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

/// What a Google JSON credential file is, by its shape: the one reading of these files,
/// shared by paste, validation and the `gcloud` importer (the types are google-auth's,
/// `google/auth/_default.py` `load_credentials_from_file`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GoogleJson {
    ServiceAccount,
    /// `client_secret_….json`: `installed` or `web` at the top.
    OAuthClient,
    /// `authorized_user`, written by `gcloud auth application-default login`.
    UserLogin,
    /// `external_account` / `external_account_authorized_user`.
    Federation,
    /// `impersonated_service_account`.
    Impersonation,
    /// Another or no `type`.
    Other,
    NotJson,
    NotObject,
}

pub(crate) fn classify(text: &str) -> GoogleJson {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(text.trim()) else {
        return GoogleJson::NotJson;
    };
    let Some(obj) = doc.as_object() else {
        return GoogleJson::NotObject;
    };
    if obj.contains_key("installed") || obj.contains_key("web") {
        return GoogleJson::OAuthClient;
    }
    match obj.get("type").and_then(|t| t.as_str()) {
        Some("service_account") => GoogleJson::ServiceAccount,
        Some("authorized_user") => GoogleJson::UserLogin,
        Some("external_account") | Some("external_account_authorized_user") => {
            GoogleJson::Federation
        }
        Some("impersonated_service_account") => GoogleJson::Impersonation,
        _ => GoogleJson::Other,
    }
}

/// Parses and checks a key. Messages never quote the key's content.
pub(crate) fn parse(text: &str) -> Result<ServiceAccountKey, InputError> {
    match classify(text) {
        GoogleJson::ServiceAccount => {}
        GoogleJson::NotJson => return Err("This is not valid JSON; paste the whole downloaded key file, from { to }.".into()),
        GoogleJson::OAuthClient => return Err(InputError::Unusable(format!("This is an OAuth client ID file (client_secret_….json), not a service-account key: in {KEYS_PAGE} open the service account › Keys › Add key › Create new key › JSON."))),
        GoogleJson::UserLogin => return Err(InputError::Unusable(format!("This is a user credential (from `gcloud auth application-default login`), not a service-account key: create a JSON key under {KEYS_PAGE} › Keys."))),
        GoogleJson::Federation => return Err("This is a workload identity federation configuration, which holds no key cloudcreds can test; use a service-account JSON key.".into()),
        GoogleJson::Impersonation => return Err("This is an impersonation configuration, not a key; use the JSON key of a service account.".into()),
        GoogleJson::Other | GoogleJson::NotObject => return Err("This JSON is not a service-account key (its \"type\" should be \"service_account\").".into()),
    }
    let raw: Raw = serde_json::from_str(text.trim()).map_err(|_| {
        "This JSON is not a service-account key (its \"type\" should be \"service_account\")."
            .to_string()
    })?;
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
