//! Google OAuth token errors and google.rpc (AIP-193) errors from Cloud Resource Manager
//! turned into named outcomes; the bodies and their sources are in docs/error-bodies.md.

use serde::Deserialize;

use super::KEYS_PAGE;
use crate::net::{Response, Session};
use crate::providers::common::OAuthError;
use crate::schema::Outcome;
use crate::schema::Status;

const NAME: &str = "Google Cloud";

pub(super) fn token_failure(
    s: &Session<'_>,
    resp: &Response,
    err: Option<OAuthError>,
    email: &str,
) -> Outcome {
    let Some(err) = err else {
        return s.generic_failure(resp);
    };
    let description = err.error_description.unwrap_or_default();
    let lower = description.to_lowercase();
    let (status, summary, hint) = match err.error.as_str() {
        "invalid_grant" if lower.contains("timeframe") || lower.contains("iat and exp") => (
            Status::ExpiredCredentials,
            "Google rejected the signed token as outside its validity window: this computer's clock is wrong.".to_string(),
            "Set the system clock to synchronise automatically (NTP), then test again.".to_string(),
        ),
        // "Invalid JWT: Failed audience check." (google/oauth2l#130). The assertion's `aud`
        // is Google's token endpoint, as google-auth signs it, whatever the key's token_uri.
        "invalid_grant" if lower.contains("audience") => (
            Status::UnexpectedResponse,
            "The token endpoint refused the audience Google's own clients sign for (https://oauth2.googleapis.com/token): it is not Google's token endpoint, or the key belongs to another universe.".to_string(),
            "Clear the Token endpoint field, or use a key whose token_uri is https://oauth2.googleapis.com/token.".to_string(),
        ),
        "invalid_grant" if lower.contains("account not found") => (
            Status::InvalidCredentials,
            format!("The service account {email} no longer exists."),
            format!("Use a key of an existing service account; see {KEYS_PAGE}."),
        ),
        "invalid_grant" if lower.contains("disabled") => (
            Status::PermissionDenied,
            format!("The service account {email} or this key is disabled."),
            format!("Enable the service account or key in {KEYS_PAGE}, or use another key."),
        ),
        "invalid_grant" | "invalid_client" | "unauthorized_client" => (
            Status::InvalidCredentials,
            "Google rejected the key: it was deleted or disabled, or the file was altered.".to_string(),
            format!("Create a new key for {email} under Service accounts › Keys ({KEYS_PAGE}) and paste the new JSON."),
        ),
        _ => return s.generic_failure(resp).code(err.error),
    };
    Outcome::fail(status, summary, hint).code(err.error)
}

pub(super) fn crm_failure(s: &Session<'_>, resp: &Response, project: &str, email: &str) -> Outcome {
    let Some(err) = resp.json::<RpcErrorBody>(NAME).ok().map(|b| b.error) else {
        return s.generic_failure(resp);
    };
    let info = err
        .details
        .iter()
        .find(|d| d.get("reason").and_then(|r| r.as_str()).is_some());
    let reason = info
        .and_then(|d| d.get("reason"))
        .and_then(|r| r.as_str())
        .unwrap_or_default();
    if reason == "SERVICE_DISABLED" {
        return service_disabled(info, project);
    }
    let (status, summary, hint) = match err.status.as_str() {
        "PERMISSION_DENIED" => (
            Status::PermissionDenied,
            format!("The key works, but {email} has no access to project {project} (or the project does not exist)."),
            format!("Grant it a role on the project, e.g. `gcloud projects add-iam-policy-binding {project} --member=serviceAccount:{email} --role=roles/browser`, and check the project ID."),
        ),
        "NOT_FOUND" => (
            Status::NotFound,
            format!("Project {project} was not found."),
            "Check the project ID (not its name or number) in the console's project picker.".to_string(),
        ),
        "UNAUTHENTICATED" => (
            Status::InvalidCredentials,
            "Resource Manager refused the access token.".to_string(),
            format!("Create a new key at {KEYS_PAGE} and test again."),
        ),
        "RESOURCE_EXHAUSTED" => (
            Status::RateLimited,
            "Google Cloud is rate-limiting these requests (RESOURCE_EXHAUSTED).".to_string(),
            "Wait a minute and test again.".to_string(),
        ),
        _ => return s.generic_failure(resp).code(err.status),
    };
    Outcome::fail(status, summary, hint).code(err.status)
}

