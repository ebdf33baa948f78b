//! Fault injection: which fault is armed for which endpoint, how many times, and the
//! per-endpoint request counters that retry tests read back.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use crate::state::lock;

/// One emulated endpoint. Faults and request counts are kept per target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// HuggingFace `GET /api/models`.
    HfModels,
    /// HuggingFace `GET /api/whoami-v2`.
    HfWhoami,
    /// Lambda Cloud `GET /api/v1/instance-types`.
    Lambda,
    /// AWS STS `GetCallerIdentity`.
    AwsSts,
    /// Azure AD (Entra ID) `oauth2/v2.0/token`.
    AzureToken,
    /// Azure Resource Manager subscriptions.
    AzureArm,
    /// Google OAuth 2.0 token endpoint (JWT-bearer grant).
    GcpToken,
    /// Google Cloud Resource Manager v1 `projects.get`.
    GcpCrm,
    /// Modal's gRPC API (`modal.client.ModalClient`, every method).
    Modal,
}

impl Target {
    /// Every target, in a stable order.
    pub const ALL: [Target; 9] = [
        Target::HfModels,
        Target::HfWhoami,
        Target::Lambda,
        Target::AwsSts,
        Target::AzureToken,
        Target::AzureArm,
        Target::GcpToken,
        Target::GcpCrm,
        Target::Modal,
    ];
}

/// What goes wrong with a request to a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer normally after this delay.
    Latency(Duration),
    /// 429 (HTTP 400 `Throttling` for AWS STS, as the real one) with `Retry-After`,
    /// in the provider's own error body shape.
    TooManyRequests { retry_after_secs: u64 },
    /// This 5xx status with the provider's error body shape.
    ServerError(u16),
    /// This status with an empty body, as a proxy or load balancer in front of the
    /// service answers (e.g. 408 Request Timeout).
    BareStatus(u16),
    /// Read the request, never answer, keep the connection open.
    Hang,
    /// Close the TCP connection abruptly with no response (RST).
    Reset,
    /// 200 with a truncated body.
    MalformedBody,
    /// 302 with `Location: <url>`.
    Redirect(String),
    /// gRPC targets: this status and message, answered trailers-only (HTTP 200, no message)
    /// as a gRPC server answers an error.
    GrpcStatus { code: GrpcCode, message: String },
}

/// The gRPC status codes a [`Fault::GrpcStatus`] can answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrpcCode {
    /// 7: the token is valid but may not do this.
    PermissionDenied,
    /// 8: rate limited.
    ResourceExhausted,
    /// 13
    Internal,
    /// 14: the service is down; clients retry.
    Unavailable,
}

impl From<GrpcCode> for tonic::Code {
    fn from(code: GrpcCode) -> tonic::Code {
        match code {
            GrpcCode::PermissionDenied => tonic::Code::PermissionDenied,
            GrpcCode::ResourceExhausted => tonic::Code::ResourceExhausted,
            GrpcCode::Internal => tonic::Code::Internal,
            GrpcCode::Unavailable => tonic::Code::Unavailable,
        }
    }
}

/// The armed faults and the request counters of one server.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    armed: Mutex<HashMap<Target, (Fault, Option<u32>)>>,
    counts: Mutex<HashMap<Target, usize>>,
}

impl Faults {
    pub(crate) fn set(&self, target: Target, fault: Fault, times: Option<u32>) {
        let mut armed = lock(&self.armed);
        if times == Some(0) {
            armed.remove(&target);
        } else {
            armed.insert(target, (fault, times));
        }
    }

    pub(crate) fn clear(&self) {
        lock(&self.armed).clear();
    }

    pub(crate) fn count(&self, target: Target) -> usize {
        lock(&self.counts).get(&target).copied().unwrap_or(0)
    }

    /// Counts one request to `target` and returns the fault it must suffer, if any,
    /// using up one of the fault's remaining repetitions.
    pub(crate) fn take(&self, target: Target) -> Option<Fault> {
        *lock(&self.counts).entry(target).or_default() += 1;
        let mut armed = lock(&self.armed);
        let (fault, times) = armed.get_mut(&target)?;
        let fault = fault.clone();
        if let Some(left) = times {
            *left -= 1;
            if *left == 0 {
                armed.remove(&target);
            }
        }
        Some(fault)
    }
}
