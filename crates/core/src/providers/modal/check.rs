//! The Modal check: one `TokenInfoGet` call with the metadata the official client sends,
//! and what its answer (or refusal) means for the user.

use time::OffsetDateTime;
use tonic::Code;

use super::proto::{
    Identity, Timestamp, TokenInfoGetRequest, TokenInfoGetResponse, TOKEN_INFO_GET,
};
use super::{server_urls, DEFAULT_SERVER_URL, TOKENS_PAGE};
use crate::net::grpc::{code_name, Metadata, Unary};
use crate::net::Session;
use crate::providers::common::Expiry;
use crate::providers::common::SecretInput;
use crate::schema::{Outcome, Status};

/// The official client release whose requests these are (`modal` 1.6.4 on PyPI; its
/// `modal/client.py` `_get_metadata` sends `x-modal-client-version: 1.6.4`, captured by
/// `tests/peers/test_modal.py`). Modal's server refuses client versions it no longer
/// supports; when it does, the answer tells the user to update cloudcreds.
pub(crate) const CLIENT_VERSION: &str = "1.6.4";
/// `api_pb2.CLIENT_TYPE_CLIENT`: a user's own client, the only type that may send tokens.
const CLIENT_TYPE: &str = "1";

pub(super) async fn run(
    input: &SecretInput<'_>,
    session: &Session<'_>,
) -> Result<Outcome, Outcome> {
    let creds = input.creds;
    let raw = creds
        .get("server_url")
        .or_else(|| session.env.get("MODAL_SERVER_URL"))
        .unwrap_or(DEFAULT_SERVER_URL);
    let urls = server_urls(raw).map_err(|message| {
        Outcome::fail(
            Status::InvalidInput,
            message,
            "Correct MODAL_SERVER_URL (or the Server URL field), or leave it empty for api.modal.com.",
        )
    })?;
    let id = creds.get("token_id").unwrap_or_default();
    let secret = input.secret;
    let metadata = Metadata::new()
        .text("x-modal-token-id", id)?
        .secret("x-modal-token-secret", secret, "token secret")?
        .text("x-modal-client-type", CLIENT_TYPE)?
        .text("x-modal-client-version", CLIENT_VERSION)?;
    let call = Unary::new(&urls, TOKEN_INFO_GET, metadata);
    match session.grpc(call, TokenInfoGetRequest {}).await? {
        Ok(info) => Ok(accepted(info, OffsetDateTime::now_utc())),
        Err(status) => Err(refused(&status)),
    }
}

/// What the token is: workspace, who it acts as, its name and dates.
fn accepted(info: TokenInfoGetResponse, now: OffsetDateTime) -> Outcome {
    let workspace = if info.workspace_name.is_empty() {
        info.workspace_id.clone()
    } else {
        info.workspace_name.clone()
    };
    let mut o = Outcome::ok(format!(
        "Modal accepted the token for workspace {workspace}."
    ))
    .with(
        "workspace",
        labelled(&info.workspace_name, &info.workspace_id),
    );
    match &info.identity {
        Some(Identity::UserIdentity(u)) => o.push("user", labelled(&u.username, &u.user_id)),
        Some(Identity::ServiceUserIdentity(s)) => {
            o.push(
                "service user",
                labelled(&s.service_user_name, &s.service_user_id),
            );
            if let Some(by) = &s.created_by {
                o.push("created by", labelled(&by.username, &by.user_id));
            }
        }
        None => {}
    }
    o.push("token", labelled(&info.token_name, &info.token_id));
    if let Some(at) = info.created_at.and_then(time_of) {
        o.push("created", crate::schema::rfc3339(at));
    }
    if let Some(at) = info.expires_at.and_then(time_of) {
        let e = Expiry::at(at, now);
        o.push("expires", e.shown());
        if e.soon {
            let warning = if e.passed {
                format!("This token's expiry date ({}) has passed by this computer's clock; create a new one with `modal token new`.", e.when)
            } else {
                format!("This token expires in {} (on {}); create a new one with `modal token new` (or at {TOKENS_PAGE}) and replace it before then.", e.relative, e.when)
            };
            o = o.add_hint(warning);
        }
    }
    o
}

