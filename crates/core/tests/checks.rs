//! Each provider's check against fake-clouds: success with identity, and every named
//! provider error with its status, code and hint.

mod common;

use cloudcreds_core::Status;
use common::*;
use fake_clouds::Target;

#[tokio::test]
async fn huggingface_success_and_named_errors() {
    let f = fixture().await;
    let c = f.fake.creds().clone();

    let r = f.check(&hf(&c.hf_token)).await;
    assert_named(&r, Status::Ok, None);
    assert_eq!(identity(&r, "user"), Some("fake-user"), "{r:#?}");
    assert!(identity(&r, "inference providers")
        .unwrap()
        .starts_with("yes"));
    assert_eq!(r.requests.len(), 2);
    assert!(
        r.requests
            .iter()
            .any(|q| q.url.ends_with("/hf/api/models?limit=1")),
        "{r:#?}"
    );
    assert!(time::OffsetDateTime::parse(
        &r.checked_at,
        &time::format_description::well_known::Rfc3339
    )
    .is_ok());

    let r = f.check(&hf(&c.hf_token_fine_grained_no_inference)).await;
    assert_named(&r, Status::Ok, None);
    assert_eq!(identity(&r, "token role"), Some("fineGrained"));
    assert!(
        identity(&r, "inference providers")
            .unwrap()
            .starts_with("no"),
        "{r:#?}"
    );
    assert!(r.hint.as_deref().unwrap().contains("Inference Providers"));

    let r = f.check(&hf(&c.hf_token_fine_grained_inference)).await;
    assert!(
        identity(&r, "inference providers")
            .unwrap()
            .starts_with("yes"),
        "{r:#?}"
    );

    let r = f.check(&hf(&c.hf_token_whoami_rejects)).await;
    assert_named(&r, Status::Ok, None);
    assert!(r.summary.contains("Identity unavailable"), "{r:#?}");
    assert!(r.summary.contains("401"), "{r:#?}");

    let r = f.check(&hf(&c.hf_token_revoked)).await;
    assert_named(&r, Status::InvalidCredentials, None);
    assert!(r.hint.unwrap().contains("huggingface.co/settings/tokens"));

    // A pasted newline never reaches a header: refused before any request.
    let before = f.fake.request_count(Target::HfModels);
    let r = f.check(&hf(&format!("{}\n", c.hf_token))).await;
    assert_named(&r, Status::InvalidInput, None);
    assert_eq!(f.fake.request_count(Target::HfModels), before);

    let r = f.check(&hf("")).await;
    assert_named(&r, Status::NotConfigured, None);
}

#[tokio::test]
async fn lambda_success_and_named_errors() {
    let f = fixture().await;
    let c = f.fake.creds().clone();

    let r = f.check(&lambda(&c.lambda_api_key)).await;
    assert_named(&r, Status::Ok, None);
    assert!(
        identity(&r, "instance types").is_some_and(|n| n != "0"),
        "{r:#?}"
    );
    assert!(identity(&r, "with capacity now").is_some());

    let r = f.check(&lambda(&c.lambda_api_key_inactive)).await;
    assert_named(
        &r,
        Status::PermissionDenied,
        Some("global/account-inactive"),
    );

    let r = f
        .check(&lambda("secret_wrong_0123456789abcdef0123456789abcdef"))
        .await;
    assert_named(
        &r,
        Status::InvalidCredentials,
        Some("global/invalid-api-key"),
    );

    let r = f.check(&lambda("sk_not_a_lambda_key")).await;
    assert_named(&r, Status::InvalidInput, None);
    assert_eq!(r.requests.len(), 0);
}

