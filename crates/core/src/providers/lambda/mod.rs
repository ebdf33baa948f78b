//! Lambda Cloud: an API key checked against the public cloud API.

mod check;
pub(crate) mod import;

use secrecy::ExposeSecret;

use super::common::endpoint_issue;
use super::common::SecretInput;
use super::sources::ImportSource;
use super::{EnvVar, Paste, ProviderDef};
use crate::net::clock::Window;
use crate::schema::Credentials;
use crate::schema::FieldIssue;
use crate::schema::InputError;
use crate::schema::{secret, text, ProviderId, ProviderInfo};

pub(crate) const DEF: ProviderDef = ProviderDef {
    id: ProviderId::LAMBDA,
    validate,
    paste: Paste {
        formats: &["a single secret_… key"],
        parse: parse_paste,
    },
    env: &[
        EnvVar::credential("LAMBDA_API_KEY", "api_key"),
        EnvVar::endpoint("CLOUDCREDS_LAMBDA_ENDPOINT", "endpoint"),
    ],
    key_file: None,
    sources: &[ImportSource {
        source: import::SOURCE,
        reads: "~/.lambda_cloud/lambda_keys",
        discover: import::discover,
    }],
    secret_json_keys: &[],
    clock: Window::ASSUMED,
    check: super::check_with!(|c| SecretInput::read(c, "api_key", validate), check::run),
};

pub(crate) const DEFAULT_ENDPOINT: &str = "https://cloud.lambda.ai";
pub(crate) const KEYS_PAGE: &str = "https://cloud.lambda.ai/api-keys";

/// `lambda`: this provider's id everywhere in cloudcreds.
impl ProviderId {
    pub const LAMBDA: ProviderId = ProviderId::new("lambda", || &INFO);
}

static INFO: ProviderInfo = ProviderInfo {
    id: ProviderId::new("lambda", || &INFO),
    rank: 1,
    name: "Lambda Cloud",
    console_url: KEYS_PAGE,
    fields: &[
        secret(
            "api_key",
            "API key",
            "Generate one under API keys in the Lambda Cloud dashboard; it starts with secret_.",
        )
        .placeholder("secret_…"),
        text(
            "endpoint",
            "API endpoint",
            "Only for proxies (CLOUDCREDS_LAMBDA_ENDPOINT).",
        )
        .default_value(DEFAULT_ENDPOINT),
    ],
};

fn validate(creds: &Credentials) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if let Some(key) = creds.secret("api_key").map(|k| k.expose_secret()) {
        if !key.starts_with("secret_") {
            issues.push(FieldIssue::new(
                "api_key",
                format!("Lambda Cloud API keys start with secret_; copy the whole key shown when it was generated at {KEYS_PAGE}."),
            ));
        } else if key.len() < 16 {
            issues.push(FieldIssue::new(
                "api_key",
                "This key is too short; it was probably cut off while copying.",
            ));
        }
    }
    issues.extend(endpoint_issue(creds, "endpoint"));
    issues
}

/// A bare `secret_…` key.
fn parse_paste(text: &str) -> Option<Result<Credentials, InputError>> {
    let key = text.trim();
    if !key.starts_with("secret_") || key.contains(char::is_whitespace) {
        return None;
    }
    let mut creds = Credentials::new(ProviderId::LAMBDA);
    Some(
        creds
            .set("api_key", key.to_string())
            .map(|_| creds)
            .map_err(InputError::from),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_key(key: &str) -> Credentials {
        let mut c = Credentials::new(ProviderId::LAMBDA);
        c.set("api_key", key.into()).unwrap();
        c
    }

    #[test]
    fn key_rules() {
        assert!(validate(&with_key("secret_mykey_0123456789abcdef")).is_empty());
        assert!(validate(&with_key("hf_0123456789abcdef"))[0]
            .message
            .contains("secret_"));
        assert!(validate(&with_key("secret_ab"))[0]
            .message
            .contains("short"));
    }
}