/// The API is off in the *consumer* project (`ErrorInfo.metadata.consumer`, the project
/// Google bills the call to, usually the service account's own), which need not be the
/// project that was queried.
fn service_disabled(info: Option<&serde_json::Value>, project: &str) -> Outcome {
    let meta = |key: &str| {
        info.and_then(|d| d.pointer(&format!("/metadata/{key}")))
            .and_then(|v| v.as_str())
            .filter(|v| v.chars().all(|c| c.is_ascii_graphic()))
    };
    let consumer = meta("consumer").unwrap_or("the caller's project");
    let link = meta("activationUrl")
        .filter(|u| u.starts_with("https://"))
        .map(str::to_string)
        .unwrap_or_else(|| {
            let id = consumer.strip_prefix("projects/").unwrap_or(project);
            format!("https://console.developers.google.com/apis/api/cloudresourcemanager.googleapis.com/overview?project={id}")
        });
    let summary = if consumer == format!("projects/{project}") {
        format!("The Cloud Resource Manager API is not enabled in project {project}.")
    } else {
        format!("The Cloud Resource Manager API is not enabled in {consumer}, the project Google bills these calls to (usually the service account's own project), so project {project} could not be read.")
    };
    Outcome::fail(
        Status::PermissionDenied,
        summary,
        format!("Enable it for {consumer} at {link}, wait a minute, then test again."),
    )
    .code("SERVICE_DISABLED")
}

#[derive(Deserialize)]
struct RpcErrorBody {
    error: RpcError,
}

#[derive(Deserialize)]
struct RpcError {
    #[serde(default)]
    status: String,
    #[serde(default)]
    details: Vec<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::schema::Env;

    const EMAIL: &str = "ci@my-project.iam.gserviceaccount.com";

    fn response(status: u16, body: &str) -> Response {
        Response::canned(status, body.as_bytes(), "oauth2.googleapis.com")
    }

    fn with_session<T>(f: impl FnOnce(&Session<'_>) -> T) -> T {
        let client = Err("unused in these tests".to_string());
        let env = Env::from_pairs(Vec::<(String, String)>::new());
        f(&Session::new(&client, &env, NAME, Duration::from_secs(5)))
    }

    #[test]
    fn failed_audience_check_is_not_called_a_bad_key() {
        let body = r#"{"error":"invalid_grant","error_description":"Invalid JWT: Failed audience check."}"#;
        let resp = response(400, body);
        let err = resp.json::<OAuthError>("").ok();
        let o = with_session(|s| token_failure(s, &resp, err, EMAIL));
        assert_eq!(o.status, Status::UnexpectedResponse);
        assert!(
            o.summary.contains("https://oauth2.googleapis.com/token"),
            "{o:?}"
        );
        assert_eq!(o.provider_code.as_deref(), Some("invalid_grant"));
    }

    #[test]
    fn service_disabled_names_the_consumer_project_and_keeps_the_link() {
        // The google.rpc shape the real API returns for a disabled API (AIP-193 ErrorInfo).
        let body = r#"{"error":{"code":403,"message":"Cloud Resource Manager API has not been used in project 123456 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/cloudresourcemanager.googleapis.com/overview?project=123456 then retry.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED","domain":"googleapis.com","metadata":{"consumer":"projects/123456","service":"cloudresourcemanager.googleapis.com","activationUrl":"https://console.developers.google.com/apis/api/cloudresourcemanager.googleapis.com/overview?project=123456"}},{"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Google developers console API activation","url":"https://console.developers.google.com/apis/api/cloudresourcemanager.googleapis.com/overview?project=123456"}]}]}}"#;
        let o = with_session(|s| crm_failure(s, &response(403, body), "other-project", EMAIL));
        assert_eq!(o.status, Status::PermissionDenied);
        assert_eq!(o.provider_code.as_deref(), Some("SERVICE_DISABLED"));
        assert!(o.summary.contains("projects/123456"), "{o:?}");
        assert!(o.summary.contains("other-project"), "{o:?}");
        let hint = o.hint.unwrap();
        assert!(hint.contains("overview?project=123456"), "{hint}");
        assert!(hint.contains("projects/123456"), "{hint}");
    }
}