#[tokio::test]
async fn aws_success_and_named_errors() {
    let f = fixture().await;
    let c = f.fake.creds().clone();

    let r = f
        .check(&aws(&c.aws_access_key_id, &c.aws_secret_access_key, None))
        .await;
    assert_named(&r, Status::Ok, None);
    assert_eq!(identity(&r, "account"), Some(c.aws_account_id.as_str()));
    assert_eq!(identity(&r, "arn"), Some(c.aws_user_arn.as_str()));
    assert!(identity(&r, "key type").unwrap().starts_with("long-term"));

    let r = f
        .check(&aws(
            &c.aws_temp_access_key_id,
            &c.aws_temp_secret_access_key,
            Some(&c.aws_session_token),
        ))
        .await;
    assert_named(&r, Status::Ok, None);
    assert!(
        identity(&r, "key type").unwrap().starts_with("temporary"),
        "{r:#?}"
    );

    // The fake verifies the signature: a wrong secret is refused.
    let wrong = c.aws_secret_access_key.chars().rev().collect::<String>();
    let r = f.check(&aws(&c.aws_access_key_id, &wrong, None)).await;
    assert_named(
        &r,
        Status::InvalidCredentials,
        Some("SignatureDoesNotMatch"),
    );
    assert!(r.summary.contains("secret access key"), "{r:#?}");

    let r = f
        .check(&aws("AKIAAAAAAAAAAAAAAAAA", &c.aws_secret_access_key, None))
        .await;
    assert_named(&r, Status::InvalidCredentials, Some("InvalidClientTokenId"));

    let r = f
        .check(&aws(
            &c.aws_expired_access_key_id,
            &c.aws_expired_secret_access_key,
            Some(&c.aws_expired_session_token),
        ))
        .await;
    assert_named(&r, Status::ExpiredCredentials, Some("ExpiredToken"));

    let r = f
        .check(&aws(
            &c.aws_temp_access_key_id,
            &c.aws_temp_secret_access_key,
            None,
        ))
        .await;
    assert_named(&r, Status::InvalidInput, None);
    assert!(r.summary.contains("session token"), "{r:#?}");

    f.fake.set_clock_skew(3600);
    let r = f
        .check(&aws(&c.aws_access_key_id, &c.aws_secret_access_key, None))
        .await;
    assert_named(
        &r,
        Status::ExpiredCredentials,
        Some("SignatureDoesNotMatch"),
    );
    assert!(r.summary.contains("clock"), "{r:#?}");
}

#[tokio::test]
async fn azure_success_and_named_errors() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    let ok = |tenant: &str, sub: Option<&str>| {
        azure(tenant, &c.azure_client_id, &c.azure_client_secret, sub)
    };

    let r = f
        .check(&ok(&c.azure_tenant_id, Some(&c.azure_subscription_id)))
        .await;
    assert_named(&r, Status::Ok, None);
    assert_eq!(
        identity(&r, "subscription"),
        Some(c.azure_subscription_name.as_str()),
        "{r:#?}"
    );
    assert_eq!(identity(&r, "state"), Some("Enabled"));

    let r = f.check(&ok(&c.azure_tenant_domain, None)).await;
    assert_named(&r, Status::Ok, None);
    assert!(identity(&r, "subscriptions")
        .unwrap()
        .contains(&c.azure_subscription_name));

    // The secret's ID pasted instead of its value: caught before any request.
    let before = f.fake.request_count(Target::AzureToken);
    let r = f
        .check(&azure(
            &c.azure_tenant_id,
            &c.azure_client_id,
            &c.azure_client_secret_id,
            None,
        ))
        .await;
    assert_named(&r, Status::InvalidInput, None);
    assert!(r.summary.contains("Value"), "{r:#?}");
    assert_eq!(f.fake.request_count(Target::AzureToken), before);

    let wrong = format!(
        "{}x",
        &c.azure_client_secret[..c.azure_client_secret.len() - 1]
    );
    let r = f
        .check(&azure(&c.azure_tenant_id, &c.azure_client_id, &wrong, None))
        .await;
    assert_named(&r, Status::InvalidCredentials, Some("AADSTS7000215"));
    assert!(r.hint.unwrap().contains("Value"));

    let r = f
        .check(&azure(
            &c.azure_tenant_id,
            &c.azure_client_id,
            &c.azure_expired_client_secret,
            None,
        ))
        .await;
    assert_named(&r, Status::ExpiredCredentials, Some("AADSTS7000222"));

    let r = f
        .check(&ok("00000000-0000-0000-0000-000000000000", None))
        .await;
    assert_named(&r, Status::NotFound, Some("AADSTS90002"));

    let r = f
        .check(&azure(
            &c.azure_tenant_id,
            "11111111-2222-3333-4444-555555555555",
            &c.azure_client_secret,
            None,
        ))
        .await;
    assert_named(&r, Status::InvalidCredentials, Some("AADSTS700016"));

    let no_role = |sub: Option<&str>| {
        azure(
            &c.azure_tenant_id,
            &c.azure_client_id_no_role,
            &c.azure_client_secret_no_role,
            sub,
        )
    };
    let r = f.check(&no_role(None)).await;
    assert_named(&r, Status::PermissionDenied, None);
    assert!(
        r.hint.as_deref().unwrap().contains("role assignment"),
        "{r:#?}"
    );
    let r = f.check(&no_role(Some(&c.azure_subscription_id))).await;
    assert_named(&r, Status::PermissionDenied, Some("AuthorizationFailed"));

    let r = f
        .check(&ok(
            &c.azure_tenant_id,
            Some("99999999-9999-9999-9999-999999999999"),
        ))
        .await;
    assert_named(&r, Status::NotFound, Some("SubscriptionNotFound"));
}

