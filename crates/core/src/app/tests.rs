//! The facade's own behaviour: what "use stored" picks, what gets recorded, and that no
//! returned value carries a secret. Uses the in-memory keyring and a temp profile store.

use std::collections::BTreeMap;

use super::*;
use crate::profile::StoreOptions;
use crate::schema::Status;
use crate::vault::{MemoryBackend, VaultConfig};

fn core(dir: &std::path::Path, backend: MemoryBackend) -> Cloudcreds {
    let vault = Vault::with_backend(backend, VaultConfig::from_env());
    let store = ProfileStore::open(dir.join("profiles.json"), vault, StoreOptions::default());
    Cloudcreds::new(
        CheckContext::new(Env::empty(), CheckOptions::default()),
        store,
    )
}

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

const KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const CANARY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARY0001";

#[tokio::test]
async fn saving_returns_hints_only_and_forgets_the_paste() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path(), MemoryBackend::new());
    core.create_profile("work".into()).await.unwrap();
    core.paste(&format!(
        "[default]\naws_access_key_id={KEY_ID}\naws_secret_access_key={CANARY}\n"
    ))
    .unwrap();
    let saved = core
        .save_provider(
            "work".into(),
            ProviderId::AWS,
            values(&[("access_key_id", KEY_ID)]),
            vec![],
        )
        .await
        .unwrap();
    let json = serde_json::to_string(&saved).unwrap();
    assert!(!json.contains("CANARY0001"), "{json}");
    assert!(json.contains("…0001"), "{json}");
    let listed = serde_json::to_string(&core.profiles().await.unwrap()).unwrap();
    assert!(!listed.contains("CANARY0001"), "{listed}");
}

#[tokio::test]
async fn use_stored_fills_secrets_but_typed_ones_win() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path(), MemoryBackend::new());
    core.create_profile("work".into()).await.unwrap();
    let mut form = values(&[("access_key_id", KEY_ID), ("secret_access_key", CANARY)]);
    core.save_provider("work".into(), ProviderId::AWS, form.clone(), vec![])
        .await
        .unwrap();

    form.remove("secret_access_key");
    let first = typed(ProviderId::AWS, form.clone()).unwrap();
    let (creds, exact) = core
        .stored_fill("work", &first, first.clone())
        .await
        .unwrap();
    assert!(exact, "the saved settings, untouched");
    assert_eq!(
        creds.secret("secret_access_key").unwrap().expose_secret(),
        CANARY
    );

    form.insert("secret_access_key".into(), "x".repeat(40));
    let second = typed(ProviderId::AWS, form).unwrap();
    let (creds, exact) = core
        .stored_fill("work", &second, second.clone())
        .await
        .unwrap();
    assert!(!exact, "a typed secret is not what is saved");
    assert_eq!(
        creds.secret("secret_access_key").unwrap().expose_secret(),
        "x".repeat(40)
    );
}

#[tokio::test]
async fn a_keyring_that_fails_makes_a_keyring_unavailable_report() {
    let dir = tempfile::tempdir().unwrap();
    let backend = MemoryBackend::new();
    let core = core(dir.path(), backend.clone());
    core.create_profile("work".into()).await.unwrap();
    core.save_provider(
        "work".into(),
        ProviderId::AWS,
        values(&[("access_key_id", KEY_ID), ("secret_access_key", CANARY)]),
        vec![],
    )
    .await
    .unwrap();
    backend.set_unavailable(true);
    let report = core
        .test_connection(
            ProviderId::AWS,
            values(&[("access_key_id", KEY_ID)]),
            Some("work".into()),
        )
        .await
        .unwrap();
    assert_eq!(report.status, Status::KeyringUnavailable, "{report:?}");
    assert!(report.hint.is_some());
    assert!(report.requests.is_empty(), "nothing was sent");
    assert!(!core.keyring_status().await.available);
}

use secrecy::ExposeSecret;

#[tokio::test]
async fn check_profile_streams_one_report_per_saved_provider_and_records_them() {
    let fake = fake_clouds::FakeClouds::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::with_backend(MemoryBackend::new(), VaultConfig::from_env());
    let store = ProfileStore::open(
        dir.path().join("profiles.json"),
        vault,
        StoreOptions::default(),
    );
    let env = Env::from_pairs(fake.env());
    let core = Cloudcreds::new(CheckContext::new(env, CheckOptions::default()), store);
    let c = fake.creds();
    core.create_profile("ci".into()).await.unwrap();
    core.save_provider(
        "ci".into(),
        ProviderId::HUGGINGFACE,
        values(&[("token", &c.hf_token)]),
        vec![],
    )
    .await
    .unwrap();
    let revoked = values(&[("api_key", &c.lambda_api_key_inactive)]);
    core.save_provider("ci".into(), ProviderId::LAMBDA, revoked, vec![])
        .await
        .unwrap();

    let mut seen = Vec::new();
    let run = core
        .check_profile(Some("ci".into()), Vec::new())
        .await
        .unwrap();
    let total = run.each(|r| seen.push((r.provider, r.status))).await;
    assert_eq!(total, 2);
    seen.sort_by_key(|(provider, _)| *provider);
    assert_eq!(
        seen,
        [
            (ProviderId::HUGGINGFACE, Status::Ok),
            (ProviderId::LAMBDA, Status::PermissionDenied)
        ]
    );
    let profile = &core.profiles().await.unwrap()[0];
    assert!(
        profile.providers.iter().all(|p| p.last_check.is_some()),
        "{profile:?}"
    );
}
