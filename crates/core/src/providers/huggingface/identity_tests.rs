//! whoami-v2 bodies as the Hub sends them (documented shape in huggingface.js who-am-i.ts,
//! captured fields noted in tests/fake-clouds/src/hf.rs), read into identity and hints.

use serde_json::{json, Value};
use time::macros::datetime;

use super::*;

const NOW: OffsetDateTime = datetime!(2026-11-23 20:00 UTC);

fn who(auth: Value) -> WhoAmI {
    serde_json::from_value(json!({
        "type": "user",
        "id": "65a1f0c2e4b0a1b2c3d4e5f6",
        "name": "someone",
        "fullname": "Some One",
        "email": "someone@example.com",
        "emailVerified": true,
        "isPro": false,
        "canPay": false,
        "periodEnd": null,
        "avatarUrl": "/avatars/x.svg",
        "orgs": [],
        "auth": auth,
    }))
    .unwrap()
}

fn entry<'a>(o: &'a Outcome, key: &str) -> Option<&'a str> {
    o.identity
        .iter()
        .find(|e| e.key == key)
        .map(|e| e.value.as_str())
}

#[test]
fn admin_and_contributor_roles_get_a_verdict() {
    for role in ["admin", "contributor", "read", "write"] {
        let o = identity(
            who(json!({"type": "access_token", "accessToken": {"displayName": "t", "role": role}})),
            NOW,
        );
        assert_eq!(entry(&o, "token role"), Some(role));
        assert!(
            entry(&o, "inference providers").unwrap().starts_with("yes"),
            "{role}: {o:?}"
        );
        assert_eq!(o.hint, None, "{role}");
    }
}

#[test]
fn an_expiring_token_shows_its_date_and_warns_within_a_week() {
    let o = identity(
        who(json!({"type": "access_token", "accessToken": {
            "displayName": "t", "role": "write", "expiration": "2026-11-26T20:00:00.000Z"}})),
        NOW,
    );
    assert_eq!(
        entry(&o, "expires"),
        Some("2026-11-26T20:00:00Z (in 3 days)")
    );
    let hint = o.hint.unwrap();
    assert!(hint.contains("expires in 3 days"), "{hint}");

    let o = identity(
        who(json!({"type": "access_token", "accessToken": {
            "displayName": "t", "role": "write", "expiration": "2027-02-01T00:00:00Z"}})),
        NOW,
    );
    assert!(
        entry(&o, "expires").unwrap().contains("in 69 days"),
        "{o:?}"
    );
    assert_eq!(o.hint, None, "more than a week left is nothing to do");

    let o = identity(
        who(json!({"type": "access_token", "accessToken": {
            "displayName": "t", "role": "write", "expiration": "2026-11-20T00:00:00Z"}})),
        NOW,
    );
    assert!(entry(&o, "expires").unwrap().contains("already passed"));
    assert!(o
        .hint
        .unwrap()
        .contains("has passed by this computer's clock"));
}

#[test]
fn an_oauth_token_gets_a_verdict_and_its_expiry() {
    // As observed: no accessToken, no role, no scopes; just the type and expiresAt.
    let o = identity(
        who(json!({"type": "oauth", "expiresAt": "2026-11-24T04:00:00.000Z"})),
        NOW,
    );
    assert!(entry(&o, "token type").unwrap().starts_with("OAuth"));
    assert_eq!(
        entry(&o, "expires"),
        Some("2026-11-24T04:00:00Z (in 8 hours)")
    );
    assert!(entry(&o, "inference providers")
        .unwrap()
        .starts_with("unknown"));
    let hint = o.hint.unwrap();
    assert!(hint.contains("sign in to the app again"), "{hint}");
    assert!(hint.contains("'inference-api' scope"), "{hint}");

    // who-am-i.ts documents an `auth.permissions` list; when it names the scope, say yes.
    let o = identity(
        who(json!({"type": "oauth", "expiresAt": "2026-12-24T04:00:00Z",
            "permissions": ["openid", "profile", "inference-api"]})),
        NOW,
    );
    assert!(entry(&o, "inference providers").unwrap().starts_with("yes"));
    assert_eq!(
        entry(&o, "permissions"),
        Some("openid, profile, inference-api")
    );
    assert_eq!(o.hint, None);
}

#[test]
fn a_fine_grained_token_without_inference_says_which_box_to_tick() {
    let o = identity(
        who(json!({"type": "access_token", "accessToken": {
            "displayName": "t", "role": "fineGrained",
            "fineGrained": {"canReadGatedRepos": true, "global": ["discussion.write"],
                "scoped": [{"entity": {"_id": "1", "type": "user", "name": "someone"},
                    "permissions": ["repo.content.read"]}]}}})),
        NOW,
    );
    assert!(entry(&o, "inference providers").unwrap().starts_with("no"));
    assert!(o.hint.unwrap().contains(INFERENCE_SCOPE));
}