#[tokio::test]
async fn gcp_success_and_named_errors() {
    let f = fixture().await;
    let c = f.fake.creds().clone();

    for key in [&c.gcp_key_json, &c.gcp_key_json_pkcs1] {
        let r = f.check(&gcp(key, None)).await;
        assert_named(&r, Status::Ok, None);
        assert_eq!(
            identity(&r, "service account"),
            Some(c.gcp_client_email.as_str())
        );
        assert_eq!(
            identity(&r, "project id"),
            Some(c.gcp_project_id.as_str()),
            "{r:#?}"
        );
        assert_eq!(
            identity(&r, "project number"),
            Some(c.gcp_project_number.as_str())
        );
    }

    let r = f.check(&gcp(&c.gcp_key_json_deleted, None)).await;
    assert_named(&r, Status::InvalidCredentials, Some("invalid_grant"));

    let r = f
        .check(&gcp(&c.gcp_key_json, Some(&c.gcp_project_denied)))
        .await;
    assert_named(&r, Status::PermissionDenied, Some("PERMISSION_DENIED"));

    let r = f
        .check(&gcp(&c.gcp_key_json, Some(&c.gcp_project_service_disabled)))
        .await;
    assert_named(&r, Status::PermissionDenied, Some("SERVICE_DISABLED"));
    assert!(r.hint.as_deref().unwrap().contains("https://"), "{r:#?}");

    let user = r#"{"type":"authorized_user","client_id":"x.apps.googleusercontent.com","client_secret":"d-canary","refresh_token":"1//canary"}"#;
    let r = f.check(&gcp(user, Some("some-project"))).await;
    assert_named(&r, Status::InvalidInput, None);
    assert!(r.summary.contains("user credential"), "{r:#?}");

    f.fake.set_clock_skew(7200);
    let r = f.check(&gcp(&c.gcp_key_json, None)).await;
    assert_named(&r, Status::ExpiredCredentials, Some("invalid_grant"));
    assert!(r.summary.contains("clock"), "{r:#?}");
}

#[tokio::test]
async fn check_all_hands_over_each_report_as_it_is_ready() {
    let f = fixture_with_deadline(3).await;
    let c = f.fake.creds().clone();
    f.fake
        .set_fault(Target::Lambda, fake_clouds::Fault::Hang, None);
    let ctx = std::sync::Arc::new(context(cloudcreds_core::Env::from_pairs(f.fake.env()), 3));
    let mut rx = cloudcreds_core::check_all(
        vec![
            lambda(&c.lambda_api_key),
            hf(&c.hf_token),
            aws(&c.aws_access_key_id, &c.aws_secret_access_key, None),
        ],
        ctx,
    );
    let mut order = Vec::new();
    while let Some(report) = rx.recv().await {
        order.push((report.provider, report.status));
    }
    assert_eq!(order.len(), 3);
    // The hanging provider is the last to arrive, and only it timed out.
    assert_eq!(
        order[2],
        (cloudcreds_core::ProviderId::LAMBDA, Status::Timeout),
        "{order:?}"
    );
    assert!(
        order[..2].iter().all(|(_, s)| *s == Status::Ok),
        "{order:?}"
    );
}
