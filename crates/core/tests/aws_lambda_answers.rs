//! AWS and Lambda Cloud answers read the way the providers' own SDKs read them, against
//! fake-clouds: partitions, the signing region, opt-in regions, the 15-minute clock window,
//! AccessDenied, Lambda's documented codes and 429, a 408 naming its host, and oversized
//! input refused before any request.

mod common;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use cloudcreds_core::check::dns::{Name, Resolve, Resolving};
use cloudcreds_core::{CheckContext, Env, ProviderId, Status};
use common::*;
use fake_clouds::{Fault, Target};

/// Resolves every name to 127.0.0.1, so a test can use an AWS-shaped host name that
/// still reaches the fake (plain http is allowed to `*.localhost` only).
struct AllLoopback;

impl Resolve for AllLoopback {
    fn resolve(&self, _name: Name) -> Resolving {
        Box::pin(async {
            let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
            Ok(Box::new(std::iter::once(addr)) as Box<dyn Iterator<Item = SocketAddr> + Send>)
        })
    }
}

fn aws_at(
    id: &str,
    secret: &str,
    region: &str,
    endpoint: Option<&str>,
) -> cloudcreds_core::Credentials {
    let mut c = aws(id, secret, None);
    c.set("region", region.to_string()).unwrap();
    if let Some(e) = endpoint {
        c.set("sts_endpoint", e.to_string()).unwrap();
    }
    c
}

#[tokio::test]
async fn each_partition_gets_its_own_sts_host() {
    // No endpoint override and no DNS: the report still records which host was asked.
    let ctx = context(Env::empty(), 5);
    for (region, host) in [
        ("us-iso-east-1", "https://sts.us-iso-east-1.c2s.ic.gov/"),
        (
            "us-isob-east-1",
            "https://sts.us-isob-east-1.sc2s.sgov.gov/",
        ),
        (
            "eu-isoe-west-1",
            "https://sts.eu-isoe-west-1.cloud.adc-e.uk/",
        ),
        (
            "us-isof-south-1",
            "https://sts.us-isof-south-1.csp.hci.ic.gov/",
        ),
        ("eusc-de-east-1", "https://sts.eusc-de-east-1.amazonaws.eu/"),
        ("cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn/"),
        ("us-gov-west-1", "https://sts.us-gov-west-1.amazonaws.com/"),
    ] {
        let creds = aws_at(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            region,
            None,
        );
        let r = cloudcreds_core::check(&creds, &ctx).await;
        assert_eq!(r.status, Status::Unreachable, "{region}: {r:#?}");
        assert_eq!(r.requests.len(), 1, "{region}: {r:#?}");
        assert_eq!(r.requests[0].url, host, "{region}");
    }
}

#[tokio::test]
async fn a_sovereign_cloud_region_is_signed_for_not_refused() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    let endpoint = f.fake.aws_sts_regional_endpoint("eusc-de-east-1");
    let r = f
        .check(&aws_at(
            &c.aws_access_key_id,
            &c.aws_secret_access_key,
            "eusc-de-east-1",
            Some(&endpoint),
        ))
        .await;
    // The fake accepted the credential scope (no SignatureDoesNotMatch); the commercial
    // test key simply does not exist in the aws-eusc partition.
    assert_named(&r, Status::InvalidCredentials, Some("InvalidClientTokenId"));
    assert_eq!(r.requests.len(), 1);
    assert!(r.hint.as_deref().unwrap().contains("aws-eusc"), "{r:#?}");
}

#[tokio::test]
async fn a_signing_region_the_endpoint_does_not_serve_is_named_as_a_mismatch() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    // AWS_ENDPOINT_URL_STS (from the fixture's env) is the fake's us-east-1 endpoint.
    let r = f
        .check(&aws_at(
            &c.aws_access_key_id,
            &c.aws_secret_access_key,
            "eu-west-1",
            None,
        ))
        .await;
    assert_named(&r, Status::InvalidInput, Some("SignatureDoesNotMatch"));
    assert!(
        r.summary
            .contains("signing region and the STS endpoint disagree"),
        "{r:#?}"
    );
    assert!(r.summary.contains("eu-west-1"), "{r:#?}");
    assert!(r.summary.contains(&f.fake.addr().to_string()), "{r:#?}");
    assert!(!r.summary.contains("secret access key"), "{r:#?}");
    assert!(
        r.hint.as_deref().unwrap().contains("AWS_ENDPOINT_URL_STS"),
        "{r:#?}"
    );

    // The same key signed for the region the endpoint serves works.
    let endpoint = f.fake.aws_sts_regional_endpoint("eu-west-1");
    let r = f
        .check(&aws_at(
            &c.aws_access_key_id,
            &c.aws_secret_access_key,
            "eu-west-1",
            Some(&endpoint),
        ))
        .await;
    assert_named(&r, Status::Ok, None);
}

#[tokio::test]
async fn an_endpoint_host_that_names_a_region_decides_the_signing_region() {
    let fake = fake_clouds::FakeClouds::start().await.unwrap();
    let c = fake.creds().clone();
    let ctx = CheckContext::with_dns_resolver(Env::empty(), options(5), Arc::new(AllLoopback));
    let endpoint = format!(
        "http://sts.eu-west-1.amazonaws.com.localhost:{}/aws/eu-west-1",
        fake.addr().port()
    );
    // The region setting says us-east-1; the host says eu-west-1, and wins.
    let creds = aws_at(
        &c.aws_access_key_id,
        &c.aws_secret_access_key,
        "us-east-1",
        Some(&endpoint),
    );
    let r = cloudcreds_core::check(&creds, &ctx).await;
    assert_named(&r, Status::Ok, None);
    assert_eq!(identity(&r, "region"), Some("eu-west-1"), "{r:#?}");
}

