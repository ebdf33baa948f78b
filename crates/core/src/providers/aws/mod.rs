//! AWS: an IAM access key (long-term or temporary) checked with STS GetCallerIdentity.

mod check;
mod errors;
pub(crate) mod import;
pub(crate) mod ini;
mod partitions;
mod paste;

use secrecy::ExposeSecret;

use super::common::endpoint_issue;
use super::common::SecretInput;
use super::sources::ImportSource;
use super::{EnvVar, Paste, ProviderDef};
use crate::schema::Credentials;
use crate::schema::FieldIssue;
use crate::schema::{secret, text, ProviderId, ProviderInfo};

/// STS refuses a signature dated more than 15 minutes from its own clock; its refusal
/// reads "Signature expired: <x-amz-date> is now earlier than <t> (<now> - 15 min.)"
/// (captured: devsecops/bootcamp#101 for STS AssumeRole; the same text for
/// GetCallerIdentity).
pub(crate) const CLOCK_WINDOW: crate::net::clock::Window = crate::net::clock::Window {
    minutes: 15,
    documented: true,
};

pub(crate) const DEF: ProviderDef = ProviderDef {
    id: ProviderId::AWS,
    validate,
    paste: Paste {
        formats: &[
            "a ~/.aws/credentials block",
            "the IAM access-key CSV",
            "the JSON of `aws configure export-credentials`",
        ],
        parse: paste::parse_paste,
    },
    env: &[
        EnvVar::credential("AWS_ACCESS_KEY_ID", "access_key_id"),
        EnvVar::credential("AWS_SECRET_ACCESS_KEY", "secret_access_key"),
        EnvVar::credential("AWS_SESSION_TOKEN", "session_token"),
        EnvVar::credential("AWS_SECURITY_TOKEN", "session_token"),
        EnvVar::setting("AWS_REGION", "region"),
        EnvVar::setting("AWS_DEFAULT_REGION", "region"),
        EnvVar::endpoint("AWS_ENDPOINT_URL_STS", "sts_endpoint"),
        EnvVar::endpoint_only("AWS_ENDPOINT_URL"),
    ],
    key_file: None,
    sources: &[ImportSource {
        source: import::SOURCE,
        reads:
            "~/.aws/credentials and ~/.aws/config (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE)",
        discover: import::discover,
    }],
    secret_json_keys: &[],
    clock: CLOCK_WINDOW,
    check: super::check_with!(
        |c| SecretInput::read(c, "secret_access_key", validate),
        check::run
    ),
};

pub(crate) const KEYS_PAGE: &str = "https://console.aws.amazon.com/iam/home#/security_credentials";

/// `aws`: this provider's id everywhere in cloudcreds.
impl ProviderId {
    pub const AWS: ProviderId = ProviderId::new("aws", || &INFO);
}

static INFO: ProviderInfo = ProviderInfo {
    id: ProviderId::new("aws", || &INFO),
    rank: 2,
    name: "AWS",
    console_url: "https://console.aws.amazon.com/iam/home#/security_credentials",
    fields: &[
        text(
            "access_key_id",
            "Access key ID",
            "20 characters starting with AKIA (long-term) or ASIA (temporary).",
        )
        .placeholder("AKIA…"),
        secret(
            "secret_access_key",
            "Secret access key",
            "40 characters, shown once when the key was created.",
        ),
        secret(
            "session_token",
            "Session token",
            "Only for temporary (ASIA…) keys from SSO or assume-role.",
        )
        .optional(),
        text(
            "region",
            "Region",
            "The region whose STS endpoint is asked.",
        )
        .default_value("us-east-1"),
        text(
            "sts_endpoint",
            "STS endpoint",
            "Only for VPC endpoints or proxies (AWS_ENDPOINT_URL_STS).",
        )
        .optional(),
    ],
};