/// "name (id)", or whichever of the two is set.
fn labelled(name: &str, id: &str) -> String {
    match (name.is_empty(), id.is_empty()) {
        (false, false) => format!("{name} ({id})"),
        (false, true) => name.to_string(),
        _ => id.to_string(),
    }
}

/// `modal/cli/token.py` shows a timestamp only when its seconds are positive.
fn time_of(t: Timestamp) -> Option<OffsetDateTime> {
    (t.seconds > 0)
        .then(|| OffsetDateTime::from_unix_timestamp(t.seconds).ok())
        .flatten()
}

/// Modal's refusal, by gRPC status code (the server's messages are in
/// docs/error-bodies.md, "Modal").
fn refused(status: &tonic::Status) -> Outcome {
    let said = first_line(status.message());
    let code = code_name(status.code());
    let new_token = format!("Create a new token with `modal token new` (or at {TOKENS_PAGE}) and save its ID and secret here.");
    let o = match status.code() {
        Code::Unauthenticated if said.to_ascii_lowercase().contains("expired") => Outcome::fail(
            Status::ExpiredCredentials,
            format!("Modal rejected the token as expired: {said}"),
            new_token,
        ),
        Code::Unauthenticated => Outcome::fail(
            Status::InvalidCredentials,
            format!("Modal rejected the token: {said}"),
            format!("The token ID or secret is wrong, or the token was revoked or expired. {new_token}"),
        ),
        Code::PermissionDenied => Outcome::fail(
            Status::PermissionDenied,
            format!("Modal accepted the token but refused this call: {said}"),
            format!("Check the token's workspace and role at {TOKENS_PAGE}."),
        ),
        Code::FailedPrecondition => Outcome::fail(
            Status::UnexpectedResponse,
            format!("Modal refused the request as coming from an unsupported client: {said}"),
            format!("Update cloudcreds: it speaks as modal client {CLIENT_VERSION}, which Modal no longer accepts. Your token was not checked."),
        ),
        Code::ResourceExhausted => Outcome::fail(
            Status::RateLimited,
            format!("Modal is rate-limiting requests: {said}"),
            "Wait a minute and test again.",
        ),
        Code::Unavailable => Outcome::fail(
            Status::Unreachable,
            format!("Modal's API is unavailable: {said}"),
            "Check your connection (and HTTPS_PROXY), then test again; see status.modal.com.",
        ),
        Code::DeadlineExceeded => Outcome::fail(
            Status::Timeout,
            format!("Modal did not answer in time: {said}"),
            "Test again; if it repeats, check your connection or proxy.",
        ),
        Code::Internal | Code::Unknown => Outcome::fail(
            Status::ServerError,
            format!("Modal failed to answer: {said}"),
            "Test again in a minute; see status.modal.com.",
        ),
        _ => Outcome::fail(
            Status::UnexpectedResponse,
            format!("Modal answered with an unexpected {code}: {said}"),
            "Test again; if it repeats, report it with this message.",
        ),
    };
    o.code(code)
}

