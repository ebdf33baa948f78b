//! The HuggingFace token kinds the fake serves (legacy, OAuth, admin/contributor roles,
//! expiring) and the `Date` header following the fake's shiftable clock.

mod common;

use common::*;
use fake_clouds::FakeClouds;
use time::format_description::well_known::{Rfc2822, Rfc3339};
use time::OffsetDateTime;

#[tokio::test]
async fn hf_serves_every_token_kind() {
    let fake = FakeClouds::start().await.unwrap();
    let c = fake.creds();
    let models = format!("{}/api/models?limit=1", fake.hf_endpoint());
    let whoami = format!("{}/api/whoami-v2", fake.hf_endpoint());

    for token in [
        &c.hf_token_legacy,
        &c.hf_token_oauth,
        &c.hf_token_admin,
        &c.hf_token_contributor,
        &c.hf_token_expiring,
    ] {
        assert_eq!(get_json(&models, Some(token)).await.0, 200);
    }
    assert!(c.hf_token_legacy.starts_with("api_"));
    assert!(c.hf_token_oauth.starts_with("hf_oauth_"));

    let (_, body) = get_json(&whoami, Some(&c.hf_token_legacy)).await;
    assert_eq!(body["auth"]["accessToken"]["role"], "write");
    let (_, body) = get_json(&whoami, Some(&c.hf_token_admin)).await;
    assert_eq!(body["auth"]["accessToken"]["role"], "admin");
    let (_, body) = get_json(&whoami, Some(&c.hf_token_contributor)).await;
    assert_eq!(body["auth"]["accessToken"]["role"], "contributor");

    let (_, body) = get_json(&whoami, Some(&c.hf_token_oauth)).await;
    assert_eq!(body["name"], "fake-user");
    assert_eq!(body["auth"]["type"], "oauth");
    assert!(body["auth"].get("accessToken").is_none(), "{body}");
    let expires = OffsetDateTime::parse(body["auth"]["expiresAt"].as_str().unwrap(), &Rfc3339);
    let left = expires.unwrap() - OffsetDateTime::now_utc();
    assert!(left.whole_hours() >= 7 && left.whole_hours() <= 8, "{left}");

    let (_, body) = get_json(&whoami, Some(&c.hf_token_expiring)).await;
    let expiration = body["auth"]["accessToken"]["expiration"].as_str().unwrap();
    let left = OffsetDateTime::parse(expiration, &Rfc3339).unwrap() - OffsetDateTime::now_utc();
    assert!(
        left.whole_hours() >= 71 && left.whole_hours() <= 72,
        "{left}"
    );

    // The 401 stays exactly the Hub's.
    let (status, body) = get_json(&whoami, Some("api_nottherightonenottherightone12")).await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        serde_json::json!({"error": "Invalid credentials in Authorization header"})
    );
}

async fn date_header(fake: &FakeClouds) -> OffsetDateTime {
    let url = format!("{}/api/models?limit=1", fake.hf_endpoint());
    let resp = client().get(&url).send().await.unwrap();
    let date = resp.headers()["date"].to_str().unwrap().to_string();
    assert!(date.ends_with(" GMT"), "{date}");
    OffsetDateTime::parse(&date, &Rfc2822).unwrap()
}

#[tokio::test]
async fn the_date_header_follows_the_shifted_clock() {
    let fake = FakeClouds::start().await.unwrap();
    let off = date_header(&fake).await - OffsetDateTime::now_utc();
    assert!(off.whole_seconds().abs() <= 2, "{off}");

    fake.set_clock_skew(20 * 60);
    let off = date_header(&fake).await - OffsetDateTime::now_utc();
    assert!((off.whole_seconds() - 1200).abs() <= 2, "{off}");

    fake.set_clock_skew(-3600);
    let off = date_header(&fake).await - OffsetDateTime::now_utc();
    assert!((off.whole_seconds() + 3600).abs() <= 2, "{off}");
}
