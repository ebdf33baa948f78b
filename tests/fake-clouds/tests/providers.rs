//! Strictness of each emulated provider API, exercised over real HTTP: good credentials
//! get the providers' success bodies, every bad one its provider's own error.

mod common;

use std::time::SystemTime;

use common::*;
use fake_clouds::FakeClouds;
use serde_json::Value;

#[tokio::test]
async fn hf_models_is_open_without_a_token_and_refuses_a_wrong_one() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let models = format!("{}/api/models?limit=1", fake.hf_endpoint());
    let whoami = format!("{}/api/whoami-v2", fake.hf_endpoint());

    let (status, body) = get_json(&models, None).await;
    assert_eq!(status, 200);
    assert_eq!(body.as_array().map(Vec::len), Some(1));

    let (status, body) = get_json(&models, Some("hf_wrongwrongwrongwrongwrongwrongwr")).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "Invalid credentials in Authorization header");
    assert_eq!(get_json(&models, Some(&c.hf_token_revoked)).await.0, 401);
    assert_eq!(get_json(&whoami, Some(&c.hf_token_revoked)).await.0, 401);

    // The seed bug: a token /api/models accepts while whoami refuses it.
    assert_eq!(
        get_json(&models, Some(&c.hf_token_whoami_rejects)).await.0,
        200
    );
    assert_eq!(
        get_json(&whoami, Some(&c.hf_token_whoami_rejects)).await.0,
        401
    );

    let (status, body) = get_json(&whoami, Some(&c.hf_token)).await;
    assert_eq!(status, 200);
    assert_eq!(body["name"], "fake-user");
    assert_eq!(body["orgs"][0]["name"], "fake-org");
    assert_eq!(body["auth"]["accessToken"]["role"], "write");

    let scoped = |body: &Value| {
        body["auth"]["accessToken"]["fineGrained"]["scoped"][0]["permissions"].to_string()
    };
    let (_, body) = get_json(&whoami, Some(&c.hf_token_fine_grained_inference)).await;
    assert_eq!(body["auth"]["accessToken"]["role"], "fineGrained");
    assert!(scoped(&body).contains("inference.serverless.write"));
    let (_, body) = get_json(&whoami, Some(&c.hf_token_fine_grained_no_inference)).await;
    assert!(!scoped(&body).contains("inference.serverless.write"));
}

#[tokio::test]
async fn lambda_checks_the_api_key() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let url = format!("{}/api/v1/instance-types", fake.lambda_endpoint());

    let (status, body) = get_json(&url, Some(&c.lambda_api_key)).await;
    assert_eq!(status, 200);
    let types = body["data"].as_object().unwrap();
    assert!(types.len() > 2);
    let with_capacity = types
        .values()
        .filter(|t| {
            !t["regions_with_capacity_available"]
                .as_array()
                .unwrap()
                .is_empty()
        })
        .count();
    assert!(with_capacity > 0 && with_capacity < types.len());

    let basic = client()
        .get(&url)
        .basic_auth(&c.lambda_api_key, Some(""))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 200);

    let (status, body) =
        get_json(&url, Some("secret_other_0123456789abcdef0123456789abcdef")).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "global/invalid-api-key");
    assert_eq!(get_json(&url, None).await.0, 401);

    let (status, body) = get_json(&url, Some(&c.lambda_api_key_inactive)).await;
    assert_eq!(status, 403);
    assert_eq!(body["error"]["code"], "global/account-inactive");
}

