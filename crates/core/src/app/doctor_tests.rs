//! Reconciliation against the in-memory keyring: what each scan finds, that the listing scan
//! never reads a value, that each repair does exactly its one thing, and that no finding or
//! repair message carries a secret.

use std::collections::BTreeMap;

use super::*;
use crate::profile::StoreOptions;
use crate::schema::Credentials;
use crate::vault::{Backend, MemoryBackend, SecretBytes, Vault, VaultConfig};

/// Entries above this many bytes are chunked (a manifest head still fits).
const LIMIT: usize = 48;

const HF_TOKEN: &str = "hf_CANARYsecretVALUEdoNotPrint0042";
const AWS_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARY0001";
const LAMBDA_KEY: &str = "secret_CANARYlambdaKEY_0003";

fn store(dir: &std::path::Path, backend: MemoryBackend) -> ProfileStore {
    let vault = Vault::with_backend(backend, VaultConfig::from_env());
    ProfileStore::open(dir.join("profiles.json"), vault, StoreOptions::default())
}

fn save(store: &ProfileStore, profile: &str, provider: ProviderId, pairs: &[(&str, &str)]) {
    let values: BTreeMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let creds = Credentials::from_values(provider, values).unwrap();
    store.save_provider(profile, &creds, &[]).unwrap();
}

/// Writes an entry behind the store's back, as a racing writer or another tool would.
fn plant(store: &ProfileStore, key: &str, value: &str) {
    store
        .vault()
        .store(key, &SecretBytes::from(value.as_bytes().to_vec()))
        .unwrap();
}

fn kinds(found: &KeyringFindings) -> Vec<(String, FindingKind)> {
    found
        .findings
        .iter()
        .map(|f| (f.key.clone(), f.kind))
        .collect()
}

#[track_caller]
fn assert_no_secret(text: &str) {
    for secret in [HF_TOKEN, AWS_SECRET, LAMBDA_KEY, "CANARYlong"] {
        assert!(!text.contains(secret), "a secret leaked: {text}");
    }
}

/// A store with profile `work` (a Hugging Face token saved) plus, behind its back: an
/// orphan AWS secret for `work`, a Lambda key for a profile that does not exist, an entry
/// that is no secret of any profile, and the saved token's entry deleted.
fn troubled(dir: &std::path::Path, backend: MemoryBackend) -> ProfileStore {
    let s = store(dir, backend);
    s.create("work").unwrap();
    save(&s, "work", ProviderId::HUGGINGFACE, &[("token", HF_TOKEN)]);
    plant(&s, "work/aws/secret_access_key", AWS_SECRET);
    plant(&s, "ghost/lambda/api_key", LAMBDA_KEY);
    plant(&s, "something-else", "not ours to judge");
    assert!(s.vault().delete("work/huggingface/token").unwrap());
    s
}

#[test]
fn a_healthy_store_has_no_findings() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path(), MemoryBackend::new());
    s.create("work").unwrap();
    save(&s, "work", ProviderId::HUGGINGFACE, &[("token", HF_TOKEN)]);
    for depth in [ScanDepth::Listing, ScanDepth::Values] {
        assert_eq!(scan(&s, depth).unwrap().findings, vec![]);
    }
}

#[test]
fn the_listing_scan_finds_orphans_and_missing_secrets_with_one_keyring_call() {
    let dir = tempfile::tempdir().unwrap();
    let backend = MemoryBackend::new();
    let s = troubled(dir.path(), backend.clone());
    let before = backend.calls();
    let found = scan(&s, ScanDepth::Listing).unwrap();
    assert_eq!(
        backend.calls() - before,
        1,
        "the listing scan reads names only, never a value"
    );
    assert!(!found.values_checked);
    assert_eq!(
        kinds(&found),
        vec![
            (
                "ghost/lambda/api_key".into(),
                FindingKind::OrphanWithoutProfile
            ),
            ("something-else".into(), FindingKind::UnknownEntry),
            ("work/aws/secret_access_key".into(), FindingKind::Orphan),
            ("work/huggingface/token".into(), FindingKind::Missing),
        ]
    );
    let orphan = &found.findings[2];
    assert_eq!(orphan.profile.as_deref(), Some("work"));
    assert_eq!(orphan.provider, Some(ProviderId::AWS));
    assert_eq!(orphan.repairs, vec![Repair::Adopt, Repair::Delete]);
    assert!(
        orphan.fix.contains("cloudcreds doctor --adopt"),
        "{}",
        orphan.fix
    );
    let missing = &found.findings[3];
    assert!(missing.recorded);
    assert_eq!(missing.repairs, vec![Repair::Forget]);
    assert!(
        missing
            .fix
            .contains("cloudcreds set huggingface token --profile work"),
        "{}",
        missing.fix
    );
    assert_eq!(
        found.findings[0].repairs,
        vec![Repair::AdoptCreatingProfile, Repair::Delete]
    );
    assert_eq!(found.findings[1].repairs, vec![Repair::Delete]);
    assert_no_secret(&serde_json::to_string(&found).unwrap());
}

