//! The Lambda Cloud check: `GET /api/v1/instance-types`, reporting what is offered and
//! what has capacity now; errors carry Lambda's own `code`, `message` and `suggestion`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{DEFAULT_ENDPOINT, KEYS_PAGE};
use crate::check::Outcome;
use crate::credentials::Credentials;
use crate::net::{join, Request, Response, Session};
use crate::providers::common::{endpoint, settle};
use crate::providers::BoxFuture;
use crate::report::Status;

const NAME: &str = "Lambda Cloud";

pub(super) fn boxed<'a>(creds: &'a Credentials, s: &'a Session<'a>) -> BoxFuture<'a, Outcome> {
    Box::pin(async move { settle(run(creds, s).await) })
}

async fn run(creds: &Credentials, s: &Session<'_>) -> Result<Outcome, Outcome> {
    let key = creds
        .secret("api_key")
        .ok_or_else(|| Outcome::new(Status::NotConfigured, "No Lambda Cloud API key is set."))?;
    let base = endpoint(
        creds,
        "endpoint",
        s.env,
        &["CLOUDCREDS_LAMBDA_ENDPOINT"],
        DEFAULT_ENDPOINT,
        "Lambda Cloud endpoint",
    )?;
    let req = Request::get(join(&base, &["api", "v1", "instance-types"])).bearer(key, "API key")?;
    let resp = s.send(&req).await?;
    if !resp.is_success() {
        return Err(failure(s, &resp));
    }
    let body: InstanceTypes = resp.json(NAME)?;
    let offered = body.data.len();
    let available: Vec<&str> = body
        .data
        .iter()
        .filter(|(_, t)| !t.regions_with_capacity_available.is_empty())
        .map(|(name, _)| name.as_str())
        .collect();
    Ok(Outcome::ok(format!(
        "Connected to Lambda Cloud: {offered} instance types offered, {} with capacity now.",
        available.len()
    ))
    .with("instance types", offered.to_string())
    .with("with capacity now", available.len().to_string())
    .with(
        "available",
        available
            .iter()
            .take(8)
            .copied()
            .collect::<Vec<_>>()
            .join(", "),
    ))
}

fn failure(s: &Session<'_>, resp: &Response) -> Outcome {
    let Some(err) = resp.json::<ErrorBody>(NAME).ok().and_then(|b| b.error) else {
        return s.generic_failure(resp);
    };
    let said = err.message.as_deref().unwrap_or("").trim_end_matches('.');
    let suggestion = err.suggestion.clone().unwrap_or_default();
    let with_suggestion = |hint: &str| {
        if suggestion.is_empty() {
            hint.to_string()
        } else {
            format!("{hint} Lambda suggests: {suggestion}")
        }
    };
    let code = err.code.clone().unwrap_or_default();
    let (status, summary, hint) = match code.as_str() {
        "global/invalid-api-key" => (
            Status::InvalidCredentials,
            "Lambda Cloud rejected the API key: it is invalid, expired or deleted.".to_string(),
            with_suggestion(&format!("Generate a new API key at {KEYS_PAGE} and paste it whole (it starts with secret_).")),
        ),
        "global/account-inactive" => (
            Status::PermissionDenied,
            "The API key is valid but the Lambda Cloud account is inactive.".to_string(),
            with_suggestion("Sign in at cloud.lambda.ai to reactivate the account (billing details, verification) or contact Lambda support."),
        ),
        "global/quota-exceeded" | "global/rate-limited" => (
            Status::RateLimited,
            format!("Lambda Cloud is limiting requests: {said}."),
            with_suggestion("Wait a minute and test again."),
        ),
        "global/object-does-not-exist" => (
            Status::NotFound,
            format!("Lambda Cloud answered that the resource does not exist: {said}."),
            with_suggestion("Check the endpoint setting; clear it to use https://cloud.lambda.ai."),
        ),
        _ if resp.status >= 500 => {
            let mut o = s.generic_failure(resp);
            if !said.is_empty() {
                o.summary = format!("{} Lambda says: {said}.", o.summary);
            }
            return o.code(code);
        }
        _ => {
            let mut o = s.generic_failure(resp);
            if !said.is_empty() {
                o.summary = format!("{} Lambda says: {said}.", o.summary);
            }
            o.hint = Some(with_suggestion(o.hint.as_deref().unwrap_or_default()));
            return o.code(code);
        }
    };
    Outcome::fail(status, summary, hint).code(code)
}

#[derive(Deserialize)]
struct InstanceTypes {
    data: BTreeMap<String, InstanceType>,
}

#[derive(Deserialize)]
struct InstanceType {
    #[serde(default)]
    regions_with_capacity_available: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: Option<LambdaError>,
}

#[derive(Deserialize, Clone)]
struct LambdaError {
    code: Option<String>,
    message: Option<String>,
    suggestion: Option<String>,
}