#[tokio::test]
async fn an_unknown_key_in_an_opt_in_region_suggests_the_region_is_not_enabled() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    for region in ["ap-east-1", "eu-south-1"] {
        let endpoint = f.fake.aws_sts_regional_endpoint(region);
        let r = f
            .check(&aws_at(
                &c.aws_access_key_id,
                &c.aws_secret_access_key,
                region,
                Some(&endpoint),
            ))
            .await;
        assert_named(&r, Status::InvalidCredentials, Some("InvalidClientTokenId"));
        assert!(r.summary.contains("may not be enabled"), "{r:#?}");
        assert!(r.hint.as_deref().unwrap().contains("us-east-1"), "{r:#?}");
    }
}

#[tokio::test]
async fn the_clock_window_is_fifteen_minutes() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    let key = aws(&c.aws_access_key_id, &c.aws_secret_access_key, None);
    f.fake.set_clock_skew(10 * 60);
    assert_named(&f.check(&key).await, Status::Ok, None);
    f.fake.set_clock_skew(-10 * 60);
    assert_named(&f.check(&key).await, Status::Ok, None);
    f.fake.set_clock_skew(20 * 60);
    let r = f.check(&key).await;
    assert_named(
        &r,
        Status::ExpiredCredentials,
        Some("SignatureDoesNotMatch"),
    );
    assert!(r.summary.contains("15 minutes"), "{r:#?}");
}

#[tokio::test]
async fn access_denied_is_not_blamed_on_iam() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    let endpoint = f.fake.aws_sts_denying_vpce_endpoint();
    let r = f
        .check(&aws_at(
            &c.aws_access_key_id,
            &c.aws_secret_access_key,
            "us-east-1",
            Some(&endpoint),
        ))
        .await;
    assert_named(&r, Status::PermissionDenied, Some("AccessDenied"));
    assert!(r.summary.contains("no IAM policy can deny"), "{r:#?}");
    assert!(
        r.hint.as_deref().unwrap().contains("VPC endpoint policy"),
        "{r:#?}"
    );
}

#[tokio::test]
async fn lambda_429_is_read_by_status_and_408_names_the_host() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    f.fake.set_fault(
        Target::Lambda,
        Fault::TooManyRequests {
            retry_after_secs: 0,
        },
        None,
    );
    let r = f.check(&lambda(&c.lambda_api_key)).await;
    assert_named(&r, Status::RateLimited, Some("HTTP 429"));

    f.fake
        .set_fault(Target::Lambda, Fault::BareStatus(408), None);
    let r = f.check(&lambda(&c.lambda_api_key)).await;
    assert_named(&r, Status::Timeout, Some("HTTP 408"));
    assert!(r.summary.contains(&f.fake.addr().to_string()), "{r:#?}");
}

/// A complete, valid set of credentials for `id` (from the fake's own).
fn valid(id: ProviderId, c: &fake_clouds::TestCredentials) -> cloudcreds_core::Credentials {
    match id.as_str() {
        "huggingface" => hf(&c.hf_token),
        "lambda" => lambda(&c.lambda_api_key),
        "aws" => aws(&c.aws_access_key_id, &c.aws_secret_access_key, None),
        "azure" => azure(
            &c.azure_tenant_id,
            &c.azure_client_id,
            &c.azure_client_secret,
            None,
        ),
        "gcp" => gcp(&c.gcp_key_json, None),
        "modal" => creds(
            ProviderId::MODAL,
            &[
                ("token_id", &c.modal_token_id),
                ("token_secret", &c.modal_token_secret),
            ],
        ),
        other => panic!("add valid fake credentials for {other} here"),
    }
}

#[tokio::test]
async fn oversized_values_are_refused_before_any_request_for_every_provider() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    for info in cloudcreds_core::providers::all() {
        for field in info.fields {
            let limit = if field.kind == cloudcreds_core::FieldKind::SecretDocument {
                64 * 1024
            } else {
                16 * 1024
            };
            let mut creds = valid(info.id, &c);
            creds.set(field.name, "x".repeat(limit + 1)).unwrap();
            let r = f.check(&creds).await;
            let at = format!("{:?}.{}", info.id, field.name);
            assert_eq!(r.status, Status::InvalidInput, "{at}: {r:#?}");
            assert!(r.requests.is_empty(), "{at}: {r:#?}");
            assert!(r.summary.starts_with(field.label), "{at}: {r:#?}");
            assert!(
                r.summary.contains(&format!("{} bytes", limit + 1)),
                "{at}: {r:#?}"
            );
            assert!(
                r.summary.contains(&format!("{} KiB", limit / 1024)),
                "{at}: {r:#?}"
            );
        }
    }
    // The case from the issue: a 120 KB token.
    let r = f.check(&hf(&format!("hf_{}", "a".repeat(120_000)))).await;
    assert_named(&r, Status::InvalidInput, None);
    assert!(r.summary.contains("120003 bytes"), "{r:#?}");
    assert!(r.requests.is_empty());
}
