//! HuggingFace token kinds against fake-clouds: legacy api_ tokens, OAuth tokens, the
//! admin and contributor roles, and a token about to expire.

mod common;

use cloudcreds_core::Status;
use common::*;
use fake_clouds::Target;

#[tokio::test]
async fn a_legacy_api_token_is_sent_and_labelled_deprecated() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    let r = f.check(&hf(&c.hf_token_legacy)).await;
    assert_named(&r, Status::Ok, None);
    assert_eq!(f.fake.request_count(Target::HfModels), 1);
    assert_eq!(identity(&r, "token format"), Some("api_ (deprecated)"));
    assert!(
        r.hint.as_deref().unwrap().contains("legacy api_ token"),
        "{r:#?}"
    );

    // An unknown legacy token reaches the Hub too, and its 401 says what to do.
    let r = f.check(&hf("api_abcdefghijklmnopqrstuvwxyzABCDEFGH")).await;
    assert_named(&r, Status::InvalidCredentials, None);
    assert!(r.hint.unwrap().contains("Legacy api_ tokens"));
}

#[tokio::test]
async fn an_oauth_token_gets_a_verdict_with_its_expiry() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    let r = f.check(&hf(&c.hf_token_oauth)).await;
    assert_named(&r, Status::Ok, None);
    assert_eq!(identity(&r, "user"), Some("fake-user"));
    assert!(identity(&r, "token type").unwrap().starts_with("OAuth"));
    let expires = identity(&r, "expires").unwrap();
    assert!(expires.ends_with("(in 8 hours)"), "{r:#?}");
    assert!(identity(&r, "inference providers")
        .unwrap()
        .contains("inference-api"));
}

#[tokio::test]
async fn admin_and_contributor_tokens_get_a_verdict() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    for (token, role) in [
        (&c.hf_token_admin, "admin"),
        (&c.hf_token_contributor, "contributor"),
    ] {
        let r = f.check(&hf(token)).await;
        assert_named(&r, Status::Ok, None);
        assert_eq!(identity(&r, "token role"), Some(role));
        assert!(identity(&r, "inference providers")
            .unwrap()
            .starts_with("yes"));
    }
}

#[tokio::test]
async fn a_token_expiring_within_a_week_warns() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    let r = f.check(&hf(&c.hf_token_expiring)).await;
    assert_named(&r, Status::Ok, None);
    let expires = identity(&r, "expires").unwrap();
    assert!(expires.ends_with("(in 3 days)"), "{r:#?}");
    assert!(
        r.hint.as_deref().unwrap().contains("create a new one"),
        "{r:#?}"
    );

    let r = f.check(&hf(&c.hf_token)).await;
    assert_eq!(identity(&r, "expires"), None);
    assert_eq!(r.hint, None);
}

#[tokio::test]
async fn a_revoked_token_may_have_expired() {
    let f = fixture().await;
    let c = f.fake.creds().clone();
    let r = f.check(&hf(&c.hf_token_revoked)).await;
    assert_named(&r, Status::InvalidCredentials, None);
    assert!(r.summary.contains("may have expired"), "{r:#?}");
}