#[tokio::test]
async fn aws_sts_verifies_sigv4() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let now = SystemTime::now();

    let (status, xml) = call_sts(
        &fake,
        &c.aws_access_key_id,
        &c.aws_secret_access_key,
        None,
        now,
        STS_BODY,
    )
    .await;
    assert_eq!(status, 200, "{xml}");
    assert!(xml.contains(&format!("<Arn>{}</Arn>", c.aws_user_arn)));
    assert!(xml.contains(&format!("<Account>{}</Account>", c.aws_account_id)));

    let (status, xml) = call_sts(
        &fake,
        &c.aws_temp_access_key_id,
        &c.aws_temp_secret_access_key,
        Some(&c.aws_session_token),
        now,
        STS_BODY,
    )
    .await;
    assert_eq!(status, 200, "{xml}");
    assert!(xml.contains(":assumed-role/fake-role/"));

    // Wrong secret: the re-signed request does not match.
    let wrong = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    let (status, xml) = call_sts(&fake, &c.aws_access_key_id, wrong, None, now, STS_BODY).await;
    assert_eq!((status, sts_code(&xml)), (403, "SignatureDoesNotMatch"));

    // Body changed after signing.
    let tampered = "Action=GetCallerIdentity&Version=2011-06-15&x=1";
    let (status, xml) = call_sts(
        &fake,
        &c.aws_access_key_id,
        &c.aws_secret_access_key,
        None,
        now,
        tampered,
    )
    .await;
    assert_eq!((status, sts_code(&xml)), (403, "SignatureDoesNotMatch"));

    let (status, xml) = call_sts(
        &fake,
        "AKIAIOSFODNN7EXAMPLE",
        &c.aws_secret_access_key,
        None,
        now,
        STS_BODY,
    )
    .await;
    assert_eq!((status, sts_code(&xml)), (403, "InvalidClientTokenId"));

    // A temporary key without its session token.
    let (status, xml) = call_sts(
        &fake,
        &c.aws_temp_access_key_id,
        &c.aws_temp_secret_access_key,
        None,
        now,
        STS_BODY,
    )
    .await;
    assert_eq!((status, sts_code(&xml)), (403, "InvalidClientTokenId"));

    let (status, xml) = call_sts(
        &fake,
        &c.aws_expired_access_key_id,
        &c.aws_expired_secret_access_key,
        Some(&c.aws_expired_session_token),
        now,
        STS_BODY,
    )
    .await;
    assert_eq!((status, sts_code(&xml)), (403, "ExpiredToken"));

    let unsigned = client()
        .post(format!("{}/", fake.aws_sts_endpoint()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(STS_BODY)
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 403);
    assert_eq!(
        sts_code(&unsigned.text().await.unwrap()),
        "MissingAuthenticationToken"
    );

    let garbled = client()
        .post(format!("{}/", fake.aws_sts_endpoint()))
        .header("authorization", "AWS4-HMAC-SHA256 Credential=AKIA")
        .header("x-amz-date", "20240101T000000Z")
        .body(STS_BODY)
        .send()
        .await
        .unwrap();
    assert_eq!(garbled.status(), 403);
    assert_eq!(
        sts_code(&garbled.text().await.unwrap()),
        "IncompleteSignature"
    );
}

#[tokio::test]
async fn aws_clock_skew_is_refused_as_an_expired_signature() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    fake.set_clock_skew(3600);
    let now = SystemTime::now();
    let (status, xml) = call_sts(
        &fake,
        &c.aws_access_key_id,
        &c.aws_secret_access_key,
        None,
        now,
        STS_BODY,
    )
    .await;
    assert_eq!(
        (status, sts_code(&xml)),
        (403, "SignatureDoesNotMatch"),
        "{xml}"
    );
    assert!(xml.contains("Signature expired:"), "{xml}");

    fake.set_clock_skew(-3600);
    let (_, xml) = call_sts(
        &fake,
        &c.aws_access_key_id,
        &c.aws_secret_access_key,
        None,
        now,
        STS_BODY,
    )
    .await;
    assert!(xml.contains("Signature not yet current:"), "{xml}");

    fake.set_clock_skew(0);
    let (status, _) = call_sts(
        &fake,
        &c.aws_access_key_id,
        &c.aws_secret_access_key,
        None,
        now,
        STS_BODY,
    )
    .await;
    assert_eq!(status, 200);
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
async fn azure_checks_tenant_client_and_secret_then_arm_checks_the_token() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let code = |body: &Value| body["error_codes"][0].as_u64().unwrap_or(0);

    let (status, body) = azure_token(
        &fake,
        &c.azure_tenant_id,
        &c.azure_client_id,
        &c.azure_client_secret_id,
    )
    .await;
    assert_eq!((status, code(&body)), (401, 7000215));
    assert_eq!(body["error"], "invalid_client");
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .starts_with("AADSTS7000215: "));
    let (status, body) =
        azure_token(&fake, &c.azure_tenant_id, &c.azure_client_id, "abc8Q~wrong").await;
    assert_eq!((status, code(&body)), (401, 7000215));
    let (status, body) = azure_token(
        &fake,
        &c.azure_tenant_id,
        &c.azure_client_id,
        &c.azure_expired_client_secret,
    )
    .await;
    assert_eq!((status, code(&body)), (401, 7000222));
    let (status, body) = azure_token(
        &fake,
        "00000000-0000-0000-0000-000000000000",
        &c.azure_client_id,
        "x",
    )
    .await;
    assert_eq!((status, code(&body)), (400, 90002));
    let (status, body) = azure_token(
        &fake,
        &c.azure_tenant_id,
        "11111111-1111-1111-1111-111111111111",
        &c.azure_client_secret,
    )
    .await;
    assert_eq!((status, code(&body)), (400, 700016));

    let url = format!(
        "{}/{}/oauth2/v2.0/token",
        fake.azure_authority(),
        c.azure_tenant_id
    );
    let (status, body) = post_form(
        &url,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &c.azure_client_id),
            ("client_secret", &c.azure_client_secret),
            ("scope", &fake.azure_arm_endpoint()),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_scope"))
    );

    let (status, body) = azure_token(
        &fake,
        &c.azure_tenant_domain,
        &c.azure_client_id,
        &c.azure_client_secret,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    let token = body["access_token"].as_str().unwrap().to_string();

    let arm = fake.azure_arm_endpoint();
    let sub = format!(
        "{arm}/subscriptions/{}?api-version=2022-12-01",
        c.azure_subscription_id
    );
    let (status, body) = get_json(&sub, Some(&token)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["displayName"].as_str(),
        Some(c.azure_subscription_name.as_str())
    );
    assert_eq!(body["state"], "Enabled");
    let (status, body) = get_json(
        &format!("{arm}/subscriptions?api-version=2022-12-01"),
        Some(&token),
    )
    .await;
    assert_eq!(
        (status, body["value"].as_array().map(Vec::len)),
        (200, Some(1))
    );

    let missing = format!(
        "{arm}/subscriptions/{}?api-version=2022-12-01",
        "22222222-2222-2222-2222-222222222222"
    );
    let (status, body) = get_json(&missing, Some(&token)).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("SubscriptionNotFound"))
    );
    let (status, body) = get_json(
        &format!("{arm}/subscriptions/{}", c.azure_subscription_id),
        Some(&token),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("MissingApiVersionParameter"))
    );
    let (status, body) = get_json(&sub, Some("not-a-token")).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("InvalidAuthenticationToken"))
    );
    assert_eq!(get_json(&sub, None).await.0, 401);

    let (status, body) = azure_token(
        &fake,
        &c.azure_tenant_id,
        &c.azure_client_id_no_role,
        &c.azure_client_secret_no_role,
    )
    .await;
    assert_eq!(status, 200);
    let no_role = body["access_token"].as_str().unwrap().to_string();
    let (status, body) = get_json(&sub, Some(&no_role)).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("AuthorizationFailed"))
    );
    let (status, body) = get_json(
        &format!("{arm}/subscriptions?api-version=2022-12-01"),
        Some(&no_role),
    )
    .await;
    assert_eq!(
        (status, body["value"].as_array().map(Vec::len)),
        (200, Some(0))
    );
}

