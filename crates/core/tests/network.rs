//! Bad networks and hostile answers, for every provider: retries (and when not to), the
//! deadline, refused connections, DNS and TLS failures, redirects, malformed bodies, the
//! plain-http rule and the proxy. Nothing here leaves 127.0.0.1.

mod common;

use std::time::Duration;

use cloudcreds_core::{Credentials, Env, ProviderId, Status};
use common::*;
use fake_clouds::{FakeClouds, Fault, Target};

/// Working credentials for each provider, and the gate request's fault target.
fn cases(fake: &FakeClouds) -> Vec<(Credentials, Target)> {
    let c = fake.creds();
    vec![
        (hf(&c.hf_token), Target::HfModels),
        (lambda(&c.lambda_api_key), Target::Lambda),
        (
            aws(&c.aws_access_key_id, &c.aws_secret_access_key, None),
            Target::AwsSts,
        ),
        (
            azure(
                &c.azure_tenant_id,
                &c.azure_client_id,
                &c.azure_client_secret,
                Some(&c.azure_subscription_id),
            ),
            Target::AzureToken,
        ),
        (gcp(&c.gcp_key_json, None), Target::GcpToken),
    ]
}

fn attempts(report: &cloudcreds_core::CheckReport, path_part: &str) -> Vec<(u32, Option<u16>)> {
    report
        .requests
        .iter()
        .filter(|r| r.url.contains(path_part))
        .map(|r| (r.attempt, r.http_status))
        .collect()
}

fn path_of(target: Target) -> &'static str {
    match target {
        Target::HfModels => "/hf/api/models",
        Target::Lambda => "/lambda/",
        Target::AwsSts => "/aws/",
        Target::AzureToken => "/azure-login/",
        Target::GcpToken => "/gcp-oauth/",
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn a_429_then_success_is_retried_and_recorded() {
    let f = fixture().await;
    for (creds, target) in cases(&f.fake) {
        f.fake.set_fault(
            target,
            Fault::TooManyRequests {
                retry_after_secs: 0,
            },
            Some(1),
        );
        let r = f.check(&creds).await;
        f.fake.clear_faults();
        if target == Target::AwsSts {
            // STS throttles with HTTP 400, which is never retried.
            assert_named(&r, Status::RateLimited, Some("Throttling"));
            assert_eq!(attempts(&r, "/aws/"), [(1, Some(400))]);
            continue;
        }
        assert_named(&r, Status::Ok, None);
        assert_eq!(
            attempts(&r, path_of(target)),
            [(1, Some(429)), (2, Some(200))],
            "{r:#?}"
        );
    }
}

#[tokio::test]
async fn retry_after_beyond_the_deadline_ends_the_check_as_rate_limited() {
    let f = fixture().await;
    for (creds, target) in cases(&f.fake) {
        f.fake.set_fault(
            target,
            Fault::TooManyRequests {
                retry_after_secs: 3600,
            },
            None,
        );
        let r = f.check(&creds).await;
        f.fake.clear_faults();
        assert_named(&r, Status::RateLimited, None);
        assert_eq!(attempts(&r, path_of(target)).len(), 1, "{r:#?}");
    }
}

#[tokio::test]
async fn server_errors_are_retried_then_named() {
    let f = fixture().await;
    for (creds, target) in cases(&f.fake) {
        f.fake.set_fault(target, Fault::ServerError(500), Some(1));
        let r = f.check(&creds).await;
        assert_named(&r, Status::Ok, None);
        assert_eq!(attempts(&r, path_of(target))[0], (1, Some(500)));

        f.fake.set_fault(target, Fault::ServerError(503), None);
        let r = f.check(&creds).await;
        f.fake.clear_faults();
        assert_named(&r, Status::ServerError, None);
        assert_eq!(attempts(&r, path_of(target)).len(), 3, "{r:#?}");
    }
}

#[tokio::test]
async fn a_hanging_server_times_out_at_the_deadline() {
    let f = fixture_with_deadline(2).await;
    for (creds, target) in cases(&f.fake) {
        f.fake.set_fault(target, Fault::Hang, None);
        let r = f.check(&creds).await;
        f.fake.clear_faults();
        assert_named(&r, Status::Timeout, Some("timeout"));
        assert_eq!(attempts(&r, path_of(target)), [(1, None)], "{r:#?}");
    }
}

#[tokio::test]
async fn a_reset_connection_is_retried_then_named() {
    let f = fixture().await;
    for (creds, target) in cases(&f.fake) {
        f.fake.set_fault(target, Fault::Reset, Some(1));
        let r = f.check(&creds).await;
        assert_named(&r, Status::Ok, None);
        assert_eq!(attempts(&r, path_of(target))[0], (1, None), "{r:#?}");

        f.fake.set_fault(target, Fault::Reset, None);
        let r = f.check(&creds).await;
        f.fake.clear_faults();
        assert_named(&r, Status::Unreachable, Some("connection_reset"));
        assert_eq!(attempts(&r, path_of(target)).len(), 3, "{r:#?}");
    }
}

#[tokio::test]
async fn a_malformed_body_is_an_unexpected_response() {
    let f = fixture().await;
    for (creds, target) in cases(&f.fake) {
        f.fake.set_fault(target, Fault::MalformedBody, None);
        let r = f.check(&creds).await;
        f.fake.clear_faults();
        assert_named(&r, Status::UnexpectedResponse, None);
    }
    // The enrichment steps too.
    let c = f.fake.creds().clone();
    f.fake
        .set_fault(Target::AzureArm, Fault::MalformedBody, None);
    let r = f
        .check(&azure(
            &c.azure_tenant_id,
            &c.azure_client_id,
            &c.azure_client_secret,
            None,
        ))
        .await;
    assert_named(&r, Status::UnexpectedResponse, None);
    f.fake.set_fault(Target::GcpCrm, Fault::MalformedBody, None);
    let r = f.check(&gcp(&c.gcp_key_json, None)).await;
    assert_named(&r, Status::UnexpectedResponse, None);
    // A broken whoami never fails the HuggingFace check.
    f.fake
        .set_fault(Target::HfWhoami, Fault::MalformedBody, None);
    let r = f.check(&hf(&c.hf_token)).await;
    assert_named(&r, Status::Ok, None);
    assert!(r.summary.contains("Identity unavailable"), "{r:#?}");
}

#[tokio::test]
async fn redirects_are_not_followed_and_name_only_the_host() {
    let f = fixture().await;
    for (creds, target) in cases(&f.fake) {
        let before = f.fake.request_count(target);
        f.fake.set_fault(
            target,
            Fault::Redirect("https://login.example.invalid/sso?session=canary-query".into()),
            None,
        );
        let r = f.check(&creds).await;
        f.fake.clear_faults();
        assert_named(&r, Status::UnexpectedResponse, None);
        assert!(r.summary.contains("login.example.invalid"), "{r:#?}");
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("canary-query"), "{json}");
        assert_eq!(f.fake.request_count(target), before + 1);
    }
}

