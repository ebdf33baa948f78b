//! Modal's gRPC API as a tonic client sees it: the token's identity for each test token, the
//! refusals the official client maps to AuthError / ConflictError, and the faults.

use axum::http::uri::PathAndQuery;
use fake_clouds::modal_proto::{
    ClientHelloResponse, Empty, Identity, TokenInfoGetRequest, TokenInfoGetResponse,
};
use fake_clouds::{FakeClouds, Fault, GrpcCode, Target};
use tonic::transport::Channel;
use tonic::{Code, Status};
use tonic_prost::ProstCodec;

/// What the official Python client sends (modal 1.6.4, `modal/client.py` `_get_metadata`).
const CLIENT_VERSION: &str = "1.6.4";

struct Call<'a> {
    token: Option<(&'a str, &'a str)>,
    client_type: Option<&'a str>,
    version: Option<&'a str>,
}

impl<'a> Call<'a> {
    fn with(id: &'a str, secret: &'a str) -> Self {
        Call {
            token: Some((id, secret)),
            client_type: Some("1"),
            version: Some(CLIENT_VERSION),
        }
    }

    fn request<M>(&self, message: M) -> tonic::Request<M> {
        let mut request = tonic::Request::new(message);
        let md = request.metadata_mut();
        let mut put = |name: &'static str, value: &str| {
            md.insert(name, value.parse().expect("ascii metadata"));
        };
        if let Some((id, secret)) = self.token {
            put("x-modal-token-id", id);
            put("x-modal-token-secret", secret);
        }
        if let Some(t) = self.client_type {
            put("x-modal-client-type", t);
        }
        if let Some(v) = self.version {
            put("x-modal-client-version", v);
        }
        request
    }

    async fn token_info(&self, fake: &FakeClouds) -> Result<TokenInfoGetResponse, Status> {
        let request = self.request(TokenInfoGetRequest {});
        unary(fake, "TokenInfoGet", request).await
    }

    async fn hello(&self, fake: &FakeClouds) -> Result<ClientHelloResponse, Status> {
        unary(fake, "ClientHello", self.request(Empty {})).await
    }
}

async fn unary<Req, Resp>(
    fake: &FakeClouds,
    method: &str,
    request: tonic::Request<Req>,
) -> Result<Resp, Status>
where
    Req: prost::Message + Send + Sync + 'static,
    Resp: prost::Message + Default + Send + Sync + 'static,
{
    let channel = Channel::from_shared(fake.modal_server_url())
        .unwrap()
        .connect()
        .await
        .map_err(|e| Status::unavailable(e.to_string()))?;
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready()
        .await
        .map_err(|e| Status::unavailable(e.to_string()))?;
    let path = format!("/modal.client.ModalClient/{method}");
    let path = PathAndQuery::try_from(path).unwrap();
    let codec = ProstCodec::<Req, Resp>::default();
    grpc.unary(request, path, codec)
        .await
        .map(|r| r.into_inner())
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn a_valid_token_gets_its_workspace_user_and_no_expiry() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    assert!(c.modal_token_id.starts_with("ak-") && c.modal_token_secret.starts_with("as-"));

    let info = Call::with(&c.modal_token_id, &c.modal_token_secret)
        .token_info(&fake)
        .await
        .expect("the valid token is answered");
    assert_eq!(info.token_id, c.modal_token_id);
    assert_eq!(info.workspace_name, c.modal_workspace_name);
    assert_eq!(info.workspace_id, c.modal_workspace_id);
    assert!(!info.token_name.is_empty());
    let Some(Identity::UserIdentity(user)) = info.identity else {
        panic!("a user token names its user: {:?}", info.identity);
    };
    assert_eq!(
        (user.username.as_str(), user.user_id.as_str()),
        (c.modal_username.as_str(), c.modal_user_id.as_str())
    );
    assert!(info.created_at.unwrap().seconds < now());
    assert_eq!(info.expires_at, None);
    assert_eq!(fake.request_count(Target::Modal), 1);
}

#[tokio::test]
async fn the_expiring_token_is_a_service_users_and_expires_in_two_days() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let info = Call::with(&c.modal_expiring_token_id, &c.modal_expiring_token_secret)
        .token_info(&fake)
        .await
        .expect("the expiring token is still valid");
    assert_eq!(info.token_id, c.modal_expiring_token_id);
    let Some(Identity::ServiceUserIdentity(service)) = info.identity else {
        panic!("a service user token: {:?}", info.identity);
    };
    assert_eq!(service.service_user_name, c.modal_service_user_name);
    assert_eq!(service.created_by.unwrap().username, c.modal_username);
    let left = info.expires_at.expect("an expiry").seconds - now();
    assert!((86_400..3 * 86_400).contains(&left), "{left} s left");

    // The fake's clock moves the expiry with it.
    fake.set_clock_skew(86_400);
    let info = Call::with(&c.modal_expiring_token_id, &c.modal_expiring_token_secret)
        .token_info(&fake)
        .await
        .unwrap();
    let left = info.expires_at.unwrap().seconds - now();
    assert!((2 * 86_400..4 * 86_400).contains(&left), "{left} s left");
}

