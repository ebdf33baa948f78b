//! Fault injection behaves as promised: n-times faults then normal service, provider-shaped
//! 429/5xx bodies, resets without a response, hangs without an answer, redirects.

mod common;

use std::time::Duration;

use common::*;
use fake_clouds::{FakeClouds, Fault, Target};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[tokio::test]
async fn faults_apply_n_times_then_service_is_normal() {
    let fake = FakeClouds::start().await.unwrap();
    let models = format!("{}/api/models?limit=1", fake.hf_endpoint());
    fake.set_fault(
        Target::HfModels,
        Fault::TooManyRequests {
            retry_after_secs: 7,
        },
        Some(2),
    );

    for _ in 0..2 {
        let response = client().get(&models).send().await.unwrap();
        assert_eq!(response.status(), 429);
        assert_eq!(response.headers()["retry-after"], "7");
    }
    assert_eq!(client().get(&models).send().await.unwrap().status(), 200);
    assert_eq!(fake.request_count(Target::HfModels), 3);
    assert_eq!(fake.request_count(Target::HfWhoami), 0);

    fake.set_fault(Target::Lambda, Fault::ServerError(503), None);
    let url = format!("{}/api/v1/instance-types", fake.lambda_endpoint());
    for _ in 0..3 {
        let (status, body) = get_json(&url, Some(&fake.creds().lambda_api_key)).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (503, Some("global/internal-error"))
        );
    }
    fake.clear_faults();
    assert_eq!(
        get_json(&url, Some(&fake.creds().lambda_api_key)).await.0,
        200
    );

    fake.set_fault(
        Target::Lambda,
        Fault::Latency(Duration::from_millis(20)),
        Some(1),
    );
    assert_eq!(
        get_json(&url, Some(&fake.creds().lambda_api_key)).await.0,
        200
    );
}

#[tokio::test]
async fn aws_throttling_is_a_400_with_code_throttling() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    fake.set_fault(
        Target::AwsSts,
        Fault::TooManyRequests {
            retry_after_secs: 1,
        },
        Some(1),
    );
    let now = std::time::SystemTime::now();
    let (status, xml) = call_sts(
        &fake,
        &c.aws_access_key_id,
        &c.aws_secret_access_key,
        None,
        now,
        STS_BODY,
    )
    .await;
    assert_eq!((status, sts_code(&xml)), (400, "Throttling"));
    assert!(xml.contains("<Message>Rate exceeded</Message>"));
}

#[tokio::test]
async fn malformed_body_and_redirect() {
    let fake = FakeClouds::start().await.unwrap();
    let url = format!("{}/v1/projects/x", fake.gcp_crm_endpoint());
    fake.set_fault(Target::GcpCrm, Fault::MalformedBody, Some(1));
    let response = client().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err());

    fake.set_fault(
        Target::GcpCrm,
        Fault::Redirect("https://evil.invalid/x".into()),
        Some(1),
    );
    let response = client().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "https://evil.invalid/x");
}

async fn raw_request(fake: &FakeClouds, path: &str) -> TcpStream {
    let mut stream = TcpStream::connect(fake.addr()).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", fake.addr());
    stream.write_all(request.as_bytes()).await.unwrap();
    stream
}

#[tokio::test]
async fn reset_closes_the_connection_without_a_response() {
    let fake = FakeClouds::start().await.unwrap();
    fake.set_fault(Target::HfModels, Fault::Reset, Some(1));
    let mut stream = raw_request(&fake, "/hf/api/models?limit=1").await;
    let mut received = Vec::new();
    let result = stream.read_to_end(&mut received).await;
    assert!(
        received.is_empty(),
        "got a response: {}",
        String::from_utf8_lossy(&received)
    );
    let error = result.expect_err("an RST, not an orderly close");
    assert_eq!(error.kind(), std::io::ErrorKind::ConnectionReset);

    // Through an HTTP client: an error, and then normal service.
    fake.set_fault(Target::HfModels, Fault::Reset, Some(1));
    let models = format!("{}/api/models?limit=1", fake.hf_endpoint());
    assert!(client().get(&models).send().await.is_err());
    assert_eq!(client().get(&models).send().await.unwrap().status(), 200);
    assert_eq!(fake.request_count(Target::HfModels), 3);
}

#[tokio::test]
async fn hang_never_answers() {
    let fake = FakeClouds::start().await.unwrap();
    fake.set_fault(Target::AzureArm, Fault::Hang, None);
    fake.set_fault(Target::AzureToken, Fault::Hang, None);
    let mut stream = raw_request(&fake, "/azure-arm/subscriptions?api-version=2022-12-01").await;
    let mut buf = [0u8; 64];
    let read = tokio::time::timeout(Duration::from_millis(300), stream.read(&mut buf)).await;
    assert!(read.is_err(), "the fake answered or closed: {read:?}");

    let _ = client(); // installs the TLS provider reqwest wants even for plain HTTP
    let short = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let url = format!("{}/t/oauth2/v2.0/token", fake.azure_authority());
    let error = short
        .post(&url)
        .body("")
        .send()
        .await
        .expect_err("no answer");
    assert!(error.is_timeout(), "{error}");
}

#[tokio::test]
async fn dropping_the_fake_stops_the_server() {
    let fake = FakeClouds::start().await.unwrap();
    let addr = fake.addr();
    drop(fake);
    // The accept task is aborted; give the runtime a moment to drop it.
    for _ in 0..200 {
        if TcpStream::connect(addr).await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("still accepting after drop");
}
