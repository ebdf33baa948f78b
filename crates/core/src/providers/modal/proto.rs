//! The few messages of Modal's API (package `modal.client`) the check sends and reads,
//! written by hand with prost derives so there is no protoc or build.rs. Field numbers come
//! from the official client's compiled descriptor (modal 1.6.4, `modal_proto/api_pb2.py`;
//! the wheel ships no `.proto`).

/// The unary method the official `modal token info` calls (`modal/cli/token.py` `info`).
pub(super) const TOKEN_INFO_GET: &str = "/modal.client.ModalClient/TokenInfoGet";

/// `google.protobuf.Timestamp`.
#[derive(Clone, Copy, PartialEq, prost::Message)]
pub(super) struct Timestamp {
    #[prost(int64, tag = "1")]
    pub seconds: i64,
    #[prost(int32, tag = "2")]
    pub nanos: i32,
}

/// `TokenInfoGetRequest {}`.
#[derive(Clone, PartialEq, prost::Message)]
pub(super) struct TokenInfoGetRequest {}

#[derive(Clone, PartialEq, prost::Message)]
pub(super) struct TokenInfoGetResponse {
    #[prost(string, tag = "1")]
    pub token_id: String,
    #[prost(string, tag = "2")]
    pub workspace_id: String,
    #[prost(string, tag = "3")]
    pub workspace_name: String,
    #[prost(oneof = "Identity", tags = "4, 5")]
    pub identity: Option<Identity>,
    #[prost(message, optional, tag = "6")]
    pub created_at: Option<Timestamp>,
    #[prost(message, optional, tag = "7")]
    pub expires_at: Option<Timestamp>,
    #[prost(string, tag = "8")]
    pub token_name: String,
}

/// Who the token acts as.
#[derive(Clone, PartialEq, prost::Oneof)]
pub(super) enum Identity {
    #[prost(message, tag = "4")]
    UserIdentity(UserIdentity),
    #[prost(message, tag = "5")]
    ServiceUserIdentity(ServiceUserIdentity),
}

#[derive(Clone, PartialEq, prost::Message)]
pub(super) struct UserIdentity {
    #[prost(string, tag = "1")]
    pub user_id: String,
    #[prost(string, tag = "2")]
    pub username: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub(super) struct ServiceUserIdentity {
    #[prost(string, tag = "1")]
    pub service_user_id: String,
    #[prost(string, tag = "2")]
    pub service_user_name: String,
    #[prost(message, optional, tag = "3")]
    pub created_by: Option<UserIdentity>,
}
