//! Modal: a token id and secret checked with the official client's `TokenInfoGet` gRPC call.

mod check;
pub(crate) mod import;
mod paste;
mod proto;

use secrecy::ExposeSecret;

use super::common::SecretInput;
use super::sources::ImportSource;
use super::{EnvVar, Paste, ProviderDef};
use crate::net::clock::Window;
use crate::net::parse_endpoint;
use crate::schema::{secret, text, Credentials, FieldIssue, ProviderId, ProviderInfo};

pub(crate) const DEF: ProviderDef = ProviderDef {
    id: ProviderId::MODAL,
    validate,
    paste: Paste {
        formats: &[
            "the `modal token set --token-id ak-… --token-secret as-…` line",
            "a ~/.modal.toml profile",
        ],
        parse: paste::parse_paste,
    },
    env: &[
        EnvVar::credential("MODAL_TOKEN_ID", "token_id"),
        EnvVar::credential("MODAL_TOKEN_SECRET", "token_secret"),
        EnvVar::endpoint("MODAL_SERVER_URL", "server_url"),
    ],
    key_file: None,
    sources: &[ImportSource {
        source: import::SOURCE,
        reads: "the active profile of ~/.modal.toml (MODAL_CONFIG_PATH, MODAL_PROFILE)",
        discover: import::discover,
    }],
    secret_json_keys: &[],
    clock: Window::ASSUMED,
    check: super::check_with!(
        |c| SecretInput::read(c, "token_secret", validate),
        check::run
    ),
};

/// modal 1.6.4 `modal/config.py` `DEFAULT_SERVER_URL`: the second host is the fail-over.
pub(crate) const DEFAULT_SERVER_URL: &str = "https://api.modal.com,https://api.modal2.com";
pub(crate) const TOKENS_PAGE: &str = "https://modal.com/settings/tokens";

/// `modal`: this provider's id everywhere in cloudcreds.
impl ProviderId {
    pub const MODAL: ProviderId = ProviderId::new("modal", || &INFO);
}

static INFO: ProviderInfo = ProviderInfo {
    id: ProviderId::new("modal", || &INFO),
    rank: 5,
    name: "Modal",
    console_url: TOKENS_PAGE,
    fields: &[
        text(
            "token_id",
            "Token ID",
            "From “modal token new” or Settings › API Tokens; it starts with ak-.",
        )
        .placeholder("ak-…"),
        secret(
            "token_secret",
            "Token secret",
            "Shown once when the token is created; it starts with as-.",
        )
        .placeholder("as-…"),
        text(
            "server_url",
            "Server URL",
            "Only for proxies or test servers (MODAL_SERVER_URL); a comma list is tried in order.",
        )
        .default_value(DEFAULT_SERVER_URL),
    ],
};

/// The token id and secret prefixes of `modal/config.py`'s example (`ak-…`, `as-…`), which
/// `modal token new` issues.
const ID_PREFIX: &str = "ak-";
const SECRET_PREFIX: &str = "as-";

fn validate(creds: &Credentials) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let id = creds.get("token_id");
    let secret = creds.secret("token_secret").map(|s| s.expose_secret());
    if let Some(id) = id {
        if id.starts_with(SECRET_PREFIX) {
            issues.push(FieldIssue::new(
                "token_id",
                "This is a token secret (as-…), not its ID; the ID starts with ak-.",
            ));
        } else if !id.starts_with(ID_PREFIX) {
            issues.push(FieldIssue::new(
                "token_id",
                "A Modal token ID starts with ak-; copy it from `modal token new` or Settings › API Tokens.",
            ));
        }
    }
    if let Some(secret) = secret {
        if secret.starts_with(ID_PREFIX) {
            issues.push(FieldIssue::new(
                "token_secret",
                "This is a token ID (ak-…), not its secret; the secret starts with as-.",
            ));
        } else if !secret.starts_with(SECRET_PREFIX) {
            issues.push(FieldIssue::new(
                "token_secret",
                "A Modal token secret starts with as-; it is shown once, when the token is created.",
            ));
        }
    }
    if let Some(raw) = creds.get("server_url") {
        if let Some(message) = server_urls(raw).err() {
            issues.push(FieldIssue::new("server_url", message));
        }
    }
    issues
}

/// The server URLs of a comma list, in order (the client tries the next on a connection
/// failure), or why one of them cannot be used.
pub(crate) fn server_urls(raw: &str) -> Result<Vec<url::Url>, String> {
    let parts: Vec<&str> = raw
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return Err("Give at least one server URL, or leave it empty for api.modal.com.".into());
    }
    parts
        .into_iter()
        .map(|p| {
            parse_endpoint(p, "server URL").map_err(|o| {
                format!("{} {}", o.summary, o.hint.unwrap_or_default())
                    .trim()
                    .to_string()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(pairs: &[(&str, &str)]) -> Credentials {
        Credentials::from_values(
            ProviderId::MODAL,
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        )
        .unwrap()
    }

    #[test]
    fn swapped_id_and_secret_are_named_as_such() {
        let issues = validate(&creds(&[
            ("token_id", "as-secret0123456789"),
            ("token_secret", "ak-id0123456789abcd"),
        ]));
        assert!(issues[0].message.contains("token secret"), "{issues:?}");
        assert!(issues[1].message.contains("token ID"), "{issues:?}");
        assert!(validate(&creds(&[
            ("token_id", "ak-id0123456789abcd"),
            ("token_secret", "as-secret0123456789"),
        ]))
        .is_empty());
    }

    #[test]
    fn a_server_list_is_read_in_order_and_each_url_is_checked() {
        let urls = server_urls(DEFAULT_SERVER_URL).unwrap();
        assert_eq!(urls[0].host_str(), Some("api.modal.com"));
        assert_eq!(urls[1].host_str(), Some("api.modal2.com"));
        assert!(server_urls("http://api.modal.com").is_err());
        assert!(server_urls("http://127.0.0.1:9").is_ok());
        assert!(server_urls(" , ").is_err());
    }
}
