//! GCP: a service-account key used for a JWT-bearer token, then checked on Resource Manager.

mod check;
mod errors;
pub(crate) mod import;
mod key;

use secrecy::ExposeSecret;

use super::common::endpoint_issue;
use super::sources::ImportSource;
use super::{EnvVar, KeyFile, Paste, ProviderDef};
use crate::net::clock::Window;
use crate::schema::Credentials;
use crate::schema::FieldIssue;
use crate::schema::InputError;
use crate::schema::{secret, text, FieldKind, FieldSpec, ProviderId, ProviderInfo};

pub(crate) const DEF: ProviderDef = ProviderDef {
    id: ProviderId::GCP,
    validate,
    paste: Paste {
        formats: &["a service-account key JSON"],
        parse: parse_paste,
    },
    env: &[
        EnvVar::setting("GOOGLE_CLOUD_PROJECT", "project_id"),
        EnvVar::endpoint(
            "CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDRESOURCEMANAGER",
            "api_endpoint",
        ),
    ],
    key_file: Some(KEY_FILE),
    sources: &[ImportSource {
        source: import::SOURCE,
        reads: "the key file GOOGLE_APPLICATION_CREDENTIALS names, else gcloud's application-default credentials",
        discover: import::discover,
    }],
    secret_json_keys: &["private_key", "client_secret", "refresh_token"],
    clock: Window::ASSUMED,
    check: super::check_with!(read, check::run),
};

/// google-auth's `GOOGLE_APPLICATION_CREDENTIALS` (`google/auth/environment_vars.py`):
/// the path of a key file.
pub(crate) const KEY_FILE_VAR: &str = "GOOGLE_APPLICATION_CREDENTIALS";

pub(crate) const KEY_FILE: KeyFile = KeyFile {
    var: KEY_FILE_VAR,
    field: "service_account_key",
    what: "a service-account key JSON file",
    read: import::parse_key_file,
};

pub(crate) const KEYS_PAGE: &str = "https://console.cloud.google.com/iam-admin/serviceaccounts";

/// `gcp`: this provider's id everywhere in cloudcreds.
impl ProviderId {
    pub const GCP: ProviderId = ProviderId::new("gcp", || &INFO);
}

static INFO: ProviderInfo = ProviderInfo {
    id: ProviderId::new("gcp", || &INFO),
    rank: 4,
    name: "Google Cloud",
    console_url: "https://console.cloud.google.com/iam-admin/serviceaccounts",
    fields: &[
        FieldSpec {
            kind: FieldKind::SecretDocument,
            ..secret(
                "service_account_key",
                "Service-account key (JSON)",
                "Paste the whole JSON key file from IAM › Service accounts › Keys.",
            )
            .placeholder("{ \"type\": \"service_account\", … }")
        },
        text(
            "project_id",
            "Project ID",
            "Filled from the key; change it to check another project.",
        )
        .optional(),
        text(
            "token_uri",
            "Token endpoint",
            "Taken from the key's token_uri unless set here.",
        )
        .optional(),
        text(
            "api_endpoint",
            "Resource Manager endpoint",
            "Only for private endpoints (CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDRESOURCEMANAGER).",
        )
        .optional(),
    ],
};

/// The check's input: the credentials and their key, parsed once.
pub(super) struct Input<'a> {
    pub creds: &'a Credentials,
    pub key: key::ServiceAccountKey,
}

/// The input, and every format issue (the key's own included).
fn read(creds: &Credentials) -> (Option<Input<'_>>, Vec<FieldIssue>) {
    let mut issues = Vec::new();
    let key =
        creds
            .secret("service_account_key")
            .and_then(|doc| match key::parse(doc.expose_secret()) {
                Ok(key) => Some(key),
                Err(message) => {
                    issues.push(FieldIssue::new("service_account_key", message.to_string()));
                    None
                }
            });
    issues.extend(other_issues(creds));
    (key.map(|key| Input { creds, key }), issues)
}

fn validate(creds: &Credentials) -> Vec<FieldIssue> {
    read(creds).1
}

fn other_issues(creds: &Credentials) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if let Some(project) = creds.get("project_id") {
        if !is_project_id(project) {
            issues.push(FieldIssue::new(
                "project_id",
                "A project ID is 6–30 lowercase letters, digits and hyphens (not the project name or number); see the project picker in the console.",
            ));
        }
    }
    issues.extend(endpoint_issue(creds, "token_uri"));
    issues.extend(endpoint_issue(creds, "api_endpoint"));
    issues
}

/// Lowercase letters, digits and hyphens, starting with a letter (and the legacy
/// `domain.com:project` form).
fn is_project_id(id: &str) -> bool {
    let local = id.rsplit(':').next().unwrap_or(id);
    (6..=63).contains(&local.len())
        && local.starts_with(|c: char| c.is_ascii_lowercase())
        && local
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A pasted key JSON: a service-account key fills the key and project; other Google JSON
/// files get their own explanation.
fn parse_paste(text: &str) -> Option<Result<Credentials, InputError>> {
    if !key::looks_like_google_json(text) {
        return None;
    }
    Some(key::parse(text).and_then(|k| {
        let mut creds = Credentials::new(ProviderId::GCP);
        creds
            .set("service_account_key", text.trim().to_string())
            .map_err(InputError::from)?;
        if let Some(project) = k.project_id {
            creds.set("project_id", project).map_err(InputError::from)?;
        }
        Ok(creds)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_ids() {
        assert!(is_project_id("my-project-123"));
        assert!(is_project_id("google.com:my-project"));
        assert!(!is_project_id("My Project"));
        assert!(!is_project_id("123456789012"));
    }

    #[test]
    fn other_google_json_files_get_their_own_message() {
        let err = parse_paste(
            r#"{"type":"authorized_user","client_id":"x","client_secret":"y","refresh_token":"z"}"#,
        )
        .unwrap()
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("gcloud auth application-default login"),
            "{err}"
        );
        let err = parse_paste(
            r#"{"installed":{"client_id":"x.apps.googleusercontent.com","client_secret":"y"}}"#,
        )
        .unwrap()
        .unwrap_err()
        .to_string();
        assert!(err.contains("OAuth client"), "{err}");
        assert!(parse_paste(r#"{"appId":"x"}"#).is_none());
    }
}