async fn gcp_token(fake: &FakeClouds, assertion: &str) -> (u16, Value) {
    post_form(
        &fake.gcp_token_uri(),
        &[
            ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
            ("assertion", assertion),
        ],
    )
    .await
}

#[tokio::test]
async fn gcp_verifies_the_jwt_and_crm_answers_per_project() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let uri = fake.gcp_token_uri();
    let aud = GOOGLE_TOKEN_AUDIENCE;
    let now = unix_now();

    let key: Value = serde_json::from_str(&c.gcp_key_json).unwrap();
    assert_eq!(key["token_uri"].as_str(), Some(uri.as_str()));
    assert!(key["private_key"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN PRIVATE KEY-----"));

    let (status, body) = gcp_token(&fake, &assertion(&c.gcp_key_json_pkcs1, aud, now)).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = gcp_token(&fake, &assertion(&c.gcp_key_json, aud, now)).await;
    assert_eq!(status, 200, "{body}");
    let token = body["access_token"].as_str().unwrap().to_string();
    assert!(token.starts_with("ya29."));

    let (status, body) = gcp_token(&fake, &assertion(&c.gcp_key_json_deleted, aud, now)).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_description"], "Invalid JWT Signature.");

    // Signed by a key the fake never issued, under the live key's id.
    let other = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).unwrap();
    let other_pem = rsa::pkcs8::EncodePrivateKey::to_pkcs8_pem(&other, Default::default()).unwrap();
    let mut forged: Value = key.clone();
    forged["private_key"] = Value::String(other_pem.to_string());
    let (status, body) = gcp_token(&fake, &assertion(&forged.to_string(), aud, now)).await;
    assert_eq!(
        (status, body["error_description"].as_str()),
        (400, Some("Invalid JWT Signature."))
    );

    let (status, body) = gcp_token(&fake, &assertion(&c.gcp_key_json, aud, now - 7200)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    let crm = |project: &str| format!("{}/v1/projects/{project}", fake.gcp_crm_endpoint());
    let (status, body) = get_json(&crm(&c.gcp_project_id), Some(&token)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["projectNumber"].as_str(),
        Some(c.gcp_project_number.as_str())
    );
    assert_eq!(body["lifecycleState"], "ACTIVE");

    let (status, body) = get_json(&crm(&c.gcp_project_denied), Some(&token)).await;
    assert_eq!(
        (status, body["error"]["status"].as_str()),
        (403, Some("PERMISSION_DENIED"))
    );
    assert_eq!(
        get_json(&crm("no-such-project-123"), Some(&token)).await.0,
        403
    );

    let (status, body) = get_json(&crm(&c.gcp_project_service_disabled), Some(&token)).await;
    assert_eq!(status, 403);
    let info = &body["error"]["details"][0];
    assert_eq!(info["reason"], "SERVICE_DISABLED");
    assert!(info["metadata"]["activationUrl"].as_str().unwrap().starts_with("https://console.developers.google.com/apis/api/cloudresourcemanager.googleapis.com/overview?project="));

    assert_eq!(
        get_json(&crm(&c.gcp_project_id), Some("ya29.forged"))
            .await
            .0,
        401
    );
    assert_eq!(get_json(&crm(&c.gcp_project_id), None).await.0, 401);

    // A clock an hour ahead makes a fresh assertion look expired.
    fake.set_clock_skew(3600);
    let (status, body) = gcp_token(&fake, &assertion(&c.gcp_key_json, aud, now)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}