fn validate(creds: &Credentials) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let key_id = creds.get("access_key_id").unwrap_or_default();
    if !key_id.is_empty() {
        if let Some(message) = key_id_problem(key_id) {
            issues.push(FieldIssue::new("access_key_id", message));
        }
    }
    if let Some(secret) = creds.secret("secret_access_key").map(|s| s.expose_secret()) {
        let len = secret.chars().count();
        if len != 40 {
            issues.push(FieldIssue::new(
                "secret_access_key",
                format!("A secret access key is 40 characters; this one has {len}. Copy it again in full."),
            ));
        } else if !secret
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '/' || c == '+')
        {
            issues.push(FieldIssue::new(
                "secret_access_key",
                "A secret access key has only letters, digits, / and +; something else was pasted with it.",
            ));
        }
    }
    let has_token = creds.secret("session_token").is_some();
    if key_id.starts_with("ASIA") && !has_token {
        issues.push(FieldIssue::new(
            "session_token",
            "ASIA… keys are temporary and only work with the session token issued with them; paste it too.",
        ));
    } else if key_id.starts_with("AKIA") && has_token {
        issues.push(FieldIssue::new(
            "session_token",
            "AKIA… keys are long-term and take no session token; clear this field (or use the ASIA… key that came with the token).",
        ));
    }
    if let Some(region) = creds.get("region") {
        if !partitions::is_region(region) {
            issues.push(FieldIssue::new(
                "region",
                "Not an AWS region code; use one such as us-east-1, eu-west-2, cn-north-1, us-gov-west-1 or eusc-de-east-1.",
            ));
        }
    }
    issues.extend(endpoint_issue(creds, "sts_endpoint"));
    issues
}

fn key_id_problem(key_id: &str) -> Option<String> {
    if key_id.starts_with("AIDA") || key_id.starts_with("AROA") {
        return Some("This is an IAM user or role ID, not an access key ID; access key IDs start with AKIA or ASIA.".into());
    }
    if !(key_id.starts_with("AKIA") || key_id.starts_with("ASIA")) {
        return Some("Access key IDs start with AKIA (long-term) or ASIA (temporary).".into());
    }
    if key_id.len() != 20
        || !key_id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Some(format!(
            "An access key ID is 20 capital letters and digits; this one has {}.",
            crate::schema::text::describe_len(key_id)
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProviderId;

    fn aws(fields: &[(&str, &str)]) -> Credentials {
        Credentials::from_values(
            ProviderId::AWS,
            fields.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        )
        .unwrap()
    }

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    #[test]
    fn key_rules() {
        let ok = aws(&[
            ("access_key_id", "AKIAIOSFODNN7EXAMPLE"),
            ("secret_access_key", SECRET),
        ]);
        assert!(validate(&ok).is_empty(), "{:?}", validate(&ok));
        let temp = aws(&[
            ("access_key_id", "ASIAIOSFODNN7EXAMPLE"),
            ("secret_access_key", SECRET),
        ]);
        assert_eq!(validate(&temp)[0].field, "session_token");
        let short = aws(&[
            ("access_key_id", "AKIAIOSFODNN7"),
            ("secret_access_key", &SECRET[..39]),
        ]);
        let issues = validate(&short);
        assert_eq!(issues.len(), 2);
        assert!(!format!("{issues:?}").contains(&SECRET[..39]));
        let user = aws(&[("access_key_id", "AIDAIOSFODNN7EXAMPLE")]);
        assert!(validate(&user)[0].message.contains("user or role ID"));
    }

    #[test]
    fn every_partition_s_regions_are_accepted() {
        for r in [
            "us-east-1",
            "cn-north-1",
            "us-gov-west-1",
            "us-iso-east-1",
            "us-isob-east-1",
            "eu-isoe-west-1",
            "us-isof-south-1",
            "eusc-de-east-1",
        ] {
            assert!(
                validate(&aws(&[("region", r)]))
                    .iter()
                    .all(|i| i.field != "region"),
                "{r}"
            );
        }
        let issues = validate(&aws(&[("region", "eu-west")]));
        assert!(issues
            .iter()
            .any(|i| i.field == "region" && i.message.contains("eusc-de-east-1")));
    }
}
