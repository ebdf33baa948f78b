//! fake-clouds: one loopback HTTP/1.1 + h2c server that emulates, strictly, the provider APIs
//! the cloudcreds checks call (HuggingFace, Lambda Cloud, AWS STS, Azure AD + ARM, Google
//! OAuth + Cloud Resource Manager, Modal's gRPC API), with per-endpoint fault injection and a shiftable
//! clock. Used as a library by tests and as a binary (`cargo run -p fake-clouds`).

mod aws;
mod aws_sig;
mod azure;
mod creds;
mod faults;
mod gcp;
mod hf;
mod ids;
mod lambda;
mod modal;
pub mod modal_proto;
mod registry;
mod server;
mod state;

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use creds::TestCredentials;
pub use faults::{Fault, GrpcCode, Target};
pub use modal::MODAL_MIN_CLIENT_VERSION;

use state::{AppState, Shared};

/// A running fake. Dropping it shuts the server down and closes every connection.
pub struct FakeClouds {
    state: Shared,
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl FakeClouds {
    /// Generates fresh credentials and starts serving on `127.0.0.1:0`.
    pub async fn start() -> std::io::Result<FakeClouds> {
        Self::start_on_port(0).await
    }

    /// Like [`FakeClouds::start`] on a chosen port (0: any free port).
    pub async fn start_on_port(port: u16) -> std::io::Result<FakeClouds> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let base_url = format!("http://{addr}");
        let generated = creds::generate(&format!("{base_url}/gcp-oauth/token")).await?;
        let state = Arc::new(AppState {
            creds: generated.creds,
            faults: Default::default(),
            skew_secs: AtomicI64::new(0),
            base_url,
            gcp_public_pem: generated.gcp_public_pem,
            gcp_disabled_project_number: generated.gcp_disabled_project_number,
            azure_tokens: Mutex::new(HashMap::new()),
            gcp_tokens: Mutex::new(HashMap::new()),
        });
        let router = registry::router()
            .layer(axum::middleware::map_response_with_state(
                state.clone(),
                state::stamp_date,
            ))
            .with_state(state.clone());
        let task = tokio::spawn(server::serve(listener, router));
        Ok(FakeClouds { state, addr, task })
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// HuggingFace Hub endpoint: `{hf}/api/models`, `{hf}/api/whoami-v2`.
    pub fn hf_endpoint(&self) -> String {
        format!("{}/hf", self.base_url())
    }

    /// Lambda Cloud endpoint: `GET {lambda}/api/v1/instance-types`.
    pub fn lambda_endpoint(&self) -> String {
        format!("{}/lambda", self.base_url())
    }

    /// AWS STS global endpoint (us-east-1 in the credential scope): `POST {aws}/` with a
    /// SigV4-signed Query-protocol form body.
    pub fn aws_sts_endpoint(&self) -> String {
        format!("{}/aws", self.base_url())
    }

    /// The regional STS endpoint of `region`: it refuses a credential scoped to any other
    /// region, and knows no key in a region the test account has not enabled (every
    /// opt-in region, every other partition).
    pub fn aws_sts_regional_endpoint(&self, region: &str) -> String {
        format!("{}/aws/{region}", self.base_url())
    }

    /// An STS endpoint standing for a VPC endpoint whose policy allows nothing: correctly
    /// signed requests get 403 `AccessDenied` (us-east-1 in the credential scope).
    pub fn aws_sts_denying_vpce_endpoint(&self) -> String {
        format!("{}/aws-denying-vpce", self.base_url())
    }

    /// Azure authority: `POST {authority}/{tenant}/oauth2/v2.0/token`.
    pub fn azure_authority(&self) -> String {
        format!("{}/azure-login", self.base_url())
    }

    /// Azure Resource Manager: `GET {arm}/subscriptions[/{id}]?api-version=…`.
    pub fn azure_arm_endpoint(&self) -> String {
        format!("{}/azure-arm", self.base_url())
    }

    /// Google OAuth token URI (also the `token_uri` of the generated keys).
    pub fn gcp_token_uri(&self) -> String {
        format!("{}/gcp-oauth/token", self.base_url())
    }

    /// Cloud Resource Manager: `GET {crm}/v1/projects/{projectId}`.
    pub fn gcp_crm_endpoint(&self) -> String {
        format!("{}/gcp-crm", self.base_url())
    }

    /// Modal's server URL (`MODAL_SERVER_URL`): the gRPC service `modal.client.ModalClient`
    /// over h2c at the root, `POST {url}/modal.client.ModalClient/TokenInfoGet`.
    pub fn modal_server_url(&self) -> String {
        self.base_url()
    }

    /// The credentials this start accepts (and the ones it refuses in specific ways).
    pub fn creds(&self) -> &TestCredentials {
        &self.state.creds
    }

    /// Arms `fault` on `target`: for every request until cleared (`None`), or for the
    /// next `n` requests and then normal service (`Some(n)`). Replaces an armed fault.
    pub fn set_fault(&self, target: Target, fault: Fault, times: Option<u32>) {
        self.state.faults.set(target, fault, times);
    }

    /// Disarms every fault.
    pub fn clear_faults(&self) {
        self.state.faults.clear();
    }

    /// Shifts the fake's clock by `skew_secs` (positive: the fake is ahead of real time).
    /// Every answer's `Date` header shows the shifted clock; AWS refuses `x-amz-date` more
    /// than 15 minutes off; JWT `iat`/`exp`, token lifetimes and HuggingFace expiry dates
    /// are judged against the shifted clock.
    pub fn set_clock_skew(&self, skew_secs: i64) {
        self.state.skew_secs.store(skew_secs, Ordering::Relaxed);
    }

    /// Requests received by `target` so far, faulted ones included.
    pub fn request_count(&self, target: Target) -> usize {
        self.state.faults.count(target)
    }

    /// The ecosystem's endpoint variables, pointing at this server.
    pub fn env(&self) -> Vec<(String, String)> {
        registry::env(&self.base_url())
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    }
}

impl Drop for FakeClouds {
    fn drop(&mut self) {
        self.task.abort();
    }
}
