//! Helpers every provider module uses: endpoint precedence (the credential's own field,
//! then the environment, then the default) and shared field rules.

use url::Url;

use crate::net::parse_endpoint;
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

/// Runs a check body written with `?`, where both arms are outcomes.
pub(crate) fn settle(result: Result<Outcome, Outcome>) -> Outcome {
    result.unwrap_or_else(|o| o)
}
