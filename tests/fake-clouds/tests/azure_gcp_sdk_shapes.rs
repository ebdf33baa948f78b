//! The Azure and GCP fakes accept what the providers' own SDKs send and refuse the rest
//! with the providers' real bodies: google-auth's JWT-bearer grant, an app without a
//! service principal, a subscription of another tenant.

mod common;

use common::*;
use fake_clouds::FakeClouds;
use serde_json::Value;

/// The form google-auth `google/oauth2/_client.py` `jwt_grant` POSTs, in its order.
async fn google_auth_grant(fake: &FakeClouds, assertion: &str) -> (u16, Value) {
    post_form(
        &fake.gcp_token_uri(),
        &[
            ("assertion", assertion),
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        ],
    )
    .await
}

#[tokio::test]
async fn gcp_token_endpoint_takes_google_auths_audience_and_refuses_any_other() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let now = unix_now();

    // POSTed to the key's token_uri (the fake), signed for Google's token endpoint.
    let (status, body) = google_auth_grant(
        &fake,
        &assertion(&c.gcp_key_json, GOOGLE_TOKEN_AUDIENCE, now),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["access_token"].as_str().unwrap().starts_with("ya29."));

    for aud in [
        fake.gcp_token_uri(),
        "https://www.googleapis.com/oauth2/v4/token".to_string(),
        String::new(),
    ] {
        let (status, body) = google_auth_grant(&fake, &assertion(&c.gcp_key_json, &aud, now)).await;
        assert_eq!(status, 400, "{aud}: {body}");
        assert_eq!(body["error"], "invalid_grant", "{aud}");
        assert_eq!(
            body["error_description"], "Invalid JWT: Failed audience check.",
            "{aud}"
        );
    }
}

async fn azure_token(fake: &FakeClouds, tenant: &str, id: &str, secret: &str) -> (u16, Value) {
    let url = format!("{}/{tenant}/oauth2/v2.0/token", fake.azure_authority());
    let scope = format!("{}/.default", fake.azure_arm_endpoint());
    post_form(
        &url,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
            ("scope", &scope),
        ],
    )
    .await
}

#[tokio::test]
async fn azure_app_without_service_principal_gets_aadsts7000229() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let (status, body) = azure_token(
        &fake,
        &c.azure_tenant_id,
        &c.azure_client_id_no_sp,
        &c.azure_client_secret_no_sp,
    )
    .await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(body["error_codes"][0], 7000229);
    let description = body["error_description"].as_str().unwrap();
    assert!(description.starts_with(&format!(
        "AADSTS7000229: The client application {} is missing service principal in the tenant {}.",
        c.azure_client_id_no_sp, c.azure_tenant_id
    )));
}

#[tokio::test]
async fn azure_subscription_of_another_tenant_names_that_tenant() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let (status, body) = azure_token(
        &fake,
        &c.azure_tenant_id,
        &c.azure_client_id,
        &c.azure_client_secret,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let token = body["access_token"].as_str().unwrap().to_string();
    let url = format!(
        "{}/subscriptions/{}?api-version=2022-12-01",
        fake.azure_arm_endpoint(),
        c.azure_other_tenant_subscription_id
    );
    let (status, body) = get_json(&url, Some(&token)).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"]["code"], "InvalidAuthenticationTokenTenant");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains(&format!(
        "It must match the tenant 'https://sts.windows.net/{}/' associated with this subscription.",
        c.azure_other_tenant_id
    )));
}
