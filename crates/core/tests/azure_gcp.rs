//! Azure and GCP checks agree with the providers' own SDKs: the authority hosts and
//! audiences they use, and the errors they name, exercised against fake-clouds.

mod common;

use cloudcreds_core::{Env, Status};
use common::*;
use fake_clouds::Target;

/// The fake's environment with `changes` applied (`None` removes the variable).
fn env_with(f: &Fixture, changes: &[(&str, Option<&str>)]) -> Env {
    let mut pairs = f.fake.env();
    for (name, value) in changes {
        pairs.retain(|(k, _)| k != name);
        if let Some(v) = value {
            pairs.push((name.to_string(), v.to_string()));
        }
    }
    Env::from_pairs(pairs)
}

#[tokio::test]
async fn azure_bare_authority_host_is_used_as_https_like_azure_identity() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    let ctx = context(
        env_with(
            &f,
            &[
                ("AZURE_AUTHORITY_HOST", Some("login.microsoftonline.us")),
                ("CLOUDCREDS_AZURE_ARM_ENDPOINT", None),
            ],
        ),
        5,
    );
    let creds = azure(
        &c.azure_tenant_id,
        &c.azure_client_id,
        &c.azure_client_secret,
        None,
    );
    let r = cloudcreds_core::check(&creds, &ctx).await;
    // Accepted as input; the tests' resolver knows no name, so the sign-in is unreachable.
    assert_ne!(r.status, Status::InvalidInput, "{r:#?}");
    assert_eq!(r.status, Status::Unreachable, "{r:#?}");
    assert!(
        r.requests[0].url.starts_with(&format!(
            "https://login.microsoftonline.us/{}/oauth2/v2.0/token",
            c.azure_tenant_id
        )),
        "{r:#?}"
    );
}

#[tokio::test]
async fn azure_loopback_authority_without_resource_manager_endpoint_names_the_variable() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    let ctx = context(env_with(&f, &[("CLOUDCREDS_AZURE_ARM_ENDPOINT", None)]), 5);
    let creds = azure(
        &c.azure_tenant_id,
        &c.azure_client_id,
        &c.azure_client_secret,
        None,
    );
    let before = f.fake.request_count(Target::AzureToken);
    let r = cloudcreds_core::check(&creds, &ctx).await;
    assert_named(&r, Status::NotConfigured, None);
    assert!(
        r.hint
            .as_deref()
            .unwrap()
            .contains("CLOUDCREDS_AZURE_ARM_ENDPOINT"),
        "{r:#?}"
    );
    assert_eq!(f.fake.request_count(Target::AzureToken), before);

    // The profile's own field is enough.
    let mut creds = creds;
    creds
        .set("arm_endpoint", f.fake.azure_arm_endpoint())
        .unwrap();
    let r = cloudcreds_core::check(&creds, &ctx).await;
    assert_named(&r, Status::Ok, None);
}

#[tokio::test]
async fn azure_app_without_service_principal_is_told_to_create_one() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    let r = f
        .check(&azure(
            &c.azure_tenant_id,
            &c.azure_client_id_no_sp,
            &c.azure_client_secret_no_sp,
            None,
        ))
        .await;
    assert_named(&r, Status::PermissionDenied, Some("AADSTS7000229"));
    let hint = r.hint.unwrap();
    assert!(
        hint.contains(&format!("az ad sp create --id {}", c.azure_client_id_no_sp)),
        "{hint}"
    );
}

#[tokio::test]
async fn azure_subscription_of_another_tenant_names_that_tenant() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    let r = f
        .check(&azure(
            &c.azure_tenant_id,
            &c.azure_client_id,
            &c.azure_client_secret,
            Some(&c.azure_other_tenant_subscription_id),
        ))
        .await;
    assert_named(
        &r,
        Status::NotFound,
        Some("InvalidAuthenticationTokenTenant"),
    );
    assert!(r.summary.contains(&c.azure_other_tenant_id), "{r:#?}");
    assert!(r
        .hint
        .unwrap()
        .contains(&format!("tenant ID to {}", c.azure_other_tenant_id)));
}

#[tokio::test]
async fn gcp_assertion_is_signed_for_googles_token_endpoint_and_posted_to_token_uri() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    // The fake accepts only aud=https://oauth2.googleapis.com/token, POSTed to its own URL.
    let r = f.check(&gcp(&c.gcp_key_json, None)).await;
    assert_named(&r, Status::Ok, None);
    assert!(
        r.requests[0].url.starts_with(&f.fake.gcp_token_uri()),
        "{r:#?}"
    );
}

#[tokio::test]
async fn gcp_key_of_another_universe_gets_a_clear_answer() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    let other = c.gcp_key_json.replace(
        r#""universe_domain": "googleapis.com""#,
        r#""universe_domain": "apis-tpczero.goog""#,
    );
    assert_ne!(other, c.gcp_key_json, "the key names its universe");
    let before = f.fake.request_count(Target::GcpToken);
    let r = f.check(&gcp(&other, None)).await;
    assert_named(&r, Status::NotConfigured, None);
    assert!(r.summary.contains("'apis-tpczero.goog'"), "{r:#?}");
    assert!(r.summary.contains("googleapis.com"), "{r:#?}");
    assert_eq!(f.fake.request_count(Target::GcpToken), before);

    // With that universe's endpoints set, the check goes ahead.
    let mut creds = gcp(&other, None);
    creds.set("token_uri", f.fake.gcp_token_uri()).unwrap();
    let r = f.check(&creds).await;
    assert_named(&r, Status::Ok, None);
}

#[tokio::test]
async fn gcp_service_disabled_names_the_consumer_project() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    let r = f
        .check(&gcp(&c.gcp_key_json, Some(&c.gcp_project_service_disabled)))
        .await;
    assert_named(&r, Status::PermissionDenied, Some("SERVICE_DISABLED"));
    let consumer = r
        .summary
        .split_whitespace()
        .find(|w| w.starts_with("projects/"))
        .map(|w| w.trim_end_matches([',', '.']).to_string())
        .unwrap_or_else(|| panic!("no consumer project named: {r:#?}"));
    assert!(
        consumer["projects/".len()..]
            .chars()
            .all(|c| c.is_ascii_digit()),
        "{consumer}"
    );
    assert!(
        r.summary.contains(&c.gcp_project_service_disabled),
        "{r:#?}"
    );
    let hint = r.hint.unwrap();
    assert!(hint.contains(&consumer), "{hint}");
    assert!(
        hint.contains("https://console.developers.google.com/apis/api/cloudresourcemanager.googleapis.com/overview?project="),
        "{hint}"
    );
}