#[tokio::test]
async fn wrong_secret_unknown_id_and_malformed_id_are_unauthenticated() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let cases = [
        (
            c.modal_token_id.as_str(),
            c.modal_expiring_token_secret.as_str(),
            "Invalid token ID or token secret",
        ),
        (
            "ak-0000000000000000000000",
            c.modal_token_secret.as_str(),
            "Invalid token ID or token secret",
        ),
        (
            c.modal_token_secret.as_str(),
            c.modal_token_id.as_str(),
            "Token ID is malformed",
        ),
        (
            "ak-with spaces",
            c.modal_token_secret.as_str(),
            "Token ID is malformed",
        ),
    ];
    for (id, secret, message) in cases {
        let refused = Call::with(id, secret).token_info(&fake).await.unwrap_err();
        assert_eq!(
            (refused.code(), refused.message()),
            (Code::Unauthenticated, message)
        );
        // ClientHello (what `modal token set --verify` calls) refuses alike.
        let refused = Call::with(id, secret).hello(&fake).await.unwrap_err();
        assert_eq!(refused.code(), Code::Unauthenticated);
    }
    Call::with(&c.modal_token_id, &c.modal_token_secret)
        .hello(&fake)
        .await
        .expect("ClientHello with a valid token");
}

#[tokio::test]
async fn missing_metadata_is_unauthenticated() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let full = Call::with(&c.modal_token_id, &c.modal_token_secret);
    let without = [
        Call {
            token: None,
            ..Call::with("", "")
        },
        Call {
            client_type: None,
            ..Call::with(&c.modal_token_id, &c.modal_token_secret)
        },
        Call {
            version: None,
            ..Call::with(&c.modal_token_id, &c.modal_token_secret)
        },
        Call {
            token: Some((&c.modal_token_id, "")),
            ..Call::with("", "")
        },
        // A container's client type does not authenticate with a token.
        Call {
            client_type: Some("3"),
            ..Call::with(&c.modal_token_id, &c.modal_token_secret)
        },
    ];
    for call in without {
        let refused = call.token_info(&fake).await.unwrap_err();
        assert_eq!(
            (refused.code(), refused.message()),
            (
                Code::Unauthenticated,
                "Token missing. Could not authenticate client."
            )
        );
    }
    assert!(full.token_info(&fake).await.is_ok());
}

#[tokio::test]
async fn an_old_client_version_is_refused_with_failed_precondition() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let old = Call {
        version: Some("0.73.2"),
        ..Call::with(&c.modal_token_id, &c.modal_token_secret)
    };
    let refused = old.token_info(&fake).await.unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition);
    assert_eq!(
        refused.message(),
        "The client version 0.73.2 is too old. Please update to the latest package."
    );
    // Refused whatever the credentials: the version is checked first.
    let old_and_wrong = Call {
        version: Some("0.73.2"),
        ..Call::with(&c.modal_token_id, "as-x")
    };
    assert_eq!(
        old_and_wrong.token_info(&fake).await.unwrap_err().code(),
        Code::FailedPrecondition
    );

    let minimum = Call {
        version: Some(fake_clouds::MODAL_MIN_CLIENT_VERSION),
        ..Call::with(&c.modal_token_id, &c.modal_token_secret)
    };
    assert!(minimum.token_info(&fake).await.is_ok());
}

#[tokio::test]
async fn permission_denied_and_unavailable_faults_then_normal_service() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let call = Call::with(&c.modal_token_id, &c.modal_token_secret);

    fake.set_fault(
        Target::Modal,
        Fault::GrpcStatus {
            code: GrpcCode::PermissionDenied,
            message: "Token lacks the permission for this workspace".into(),
        },
        Some(1),
    );
    let denied = call.token_info(&fake).await.unwrap_err();
    assert_eq!(
        (denied.code(), denied.message()),
        (
            Code::PermissionDenied,
            "Token lacks the permission for this workspace"
        )
    );

    fake.set_fault(
        Target::Modal,
        Fault::GrpcStatus {
            code: GrpcCode::Unavailable,
            message: "upstream connect error".into(),
        },
        Some(2),
    );
    for _ in 0..2 {
        let down = call.token_info(&fake).await.unwrap_err();
        assert_eq!(down.code(), Code::Unavailable);
    }
    // The generic server-error fault maps to gRPC too: 503 is UNAVAILABLE.
    fake.set_fault(Target::Modal, Fault::ServerError(503), Some(1));
    assert_eq!(
        call.token_info(&fake).await.unwrap_err().code(),
        Code::Unavailable
    );

    assert!(call.token_info(&fake).await.is_ok());
    assert_eq!(fake.request_count(Target::Modal), 5);
}

#[tokio::test]
async fn a_malformed_answer_and_an_unknown_method_are_errors_not_answers() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let call = Call::with(&c.modal_token_id, &c.modal_token_secret);
    fake.set_fault(Target::Modal, Fault::MalformedBody, Some(1));
    assert!(call.token_info(&fake).await.is_err());

    let unknown: Result<Empty, Status> = unary(&fake, "AppList", call.request(Empty {})).await;
    assert_eq!(unknown.unwrap_err().code(), Code::Unimplemented);
}

#[tokio::test]
async fn the_modal_server_url_is_in_env_and_at_the_root() {
    let fake = FakeClouds::start().await.unwrap();
    let env = fake.env();
    let url = env
        .iter()
        .find(|(k, _)| k == "MODAL_SERVER_URL")
        .map(|(_, v)| v.clone());
    assert_eq!(url, Some(fake.base_url()));
    assert_eq!(fake.modal_server_url(), fake.base_url());
}