#[tokio::test]
async fn credentials_errors_are_never_retried() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    let before = f.fake.request_count(Target::HfModels);
    let r = f.check(&hf(&c.hf_token_revoked)).await;
    assert_named(&r, Status::InvalidCredentials, None);
    assert_eq!(f.fake.request_count(Target::HfModels), before + 1);

    let r = f.check(&lambda(&c.lambda_api_key_inactive)).await;
    assert_eq!(attempts(&r, "/lambda/"), [(1, Some(403))], "{r:#?}");

    let wrong = c.aws_secret_access_key.chars().rev().collect::<String>();
    let r = f.check(&aws(&c.aws_access_key_id, &wrong, None)).await;
    assert_eq!(attempts(&r, "/aws/").len(), 1, "{r:#?}");
}

#[tokio::test]
async fn latency_within_the_deadline_still_succeeds() {
    let f = fixture().await;
    f.fake.set_fault(
        Target::Lambda,
        Fault::Latency(Duration::from_millis(300)),
        None,
    );
    let r = f.check(&lambda(&f.fake.creds().lambda_api_key)).await;
    assert_named(&r, Status::Ok, None);
}

fn hf_at(endpoint: &str, token: &str) -> Credentials {
    creds(
        ProviderId::HUGGINGFACE,
        &[("token", token), ("endpoint", endpoint)],
    )
}

#[tokio::test]
async fn refused_connections_dns_failures_and_tls_failures_are_named() {
    let f = fixture().await;
    let token = f.fake.creds().hf_token.clone();

    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    // The credential's own endpoint wins over HF_ENDPOINT (which points at the fake).
    let r = f
        .check(&hf_at(&format!("http://127.0.0.1:{port}"), &token))
        .await;
    assert_named(&r, Status::Unreachable, Some("connection_refused"));

    let r = f.check(&hf_at("https://hub.example.invalid", &token)).await;
    assert_named(&r, Status::Unreachable, Some("dns_failure"));
    assert!(r.summary.contains("hub.example.invalid"));

    let tls = f.fake.base_url().replace("http://", "https://") + "/hf";
    let r = f.check(&hf_at(&tls, &token)).await;
    assert_named(&r, Status::TlsError, Some("tls_error"));
}

#[tokio::test]
async fn plain_http_to_another_host_is_refused_before_any_request() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    let r = f
        .check(&hf_at("http://hub.example.invalid", &c.hf_token))
        .await;
    assert_named(&r, Status::InvalidInput, None);
    assert!(r.requests.is_empty());

    // Also when the override comes from the environment.
    let ctx = context(
        Env::from_pairs([("AWS_ENDPOINT_URL", "http://sts.example.invalid")]),
        2,
    );
    let r = cloudcreds_core::check(
        &aws(&c.aws_access_key_id, &c.aws_secret_access_key, None),
        &ctx,
    )
    .await;
    assert_named(&r, Status::InvalidInput, None);
    assert!(r.requests.is_empty());
}

#[tokio::test]
async fn https_proxy_is_used_except_for_loopback() {
    let f = fixture().await;
    let token = f.fake.creds().hf_token.clone();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let env = Env::from_pairs([("HTTPS_PROXY", format!("http://127.0.0.1:{port}"))]);
    let ctx = context(env, 2);
    // A remote host goes through the (refusing) proxy: no DNS lookup of its own.
    let r = cloudcreds_core::check(&hf_at("https://hub.example.invalid", &token), &ctx).await;
    assert_named(&r, Status::Unreachable, Some("connection_refused"));
    // Loopback goes direct: the fake's plain port answers the TLS handshake badly.
    let tls = f.fake.base_url().replace("http://", "https://") + "/hf";
    let r = cloudcreds_core::check(&hf_at(&tls, &token), &ctx).await;
    assert_named(&r, Status::TlsError, None);
}