/// The first line of a server message, bounded, so a report stays one sentence.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or("").trim();
    let mut line: String = line.chars().take(200).collect();
    if line.is_empty() {
        line = "no message".to_string();
    }
    if !line.ends_with('.') {
        line.push('.');
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::modal::proto::{ServiceUserIdentity, UserIdentity};

    fn now() -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap()
    }

    fn info(expires_in_days: Option<i64>) -> TokenInfoGetResponse {
        TokenInfoGetResponse {
            token_id: "ak-abc".into(),
            workspace_id: "ac-123".into(),
            workspace_name: "acme".into(),
            identity: Some(Identity::UserIdentity(UserIdentity {
                user_id: "us-1".into(),
                username: "ada".into(),
            })),
            created_at: Some(Timestamp {
                seconds: 1_700_000_000,
                nanos: 0,
            }),
            expires_at: expires_in_days.map(|d| Timestamp {
                seconds: 1_800_000_000 + d * 86_400,
                nanos: 0,
            }),
            token_name: "laptop".into(),
        }
    }

    fn value<'a>(o: &'a Outcome, key: &str) -> Option<&'a str> {
        o.identity
            .iter()
            .find(|e| e.key == key)
            .map(|e| e.value.as_str())
    }

    #[test]
    fn a_valid_token_shows_workspace_user_token_and_dates() {
        let o = accepted(info(None), now());
        assert_eq!(o.status, Status::Ok);
        assert_eq!(value(&o, "workspace"), Some("acme (ac-123)"));
        assert_eq!(value(&o, "user"), Some("ada (us-1)"));
        assert_eq!(value(&o, "token"), Some("laptop (ak-abc)"));
        assert!(value(&o, "created").unwrap().starts_with("2023-11-14"));
        assert_eq!(value(&o, "expires"), None);
        assert_eq!(o.hint, None);
    }

    #[test]
    fn a_token_close_to_expiry_warns_and_a_far_one_does_not() {
        let o = accepted(info(Some(2)), now());
        assert_eq!(value(&o, "expires").unwrap().split(' ').nth(1), Some("(in"));
        let hint = o.hint.unwrap();
        assert!(hint.contains("expires in 2 days"), "{hint}");
        assert!(hint.contains("modal token new"), "{hint}");
        assert!(accepted(info(Some(30)), now()).hint.is_none());
        let passed = accepted(info(Some(-1)), now()).hint.unwrap();
        assert!(passed.contains("has passed"), "{passed}");
    }

    #[test]
    fn a_service_user_token_names_the_service_user_and_its_creator() {
        let mut i = info(None);
        i.identity = Some(Identity::ServiceUserIdentity(ServiceUserIdentity {
            service_user_id: "su-9".into(),
            service_user_name: "ci-bot".into(),
            created_by: Some(UserIdentity {
                user_id: "us-1".into(),
                username: "ada".into(),
            }),
        }));
        let o = accepted(i, now());
        assert_eq!(value(&o, "service user"), Some("ci-bot (su-9)"));
        assert_eq!(value(&o, "created by"), Some("ada (us-1)"));
    }

    #[test]
    fn refusals_map_to_statuses_with_concrete_hints() {
        let cases = [
            (
                Code::Unauthenticated,
                "Invalid token",
                Status::InvalidCredentials,
                "modal token new",
            ),
            (
                Code::Unauthenticated,
                "Token expired",
                Status::ExpiredCredentials,
                "modal token new",
            ),
            (
                Code::PermissionDenied,
                "nope",
                Status::PermissionDenied,
                "workspace",
            ),
            (
                Code::FailedPrecondition,
                "Deprecated client version",
                Status::UnexpectedResponse,
                "Update cloudcreds",
            ),
            (Code::Unavailable, "down", Status::Unreachable, "connection"),
            (Code::DeadlineExceeded, "slow", Status::Timeout, "again"),
            (
                Code::ResourceExhausted,
                "slow down",
                Status::RateLimited,
                "Wait",
            ),
            (Code::Internal, "boom", Status::ServerError, "again"),
        ];
        for (code, message, status, hint) in cases {
            let o = refused(&tonic::Status::new(code, message));
            assert_eq!(o.status, status, "{code:?}");
            assert!(o.hint.as_deref().unwrap().contains(hint), "{o:?}");
            assert!(o.summary.contains(message), "{o:?}");
        }
        let o = refused(&tonic::Status::new(Code::PermissionDenied, "x"));
        assert_eq!(o.provider_code.as_deref(), Some("PERMISSION_DENIED"));
    }
}
