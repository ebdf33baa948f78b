//! The few messages of Modal's API (`modal_proto/api.proto`, package `modal.client`) the fake
//! serves, written by hand with prost derives so no protoc or build.rs is needed. Public so the
//! fake's own tests can call it with a tonic client.
//!
//! Field numbers read from the official client's compiled descriptor (`modal` 1.6.4 on PyPI,
//! `modal_proto/api_pb2.py`; the wheel ships no `.proto`):
//! - `TokenInfoGetRequest {}` (no fields)
//! - `TokenInfoGetResponse { token_id = 1; workspace_id = 2; workspace_name = 3;
//!   oneof identity { UserIdentity user_identity = 4; ServiceUserIdentity
//!   service_user_identity = 5; } google.protobuf.Timestamp created_at = 6;
//!   google.protobuf.Timestamp expires_at = 7; token_name = 8; }`
//! - `UserIdentity { user_id = 1; username = 2; }`
//! - `ServiceUserIdentity { service_user_id = 1; service_user_name = 2;
//!   UserIdentity created_by = 3; }`
//! - `ClientHello(google.protobuf.Empty) returns ClientHelloResponse { warning = 1;
//!   image_builder_version = 2; repeated Warning server_warnings = 4; }` (4 left out)

/// The service's gRPC path prefix: `/modal.client.ModalClient/<Method>`.
pub const SERVICE: &str = "modal.client.ModalClient";

/// `google.protobuf.Empty`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Empty {}

/// `google.protobuf.Timestamp`.
#[derive(Clone, Copy, PartialEq, prost::Message)]
pub struct Timestamp {
    #[prost(int64, tag = "1")]
    pub seconds: i64,
    #[prost(int32, tag = "2")]
    pub nanos: i32,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct TokenInfoGetRequest {}

#[derive(Clone, PartialEq, prost::Message)]
pub struct TokenInfoGetResponse {
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

/// `TokenInfoGetResponse.identity`: who the token acts as.
#[derive(Clone, PartialEq, prost::Oneof)]
pub enum Identity {
    #[prost(message, tag = "4")]
    UserIdentity(UserIdentity),
    #[prost(message, tag = "5")]
    ServiceUserIdentity(ServiceUserIdentity),
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct UserIdentity {
    #[prost(string, tag = "1")]
    pub user_id: String,
    #[prost(string, tag = "2")]
    pub username: String,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ServiceUserIdentity {
    #[prost(string, tag = "1")]
    pub service_user_id: String,
    #[prost(string, tag = "2")]
    pub service_user_name: String,
    #[prost(message, optional, tag = "3")]
    pub created_by: Option<UserIdentity>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ClientHelloResponse {
    #[prost(string, tag = "1")]
    pub warning: String,
    #[prost(string, tag = "2")]
    pub image_builder_version: String,
}