#[test]
fn a_torn_chunk_set_is_found_by_the_value_scan_and_leftover_chunks_by_either() {
    let dir = tempfile::tempdir().unwrap();
    let backend = MemoryBackend::with_limit(LIMIT);
    let s = store(dir.path(), backend.clone());
    s.create("work").unwrap();
    let long_token = format!("hf_{}", "CANARYlong".repeat(12));
    save(
        &s,
        "work",
        ProviderId::HUGGINGFACE,
        &[("token", &long_token)],
    );
    let service = s.vault().service().to_string();
    let mut raw = backend.clone();
    assert!(raw.delete(&service, "work/huggingface/token#2").unwrap());
    raw.set(&service, "old/lambda/api_key#3", b"piece").unwrap();

    let listing = scan(&s, ScanDepth::Listing).unwrap();
    assert_eq!(
        kinds(&listing),
        vec![("old/lambda/api_key".into(), FindingKind::Damaged)],
        "a head with chunks looks fine by name; chunks without a head do not"
    );
    assert_eq!(listing.findings[0].repairs, vec![Repair::Delete]);

    let values = scan(&s, ScanDepth::Values).unwrap();
    assert!(values.values_checked);
    assert_eq!(
        kinds(&values),
        vec![
            ("old/lambda/api_key".into(), FindingKind::Damaged),
            ("work/huggingface/token".into(), FindingKind::Damaged),
        ]
    );
    let torn = &values.findings[1];
    assert!(torn.recorded);
    assert_eq!(torn.repairs, vec![Repair::Forget]);
    assert!(
        torn.message.contains("chunks is missing"),
        "{}",
        torn.message
    );

    // Forgetting removes every remaining piece and the record; deleting the leftovers
    // removes a chunk that `Vault::delete` could not reach (no head, no #1).
    repair(&s, "work/huggingface/token", Repair::Forget).unwrap();
    repair(&s, "old/lambda/api_key", Repair::Delete).unwrap();
    assert_eq!(
        backend.snapshot().len(),
        0,
        "{:?}",
        backend.snapshot().keys()
    );
    assert_eq!(scan(&s, ScanDepth::Values).unwrap().findings, vec![]);
}

#[test]
fn repairs_adopt_delete_and_forget_exactly_what_they_name() {
    let dir = tempfile::tempdir().unwrap();
    let backend = MemoryBackend::new();
    let s = troubled(dir.path(), backend.clone());
    let mut said = Vec::new();

    said.push(repair(&s, "work/aws/secret_access_key", Repair::Adopt).unwrap());
    let aws = s.provider_settings("work", ProviderId::AWS).unwrap();
    let meta = aws
        .secrets
        .iter()
        .find(|m| m.field == "secret_access_key")
        .unwrap();
    assert!(meta.set);
    assert_eq!(meta.hint.as_deref(), Some("…0001"));
    assert!(meta.set_at.is_some());

    // Adopting into a profile that does not exist needs the creating repair.
    let err = repair(&s, "ghost/lambda/api_key", Repair::Adopt).unwrap_err();
    assert!(
        err.message.contains("nothing was changed"),
        "{}",
        err.message
    );
    said.push(repair(&s, "ghost/lambda/api_key", Repair::AdoptCreatingProfile).unwrap());
    let ghost = s.provider_settings("ghost", ProviderId::LAMBDA).unwrap();
    assert!(ghost.secrets[0].set);

    // Delete never touches a recorded secret; forget never touches an orphan.
    assert!(repair(&s, "work/aws/secret_access_key", Repair::Delete).is_err());
    assert!(repair(&s, "something-else", Repair::Forget).is_err());
    said.push(repair(&s, "something-else", Repair::Delete).unwrap());
    said.push(repair(&s, "work/huggingface/token", Repair::Forget).unwrap());
    let hf = s
        .provider_settings("work", ProviderId::HUGGINGFACE)
        .unwrap();
    assert!(!hf.secrets[0].set, "a forgotten secret shows as not set");

    assert_eq!(scan(&s, ScanDepth::Values).unwrap().findings, vec![]);
    let keys: Vec<String> = backend.snapshot().keys().map(|(_, k)| k.clone()).collect();
    assert_eq!(keys, ["ghost/lambda/api_key", "work/aws/secret_access_key"]);
    assert_no_secret(&said.join("\n"));
    assert!(said[0].contains("Adopted the AWS"), "{}", said[0]);
}

#[test]
fn remove_everything_empties_the_keyring_service_and_the_store_folder() {
    let dir = tempfile::tempdir().unwrap();
    let backend = MemoryBackend::with_limit(LIMIT);
    let s = troubled(dir.path(), backend.clone());
    plant(&s, "work/gcp/service_account_key", &"CANARYkey".repeat(12));
    std::fs::write(
        dir.path().join("profiles.json.corrupt-20250101T000000Z"),
        "{",
    )
    .unwrap();
    std::fs::write(dir.path().join("profiles.json.lock"), "").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "the user's").unwrap();
    let mut other = backend.clone();
    other.set("someone.else", "work/aws/x", b"theirs").unwrap();

    let removed = crate::app::leave::remove_everything(&s).unwrap();
    assert!(removed
        .entries
        .contains(&"work/gcp/service_account_key#3".to_string()));
    let left: Vec<(String, String)> = backend.snapshot().into_keys().collect();
    assert_eq!(
        left,
        [("someone.else".to_string(), "work/aws/x".to_string())]
    );
    let names: Vec<String> = removed
        .files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "profiles.json",
            "profiles.json.corrupt-20250101T000000Z",
            "profiles.json.lock"
        ]
    );
    let remaining: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        remaining,
        ["notes.txt"],
        "files that are not cloudcreds' stay"
    );
}
