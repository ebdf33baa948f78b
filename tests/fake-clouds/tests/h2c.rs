//! The one port speaks HTTP/1.1 and HTTP/2 with prior knowledge (h2c, as gRPC clients do
//! over plain TCP), and faults still apply to HTTP/2 requests.

mod common;

use std::time::Duration;

use common::*;
use fake_clouds::{FakeClouds, Fault, Target};

fn h2c_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .http2_prior_knowledge()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

#[tokio::test]
async fn http2_prior_knowledge_and_http1_are_both_answered_on_the_same_port() {
    let fake = FakeClouds::start().await.unwrap();
    let url = format!("{}/api/whoami-v2", fake.hf_endpoint());

    let response = h2c_client()
        .get(&url)
        .bearer_auth(&fake.creds().hf_token)
        .send()
        .await
        .expect("an HTTP/2 prior-knowledge request is answered");
    assert_eq!(response.version(), reqwest::Version::HTTP_2);
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(body["auth"]["accessToken"]["role"], "write");

    let response = client()
        .get(&url)
        .bearer_auth(&fake.creds().hf_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.version(), reqwest::Version::HTTP_11);
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_reset_fault_breaks_an_http2_request_without_an_answer_then_service_resumes() {
    let fake = FakeClouds::start().await.unwrap();
    let url = format!("{}/api/models?limit=1", fake.hf_endpoint());
    fake.set_fault(Target::HfModels, Fault::Reset, Some(1));

    let failed = h2c_client().get(&url).send().await;
    assert!(
        failed.is_err(),
        "a reset connection gives no response: {failed:?}"
    );

    let response = h2c_client().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(fake.request_count(Target::HfModels), 2);
}
