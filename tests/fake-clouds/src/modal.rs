//! Modal's control plane: the gRPC service `modal.client.ModalClient` over h2c at the root of
//! the port (gRPC paths cannot sit under a prefix), methods `TokenInfoGet` (what
//! `modal token info` calls) and `ClientHello` (what `modal token set --verify` and
//! `Client.verify` call); any other method answers UNIMPLEMENTED, as a gRPC server does.
//!
//! Sources (the official client, `modal` 1.6.4 on PyPI):
//! - Metadata: `modal/client.py` `_get_metadata` sends `x-modal-client-version`,
//!   `x-modal-client-type` (`CLIENT_TYPE_CLIENT` = 1) and, for that client type only,
//!   `x-modal-token-id` / `x-modal-token-secret`. libmodal (JS, Go) sends its own client types
//!   (7, 8, 9) with the same token headers and client version "1.0.0"; those are accepted too.
//! - `modal token info` (`modal/cli/token.py`): `_Client.from_env()` (no RPC) then one
//!   `TokenInfoGet`; it prints token id, name, workspace, user or service user, created and
//!   expiry times.
//! - Token shapes `ak-…` / `as-…`: `modal/config.py` docstring.
//! - Status → exception: `modal/_grpc_client.py` `_STATUS_TO_EXCEPTION` (UNAUTHENTICATED →
//!   `AuthError`, PERMISSION_DENIED → `PermissionDeniedError`, FAILED_PRECONDITION →
//!   `ConflictError`, UNAVAILABLE → `ServiceError` after retries, `modal/_utils/grpc_utils.py`).
//! - "Token ID is malformed": the real server's UNAUTHENTICATED text for a structurally
//!   invalid id, quoted from a traceback in NousResearch/hermes-agent#47264. The texts for an
//!   unknown id, a wrong secret and missing metadata are not published; ours are marked in
//!   docs/error-bodies.md as the fake's wording.
//! - Old client refused: before 0.50 `modal/client.py` turned FAILED_PRECONDITION from the
//!   server into "The client version {version} is too old. Please update to the latest
//!   package."; the fake answers that sentence itself (today's client shows the server's text).

use std::future::{ready, Ready};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::{Extension, Router};
use tonic::metadata::MetadataMap;
use tonic::server::{Grpc, UnaryService};
use tonic::{Code, Status};
use tonic_prost::ProstCodec;

use crate::faults::Target;
use crate::modal_proto::{
    ClientHelloResponse, Empty, Identity, ServiceUserIdentity, Timestamp, TokenInfoGetRequest,
    TokenInfoGetResponse, UserIdentity,
};
use crate::registry::FakeProvider;
use crate::server::ConnCtl;
use crate::state::{grpc_error, secret_eq, ProviderFault, Shared};

pub(crate) const FAKE: FakeProvider = FakeProvider {
    name: "modal",
    mounts: &[("", routes)],
    env: |base| vec![("MODAL_SERVER_URL", base.to_string())],
};

/// Clients older than this get FAILED_PRECONDITION. libmodal's "1.0.0" passes.
pub const MODAL_MIN_CLIENT_VERSION: &str = "1.0.0";

pub(crate) const MALFORMED_TOKEN_ID: &str = "Token ID is malformed";
pub(crate) const INVALID_TOKEN: &str = "Invalid token ID or token secret";
pub(crate) const TOKEN_MISSING: &str = "Token missing. Could not authenticate client.";

/// Client types that authenticate with a token id and secret: Python client, libmodal.
const TOKEN_CLIENT_TYPES: [&str; 4] = ["1", "7", "8", "9"];

fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/modal.client.ModalClient/TokenInfoGet",
            post(token_info_get),
        )
        .route("/modal.client.ModalClient/ClientHello", post(client_hello))
        .route("/modal.client.ModalClient/{method}", post(unimplemented))
}

async fn token_info_get(
    State(s): State<Shared>,
    Extension(conn): Extension<ConnCtl>,
    request: Request,
) -> Response {
    if let Some(faulted) = s.gate(Target::Modal, &conn, fault_response).await {
        return faulted;
    }
    let codec = ProstCodec::<TokenInfoGetResponse, TokenInfoGetRequest>::default();
    let answered = Grpc::new(codec).unary(TokenInfo(s), request).await;
    answered.map(Body::new)
}

async fn client_hello(
    State(s): State<Shared>,
    Extension(conn): Extension<ConnCtl>,
    request: Request,
) -> Response {
    if let Some(faulted) = s.gate(Target::Modal, &conn, fault_response).await {
        return faulted;
    }
    let codec = ProstCodec::<ClientHelloResponse, Empty>::default();
    let answered = Grpc::new(codec).unary(Hello(s), request).await;
    answered.map(Body::new)
}

async fn unimplemented() -> Response {
    grpc_error(Code::Unimplemented, "Method not found")
}

struct TokenInfo(Shared);

impl UnaryService<TokenInfoGetRequest> for TokenInfo {
    type Response = TokenInfoGetResponse;
    type Future = Ready<Result<tonic::Response<TokenInfoGetResponse>, Status>>;

    fn call(&mut self, request: tonic::Request<TokenInfoGetRequest>) -> Self::Future {
        ready(
            authenticate(&self.0, request.metadata())
                .map(|t| tonic::Response::new(token_info(&self.0, t))),
        )
    }
}

struct Hello(Shared);

impl UnaryService<Empty> for Hello {
    type Response = ClientHelloResponse;
    type Future = Ready<Result<tonic::Response<ClientHelloResponse>, Status>>;

