//! Shared test fixtures: a fake-clouds server, a check context pointed at it with short
//! deadlines, a DNS resolver that never leaves this machine, and credential builders.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use cloudcreds_core::check::dns::{Name, Resolve, Resolving};
use cloudcreds_core::{CheckContext, CheckOptions, CheckReport, Credentials, Env, ProviderId};
use fake_clouds::FakeClouds;

/// Resolves no name at all: a test that needs DNS gets a DNS failure, and no query is
/// ever sent anywhere.
pub struct NoDns;

impl Resolve for NoDns {
    fn resolve(&self, _name: Name) -> Resolving {
        Box::pin(async {
            Err(Box::new(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such host (test resolver)",
            )) as Box<dyn std::error::Error + Send + Sync>)
        })
    }
}

pub fn options(deadline_secs: u64) -> CheckOptions {
    CheckOptions {
        deadline: Duration::from_secs(deadline_secs),
        connect_timeout: Duration::from_secs(2),
    }
}

pub fn context(env: Env, deadline_secs: u64) -> CheckContext {
    CheckContext::with_dns_resolver(env, options(deadline_secs), Arc::new(NoDns))
}

pub struct Fixture {
    pub fake: FakeClouds,
    pub ctx: CheckContext,
}

pub async fn fixture() -> Fixture {
    fixture_with_deadline(5).await
}

pub async fn fixture_with_deadline(deadline_secs: u64) -> Fixture {
    let fake = FakeClouds::start().await.expect("fake clouds start");
    let ctx = context(Env::from_pairs(fake.env()), deadline_secs);
    Fixture { fake, ctx }
}

impl Fixture {
    pub async fn check(&self, creds: &Credentials) -> CheckReport {
        cloudcreds_core::check(creds, &self.ctx).await
    }
}

pub fn creds(provider: ProviderId, fields: &[(&str, &str)]) -> Credentials {
    Credentials::from_values(
        provider,
        fields.iter().map(|(k, v)| (k.to_string(), v.to_string())),
    )
    .expect("known fields")
}

pub fn hf(token: &str) -> Credentials {
    creds(ProviderId::HUGGINGFACE, &[("token", token)])
}

pub fn lambda(key: &str) -> Credentials {
    creds(ProviderId::LAMBDA, &[("api_key", key)])
}

pub fn aws(id: &str, secret: &str, token: Option<&str>) -> Credentials {
    let mut c = creds(
        ProviderId::AWS,
        &[("access_key_id", id), ("secret_access_key", secret)],
    );
    if let Some(t) = token {
        c.set("session_token", t.to_string()).unwrap();
    }
    c
}

pub fn azure(tenant: &str, client: &str, secret: &str, sub: Option<&str>) -> Credentials {
    let mut c = creds(
        ProviderId::AZURE,
        &[
            ("tenant_id", tenant),
            ("client_id", client),
            ("client_secret", secret),
        ],
    );
    if let Some(s) = sub {
        c.set("subscription_id", s.to_string()).unwrap();
    }
    c
}

pub fn gcp(key_json: &str, project: Option<&str>) -> Credentials {
    let mut c = creds(ProviderId::GCP, &[("service_account_key", key_json)]);
    if let Some(p) = project {
        c.set("project_id", p.to_string()).unwrap();
    }
    c
}

pub fn identity<'a>(report: &'a CheckReport, key: &str) -> Option<&'a str> {
    report
        .identity
        .iter()
        .find(|e| e.key == key)
        .map(|e| e.value.as_str())
}

/// Asserts a failing report is fully named: status, a sentence and a hint.
#[track_caller]
pub fn assert_named(report: &CheckReport, status: cloudcreds_core::Status, code: Option<&str>) {
    assert_eq!(report.status, status, "{report:#?}");
    assert!(!report.summary.is_empty(), "{report:#?}");
    if status != cloudcreds_core::Status::Ok {
        assert!(
            report.hint.as_deref().is_some_and(|h| !h.is_empty()),
            "no hint: {report:#?}"
        );
    }
    if let Some(code) = code {
        assert_eq!(report.provider_code.as_deref(), Some(code), "{report:#?}");
    }
}
