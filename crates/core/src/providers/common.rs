//! Helpers every provider module uses: endpoint precedence (the credential's own field,
//! then the environment, then the default), shared field rules, and how a token's expiry
//! is shown and warned about.

use secrecy::SecretString;
use serde::Deserialize;
use time::OffsetDateTime;
use url::Url;

use crate::net::{parse_endpoint, Request, Response, Session};
use crate::schema::text::plural;
use crate::schema::Credentials;
use crate::schema::Env;
use crate::schema::FieldIssue;
use crate::schema::Outcome;

/// The endpoint to use: `creds[field]` > the first set of `env_vars` > `default`.
pub(crate) fn endpoint(
    creds: &Credentials,
    field: &str,
    env: &Env,
    env_vars: &[&str],
    default: &str,
    what: &str,
) -> Result<Url, Outcome> {
    let raw = creds
        .get(field)
        .or_else(|| env.first(env_vars))
        .unwrap_or(default);
    parse_endpoint(raw, what)
}

/// An issue for an endpoint field that is set but not usable (as the user types).
pub(crate) fn endpoint_issue(creds: &Credentials, field: &str) -> Option<FieldIssue> {
    let raw = creds.get(field)?;
    parse_endpoint(raw, "endpoint").err().map(|o| {
        FieldIssue::new(
            field,
            format!("{} {}", o.summary, o.hint.unwrap_or_default())
                .trim()
                .to_string(),
        )
    })
}

/// A token expiring sooner than this gets a warning in the report's hint.
pub(crate) const EXPIRY_WARNING_DAYS: i64 = 7;

/// A token's expiry as every report words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expiry {
    /// The date, RFC 3339.
    pub when: String,
    /// "3 days", "5 hours", "already passed".
    pub relative: String,
    pub passed: bool,
    /// Within `EXPIRY_WARNING_DAYS` (or passed): the hint should say so.
    pub soon: bool,
}

impl Expiry {
    pub fn at(at: OffsetDateTime, now: OffsetDateTime) -> Self {
        let left = at - now;
        let passed = left.is_negative();
        let relative = if passed {
            "already passed".to_string()
        } else if left.whole_hours() >= 23 {
            plural((left.whole_minutes() + 720) / 1440, "day")
        } else if left.whole_minutes() >= 59 {
            plural((left.whole_minutes() + 30) / 60, "hour")
        } else {
            plural(left.whole_minutes().max(1), "minute")
        };
        Self {
            when: crate::schema::rfc3339(at),
            relative,
            passed,
            soon: left.whole_days() < EXPIRY_WARNING_DAYS,
        }
    }

    /// The identity value: "2026-12-01T00:00:00Z (in 3 days)".
    pub fn shown(&self) -> String {
        if self.passed {
            format!("{} (already passed)", self.when)
        } else {
            format!("{} (in {})", self.when, self.relative)
        }
    }
}

/// An OAuth 2.0 token endpoint's error body (RFC 6749 §5.2), with Entra ID's `error_codes`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct OAuthError {
    #[serde(default)]
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
    #[serde(default)]
    pub error_codes: Vec<u32>,
}

#[derive(Deserialize)]
struct TokenBody {
    access_token: String,
}

/// The one OAuth token exchange (Azure's client credentials, Google's JWT bearer): POSTs
/// `form` to `url` and returns the access token, wrapped. A refusal is `refused(response,
/// its OAuth error body when it has one)`.
pub(crate) async fn oauth_token(
    s: &Session<'_>,
    url: Url,
    form: &[(&str, &str)],
    refused: impl FnOnce(&Response, Option<OAuthError>) -> Outcome,
) -> Result<SecretString, Outcome> {
    let req = Request::post(url).form(form);
    let body: TokenBody = s
        .fetch_json(&req, |resp| refused(resp, resp.json::<OAuthError>("").ok()))
        .await?;
    Ok(SecretString::from(body.access_token))
}

/// The input of a check whose provider has one required secret: the credentials, with that
/// secret known to be there. Read once, by the registry, from what `validate` accepted.
pub(crate) struct SecretInput<'a> {
    pub creds: &'a Credentials,
    pub secret: &'a SecretString,
}

impl<'a> SecretInput<'a> {
    /// The input, and every issue `validate` finds (the input is only used without issues).
    pub fn read(
        creds: &'a Credentials,
        field: &str,
        validate: fn(&Credentials) -> Vec<FieldIssue>,
    ) -> (Option<Self>, Vec<FieldIssue>) {
        let input = creds
            .secret(field)
            .map(|secret| SecretInput { creds, secret });
        (input, validate(creds))
    }
}