    fn call(&mut self, request: tonic::Request<Empty>) -> Self::Future {
        ready(
            authenticate(&self.0, request.metadata())
                .map(|_| tonic::Response::new(ClientHelloResponse::default())),
        )
    }
}

/// Which of the fake's tokens a caller presented.
#[derive(Clone, Copy)]
enum Token {
    /// A user's token, no expiry.
    User,
    /// A service user's token expiring 2 days from the fake's now.
    ExpiringServiceUser,
}

/// Checks the client metadata, then the token; in that order, as an old client is refused
/// whatever its credentials.
fn authenticate(s: &Shared, metadata: &MetadataMap) -> Result<Token, Status> {
    let header = |name: &str| {
        metadata
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let (Some(client_type), Some(version)) = (
        header("x-modal-client-type"),
        header("x-modal-client-version"),
    ) else {
        return Err(Status::unauthenticated(TOKEN_MISSING));
    };
    if !at_least(version, MODAL_MIN_CLIENT_VERSION) {
        return Err(Status::failed_precondition(format!(
            "The client version {version} is too old. Please update to the latest package."
        )));
    }
    let (Some(id), Some(secret)) = (header("x-modal-token-id"), header("x-modal-token-secret"))
    else {
        return Err(Status::unauthenticated(TOKEN_MISSING));
    };
    if !TOKEN_CLIENT_TYPES.contains(&client_type) {
        return Err(Status::unauthenticated(TOKEN_MISSING));
    }
    let well_formed = id
        .strip_prefix("ak-")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric()));
    if !well_formed {
        return Err(Status::unauthenticated(MALFORMED_TOKEN_ID));
    }
    let c = &s.creds;
    let known = [
        (&c.modal_token_id, &c.modal_token_secret, Token::User),
        (
            &c.modal_expiring_token_id,
            &c.modal_expiring_token_secret,
            Token::ExpiringServiceUser,
        ),
    ];
    known
        .into_iter()
        .find(|(known_id, _, _)| id == known_id.as_str())
        .filter(|(_, known_secret, _)| secret_eq(secret, known_secret))
        .map(|(_, _, token)| token)
        .ok_or_else(|| Status::unauthenticated(INVALID_TOKEN))
}

fn token_info(s: &Shared, token: Token) -> TokenInfoGetResponse {
    let c = &s.creds;
    let now = s.now().unix_timestamp();
    let at = |seconds| Some(Timestamp { seconds, nanos: 0 });
    let user = UserIdentity {
        user_id: c.modal_user_id.clone(),
        username: c.modal_username.clone(),
    };
    let base = TokenInfoGetResponse {
        workspace_id: c.modal_workspace_id.clone(),
        workspace_name: c.modal_workspace_name.clone(),
        created_at: at(now - 30 * 86_400),
        ..Default::default()
    };
    match token {
        Token::User => TokenInfoGetResponse {
            token_id: c.modal_token_id.clone(),
            token_name: "cloudcreds-test".into(),
            identity: Some(Identity::UserIdentity(user)),
            ..base
        },
        Token::ExpiringServiceUser => TokenInfoGetResponse {
            token_id: c.modal_expiring_token_id.clone(),
            token_name: "ci-deploy".into(),
            identity: Some(Identity::ServiceUserIdentity(ServiceUserIdentity {
                service_user_id: c.modal_service_user_id.clone(),
                service_user_name: c.modal_service_user_name.clone(),
                created_by: Some(user),
            })),
            expires_at: at(now + 2 * 86_400),
            ..base
        },
    }
}

/// `version >= minimum`, comparing the leading dot-separated numbers (`1.6.4`, `1.6.4.dev3`);
/// a version with no leading number is too old.
fn at_least(version: &str, minimum: &str) -> bool {
    let numbers = |v: &str| -> Vec<u64> {
        v.split('.')
            .map_while(|part| part.parse::<u64>().ok())
            .collect()
    };
    let got = numbers(version);
    !got.is_empty() && got >= numbers(minimum)
}

/// The generic faults in gRPC terms: 429 → RESOURCE_EXHAUSTED, 503 → UNAVAILABLE, other 5xx →
/// INTERNAL, a malformed body → a response frame cut short.
pub(crate) fn fault_response(_target: Target, fault: &ProviderFault) -> Response {
    match fault {
        ProviderFault::TooManyRequests => grpc_error(
            Code::ResourceExhausted,
            "Too many requests, please slow down",
        ),
        ProviderFault::ServerError(StatusCode::SERVICE_UNAVAILABLE) => {
            grpc_error(Code::Unavailable, "Service unavailable")
        }
        ProviderFault::ServerError(_) => grpc_error(Code::Internal, "Internal server error"),
        ProviderFault::MalformedBody => {
            // A frame header announcing 64 bytes of message, then 3 and the end of the stream.
            let frame = vec![0u8, 0, 0, 0, 64, 0x0a, 0x05, b'a'];
            Response::builder()
                .header("content-type", "application/grpc")
                .body(Body::from(frame))
                .unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::at_least;

    #[test]
    fn versions_compare_by_their_leading_numbers() {
        assert!(at_least("1.6.4", "1.0.0"));
        assert!(at_least("1.0.0", "1.0.0"));
        assert!(at_least("1.6.4.dev3", "1.0.0"));
        assert!(!at_least("0.73.2", "1.0.0"));
        assert!(!at_least("unknown", "1.0.0"));
    }
}
