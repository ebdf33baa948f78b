//! The fake STS as real STS behaves per endpoint: each endpoint takes one region in the
//! credential scope, opt-in regions the account has not enabled know no key, the clock
//! window is 15 minutes, and the denying VPC endpoint answers AccessDenied. Lambda Cloud
//! answers only with the error codes its OpenAPI document lists.

mod common;

use std::time::{Duration, SystemTime};

use common::*;
use fake_clouds::{FakeClouds, Fault, Target};

#[tokio::test]
async fn each_endpoint_accepts_only_its_own_region_in_the_scope() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let now = SystemTime::now();
    let global = fake.aws_sts_endpoint();
    let ireland = fake.aws_sts_regional_endpoint("eu-west-1");
    for (endpoint, region, want) in [
        (&global, "us-east-1", 200),
        (&global, "eu-west-1", 403),
        (&ireland, "eu-west-1", 200),
        (&ireland, "us-east-1", 403),
    ] {
        let (status, xml) = call_sts_at(
            endpoint,
            region,
            &c.aws_access_key_id,
            &c.aws_secret_access_key,
            now,
        )
        .await;
        assert_eq!(status, want, "{endpoint} signed for {region}: {xml}");
        if want == 403 {
            assert_eq!(sts_code(&xml), "SignatureDoesNotMatch");
            assert!(
                xml.contains("<Message>Credential should be scoped to a valid region. </Message>"),
                "{xml}"
            );
        }
    }
}

#[tokio::test]
async fn opt_in_regions_the_account_has_not_enabled_know_no_key() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    for region in ["ap-east-1", "eu-south-1", "eusc-de-east-1"] {
        let (status, xml) = call_sts_at(
            &fake.aws_sts_regional_endpoint(region),
            region,
            &c.aws_access_key_id,
            &c.aws_secret_access_key,
            SystemTime::now(),
        )
        .await;
        assert_eq!(
            (status, sts_code(&xml)),
            (403, "InvalidClientTokenId"),
            "{region}: {xml}"
        );
    }
}

#[tokio::test]
async fn the_signature_is_valid_for_fifteen_minutes_either_way() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let endpoint = fake.aws_sts_endpoint();
    let now = SystemTime::now();
    let minutes = |m: u64| Duration::from_secs(m * 60);
    for (time, want) in [
        (now - minutes(14), 200),
        (now + minutes(14), 200),
        (now - minutes(16), 403),
        (now + minutes(16), 403),
    ] {
        let (status, xml) = call_sts_at(
            &endpoint,
            "us-east-1",
            &c.aws_access_key_id,
            &c.aws_secret_access_key,
            time,
        )
        .await;
        assert_eq!(status, want, "{xml}");
        if want == 403 {
            assert!(xml.contains("15 min."), "{xml}");
        }
    }
}

#[tokio::test]
async fn the_denying_vpc_endpoint_answers_access_denied_to_a_valid_signature() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let endpoint = fake.aws_sts_denying_vpce_endpoint();
    let (status, xml) = call_sts_at(
        &endpoint,
        "us-east-1",
        &c.aws_access_key_id,
        &c.aws_secret_access_key,
        SystemTime::now(),
    )
    .await;
    assert_eq!((status, sts_code(&xml)), (403, "AccessDenied"), "{xml}");
    assert!(xml.contains("no VPC endpoint policy allows"), "{xml}");
    // A wrong secret is refused as such before any policy is consulted.
    let (_, xml) = call_sts_at(
        &endpoint,
        "us-east-1",
        &c.aws_access_key_id,
        &"x".repeat(40),
        SystemTime::now(),
    )
    .await;
    assert_eq!(sts_code(&xml), "SignatureDoesNotMatch", "{xml}");
}

/// The `ErrorCode` enum of Lambda's OpenAPI document, plus the documented 500 body's code.
const LAMBDA_CODES: &[&str] = &[
    "global/unknown",
    "global/invalid-api-key",
    "global/account-inactive",
    "global/invalid-address",
    "global/invalid-parameters",
    "global/object-does-not-exist",
    "global/quota-exceeded",
    "global/internal-error",
];

#[tokio::test]
async fn lambda_answers_only_with_documented_codes_and_429_has_no_made_up_one() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let url = format!("{}/api/v1/instance-types", fake.lambda_endpoint());
    let mut codes = Vec::new();
    for key in [
        "secret_wrong_0123456789abcdef",
        c.lambda_api_key_inactive.as_str(),
    ] {
        codes.push(get_json(&url, Some(key)).await.1["error"]["code"].clone());
    }
    for status in [500, 503] {
        fake.set_fault(Target::Lambda, Fault::ServerError(status), Some(1));
        codes.push(get_json(&url, Some(&c.lambda_api_key)).await.1["error"]["code"].clone());
    }
    for code in codes {
        let code = code.as_str().expect("a code");
        assert!(LAMBDA_CODES.contains(&code), "{code}");
    }

    fake.set_fault(
        Target::Lambda,
        Fault::TooManyRequests {
            retry_after_secs: 1,
        },
        Some(1),
    );
    let response = client()
        .get(&url)
        .bearer_auth(&c.lambda_api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    let body = response.text().await.unwrap();
    assert!(!body.contains("global/"), "{body}");

    fake.set_fault(Target::Lambda, Fault::BareStatus(408), Some(1));
    let response = client()
        .get(&url)
        .bearer_auth(&c.lambda_api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 408);
    assert!(response.text().await.unwrap().is_empty());
}
