//! HuggingFace: a user access token checked against the Hub API.

mod check;
mod identity;
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
    id: ProviderId::HUGGINGFACE,
    validate,
    paste: Paste {
        formats: &["a single hf_… token"],
        parse: parse_paste,
    },
    env: &[
        EnvVar::credential("HF_TOKEN", "token"),
        EnvVar::credential("HUGGING_FACE_HUB_TOKEN", "token"),
        EnvVar::endpoint("HF_ENDPOINT", "endpoint"),
    ],
    key_file: None,
    sources: &[ImportSource {
        source: import::SOURCE,
        reads: "the token file of `huggingface-cli login` (HF_TOKEN_PATH, else $HF_HOME/token)",
        discover: import::discover,
    }],
    secret_json_keys: &[],
    clock: Window::ASSUMED,
    check: super::check_with!(|c| SecretInput::read(c, "token", validate), check::run),
};

pub(crate) const DEFAULT_ENDPOINT: &str = "https://huggingface.co";
pub(crate) const TOKENS_PAGE: &str = "https://huggingface.co/settings/tokens";

/// `huggingface`: this provider's id everywhere in cloudcreds.
impl ProviderId {
    pub const HUGGINGFACE: ProviderId = ProviderId::new("huggingface", || &INFO);
}

static INFO: ProviderInfo = ProviderInfo {
    id: ProviderId::new("huggingface", || &INFO),
    rank: 0,
    name: "HuggingFace",
    console_url: TOKENS_PAGE,
    fields: &[
        secret(
            "token",
            "Access token",
            "Create one at huggingface.co/settings/tokens; it starts with hf_.",
        )
        .placeholder("hf_…"),
        text(
            "endpoint",
            "Hub endpoint",
            "Only for mirrors or private hubs (HF_ENDPOINT).",
        )
        .default_value(DEFAULT_ENDPOINT),
    ],
};

fn validate(creds: &Credentials) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if let Some(token) = creds.secret("token").map(|t| t.expose_secret()) {
        if let Some(message) = token_problem(token) {
            issues.push(FieldIssue::new("token", message));
        }
    }
    issues.extend(endpoint_issue(creds, "endpoint"));
    issues
}

/// `api_org_` or `api_` for a legacy token: deprecated, but still sent, as
/// huggingface_hub does (`utils/_headers.py` refuses only `api_org…`, and only for writes).
pub(super) fn legacy_kind(token: &str) -> Option<&'static str> {
    if token.starts_with("api_org_") {
        Some("api_org_")
    } else if token.starts_with("api_") {
        Some("api_")
    } else {
        None
    }
}

fn token_problem(token: &str) -> Option<String> {
    if token.starts_with("hf_oauth_") {
        return None;
    }
    if let Some(kind) = legacy_kind(token) {
        let rest = &token[kind.len()..];
        return (rest.is_empty() || !rest.chars().all(|c| c.is_ascii_alphanumeric()))
            .then(|| format!("After {kind} a legacy token has only letters and digits; copy it again or create an hf_ token at {TOKENS_PAGE}."));
    }
    let Some(rest) = token.strip_prefix("hf_") else {
        return Some(format!(
            "HuggingFace tokens start with hf_; copy the whole token from {TOKENS_PAGE}."
        ));
    };
    if !rest.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Some("After hf_ a token has only letters and digits; part of something else was pasted with it.".into());
    }
    if rest.len() < 30 {
        return Some(format!(
            "This token is too short ({}); it was probably cut off while copying — a full token is about 37 characters.",
            crate::schema::text::describe_len(token)
        ));
    }
    None
}

/// A bare `hf_…` token.
fn parse_paste(text: &str) -> Option<Result<Credentials, InputError>> {
    let token = text.trim();
    if !token.starts_with("hf_") || token.contains(char::is_whitespace) {
        return None;
    }
    let mut creds = Credentials::new(ProviderId::HUGGINGFACE);
    Some(
        creds
            .set("token", token.to_string())
            .map(|_| creds)
            .map_err(InputError::from),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_rules() {
        assert!(token_problem("hf_abcdefghijklmnopqrstuvwxyzABCDEFGH").is_none());
        assert!(token_problem("hf_short").unwrap().contains("cut off"));
        // Legacy tokens are deprecated but still sent (the check labels them).
        assert!(token_problem("api_abcdefghijklmnop").is_none());
        assert!(token_problem("api_org_abcdefghijklmnop").is_none());
        assert!(token_problem("api_org_abc def")
            .unwrap()
            .contains("letters and digits"));
        assert!(token_problem("hf_oauth_abcdefghijklmnopqrstuvwxyz").is_none());
        assert!(token_problem("ghp_abcdefghijklmnop")
            .unwrap()
            .contains("start with hf_"));
        assert!(token_problem("hf_abcdefghijklmnopqrstuvwxyzABCD\"EFGH")
            .unwrap()
            .contains("letters and digits"));
    }

    #[test]
    fn a_bare_token_is_recognised() {
        let creds = parse_paste("hf_abcdefghijklmnopqrstuvwxyzABCDEFGH")
            .unwrap()
            .unwrap();
        assert!(creds.secret("token").is_some());
        assert!(parse_paste("secret_x").is_none());
    }
}
