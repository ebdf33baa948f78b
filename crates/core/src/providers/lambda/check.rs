//! The Lambda Cloud check: `GET /api/v1/instance-types`, reporting what is offered and
//! what has capacity now; errors carry Lambda's own `code`, `message` and `suggestion`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{DEFAULT_ENDPOINT, KEYS_PAGE};
use crate::net::{join, Request, Response, Session};
use crate::providers::common::endpoint;
use crate::providers::common::SecretInput;
use crate::schema::Outcome;
use crate::schema::Status;

const NAME: &str = "Lambda Cloud";

pub(super) async fn run(input: &SecretInput<'_>, s: &Session<'_>) -> Result<Outcome, Outcome> {
    let (creds, key) = (input.creds, input.secret);
    let base = endpoint(
        creds,
        "endpoint",
        s.env,
        &["CLOUDCREDS_LAMBDA_ENDPOINT"],
        DEFAULT_ENDPOINT,
        "Lambda Cloud endpoint",
    )?;
    let req = Request::get(join(&base, &["api", "v1", "instance-types"])).bearer(key, "API key")?;
    let body: InstanceTypes = s.fetch_json(&req, |resp| failure(s, resp)).await?;
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

/// Lambda's documented error codes (the `ErrorCode` enum of the Cloud API's OpenAPI
/// document, https://docs.lambda.ai/api/cloud): `global/unknown`,
/// `global/invalid-api-key`, `global/account-inactive`, `global/invalid-address`,
/// `global/invalid-parameters`, `global/object-does-not-exist`, `global/quota-exceeded`,
/// plus launch and ssh-key codes a listing never gets. The document names no rate-limit
/// code, so a 429 is read by its HTTP status alone (as SkyPilot's
/// `sky/provision/lambda_cloud/lambda_utils.py` does).
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
        "global/invalid-address" => (
            Status::PermissionDenied,
            "The API key is valid but Lambda Cloud refuses the account's billing address.".to_string(),
            with_suggestion("Correct the billing address under Settings › Billing at cloud.lambda.ai, then test again."),
        ),
        "global/quota-exceeded" => (
            Status::RateLimited,
            format!("A Lambda Cloud quota of this account is used up: {said}."),
            with_suggestion("Wait and test again, or ask Lambda support to raise the quota."),
        ),
        "global/object-does-not-exist" => (
            Status::NotFound,
            format!("Lambda Cloud answered that the resource does not exist: {said}."),
            with_suggestion("Check the endpoint setting; clear it to use https://cloud.lambda.ai."),
        ),
        "global/invalid-parameters" => (
            Status::UnexpectedResponse,
            format!("Lambda Cloud refused the request's parameters: {said}."),
            with_suggestion("The instance-types listing takes no parameters, so a proxy or a wrong endpoint may be changing the request; check the endpoint setting."),
        ),
        // `global/unknown`, `global/internal-error` and anything else: by HTTP status.
        _ => {
            let mut o = s.generic_failure(resp);
            if !said.is_empty() {
                o.summary = format!("{} Lambda says: {said}.", o.summary);
            }
            if resp.status < 500 {
                o.hint = Some(with_suggestion(o.hint.as_deref().unwrap_or_default()));
            }
            return if code.is_empty() { o } else { o.code(code) };
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::schema::Env;

    fn answer(status: u16, body: &str) -> Response {
        Response::canned(status, body.as_bytes(), "cloud.lambda.ai")
    }

    fn read(resp: &Response) -> Outcome {
        let client = Err("no client in unit tests".to_string());
        let env = Env::empty();
        failure(
            &Session::new(&client, &env, NAME, Duration::from_secs(1)),
            resp,
        )
    }

    /// Bodies with the default `message` / `suggestion` of Lambda's OpenAPI document.
    #[test]
    fn documented_codes_are_named() {
        for (status, code, message, want) in [
            (
                401,
                "global/invalid-api-key",
                "API key was invalid, expired, or deleted.",
                Status::InvalidCredentials,
            ),
            (
                403,
                "global/account-inactive",
                "Your account is inactive.",
                Status::PermissionDenied,
            ),
            (
                403,
                "global/invalid-address",
                "Your billing address is invalid.",
                Status::PermissionDenied,
            ),
            (
                400,
                "global/quota-exceeded",
                "Quota exceeded.",
                Status::RateLimited,
            ),
            (
                404,
                "global/object-does-not-exist",
                "Specified instance does not exist.",
                Status::NotFound,
            ),
            (
                400,
                "global/invalid-parameters",
                "Invalid request data.",
                Status::UnexpectedResponse,
            ),
        ] {
            let body = format!(
                r#"{{"error":{{"code":"{code}","message":"{message}","suggestion":"Try again."}}}}"#
            );
            let o = read(&answer(status, &body));
            assert_eq!(o.status, want, "{code}: {o:?}");
            assert_eq!(o.provider_code.as_deref(), Some(code));
            assert!(
                o.hint
                    .as_deref()
                    .unwrap()
                    .contains("Lambda suggests: Try again."),
                "{o:?}"
            );
        }
    }

    #[test]
    fn a_429_is_read_by_its_status_whatever_the_body() {
        for body in [
            "Too Many Requests",
            r#"{"error":{"code":"global/unknown","message":"Slow down."}}"#,
        ] {
            let o = read(&answer(429, body));
            assert_eq!(o.status, Status::RateLimited, "{o:?}");
        }
        let o = read(&answer(
            500,
            r#"{"error":{"code":"global/internal-error","message":"An internal server error occurred."}}"#,
        ));
        assert_eq!(o.status, Status::ServerError);
        assert!(o
            .summary
            .contains("Lambda says: An internal server error occurred."));
    }
}
