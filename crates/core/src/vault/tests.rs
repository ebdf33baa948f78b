//! Vault behaviour against the in-memory backend: chunking under a Windows-sized limit,
//! rollback by restore after a fault at every call, timeouts on a stuck keyring.

use std::time::{Duration, Instant};

use secrecy::ExposeSecret;

use super::*;

const WINDOWS_LIMIT: usize = 2560;

fn config(timeout: Duration) -> VaultConfig {
    VaultConfig {
        service: "test.cloudcreds".into(),
        timeout,
        max_entry_bytes: None,
    }
}

fn vault(backend: &MemoryBackend) -> Vault {
    Vault::with_backend(backend.clone(), config(Duration::from_secs(5)))
}

fn secret(bytes: &[u8]) -> SecretBytes {
    SecretBytes::from(bytes.to_vec())
}

/// A 5 KB GCP-style key: bigger than one Windows credential.
fn big_key(tag: u8) -> Vec<u8> {
    let mut key = b"{\"type\":\"service_account\",\"private_key\":\"".to_vec();
    key.extend((0..5000).map(|i| b'A' + ((i as u8).wrapping_add(tag)) % 26));
    key.extend_from_slice(b"\"}");
    key
}

#[test]
fn a_5kb_key_round_trips_through_a_2560_byte_store_in_chunks() {
    let backend = MemoryBackend::with_limit(WINDOWS_LIMIT);
    let vault = vault(&backend);
    let key = big_key(0);
    vault
        .store("p/gcp/service_account_key", &secret(&key))
        .unwrap();

    let raw = backend.snapshot();
    assert!(
        raw.len() >= 3,
        "head + 2 chunks expected, got {:?}",
        raw.keys()
    );
    assert!(raw.values().all(|v| v.len() <= WINDOWS_LIMIT));
    let back = vault.read("p/gcp/service_account_key").unwrap().unwrap();
    assert_eq!(back.expose_secret(), &key[..]);
    assert_eq!(vault.list().unwrap(), vec!["p/gcp/service_account_key"]);
    assert_eq!(vault.list_entries().unwrap().len(), raw.len());

    // Shrinking to one entry removes the chunks; deleting removes everything.
    vault
        .store("p/gcp/service_account_key", &secret(b"small"))
        .unwrap();
    assert_eq!(backend.snapshot().len(), 1);
    vault
        .store("p/gcp/service_account_key", &secret(&key))
        .unwrap();
    assert!(vault.delete("p/gcp/service_account_key").unwrap());
    assert!(backend.snapshot().is_empty());
    assert!(!vault.delete("p/gcp/service_account_key").unwrap());
    assert!(vault.read("p/gcp/service_account_key").unwrap().is_none());
}

#[test]
fn values_that_look_like_a_manifest_or_are_binary_round_trip() {
    let backend = MemoryBackend::with_limit(64);
    let vault = vault(&backend);
    let mut tricky = chunk_magic();
    tricky.extend_from_slice(b"1:3:0000000000000000");
    vault.store("k", &secret(&tricky)).unwrap();
    assert_eq!(
        vault.read("k").unwrap().unwrap().expose_secret(),
        &tricky[..]
    );
    let binary: Vec<u8> = (0..=255).collect();
    vault.store("k", &secret(&binary)).unwrap();
    assert_eq!(
        vault.read("k").unwrap().unwrap().expose_secret(),
        &binary[..]
    );
}

fn chunk_magic() -> Vec<u8> {
    b"\0cloudcreds-chunked-v1\0".to_vec()
}

#[test]
fn a_torn_chunk_set_is_reported_as_damaged_without_its_value() {
    let backend = MemoryBackend::with_limit(WINDOWS_LIMIT);
    let vault = vault(&backend);
    vault.store("p/gcp/key", &secret(&big_key(1))).unwrap();
    // Overwrite one chunk behind the vault's back, as an interrupted write would.
    let mut raw = backend.clone();
    Backend::set(&mut raw, "test.cloudcreds", "p/gcp/key#2", b"torn").unwrap();
    let err = vault.read("p/gcp/key").unwrap_err();
    assert_eq!(err.kind, VaultErrorKind::Damaged);
    assert!(
        !err.message.contains("AAAA") && !err.message.contains("torn"),
        "{err}"
    );
}

#[test]
fn after_a_fault_at_any_call_restoring_the_old_value_leaves_the_store_as_before() {
    for (old, new) in [
        (big_key(2), big_key(3)),
        (big_key(2), b"short".to_vec()),
        (b"short".to_vec(), big_key(3)),
    ] {
        for n in 1.. {
            let backend = MemoryBackend::with_limit(WINDOWS_LIMIT);
            let vault = vault(&backend);
            vault.store("p/gcp/key", &secret(&old)).unwrap();
            vault.store("other", &secret(b"untouched")).unwrap();
            let before = backend.snapshot();
            backend.fail_call(Some(n));
            let result = vault.store("p/gcp/key", &secret(&new));
            if !backend.fault_pending() {
                assert!(
                    result.is_err(),
                    "call {n} failed but store reported success"
                );
                vault.restore("p/gcp/key", Some(&secret(&old))).unwrap();
                assert_eq!(backend.snapshot(), before, "fault at call {n}");
            } else {
                backend.fail_call(None);
                result.unwrap();
                assert_eq!(
                    vault.read("p/gcp/key").unwrap().unwrap().expose_secret(),
                    &new[..]
                );
                let entries = vault.list_entries().unwrap();
                assert!(entries
                    .iter()
                    .all(|e| e == "other" || e.starts_with("p/gcp/key")));
                break;
            }
        }
    }
}

#[test]
fn after_a_fault_while_deleting_restoring_puts_everything_back() {
    for n in 1.. {
        let backend = MemoryBackend::with_limit(WINDOWS_LIMIT);
        let vault = vault(&backend);
        let old = big_key(4);
        vault.store("p/gcp/key", &secret(&old)).unwrap();
        let before = backend.snapshot();
        backend.fail_call(Some(n));
        let result = vault.delete("p/gcp/key");
        if backend.fault_pending() {
            backend.fail_call(None);
            assert!(result.unwrap());
            assert!(backend.snapshot().is_empty());
            break;
        }
        assert!(result.is_err());
        vault.restore("p/gcp/key", Some(&secret(&old))).unwrap();
        assert_eq!(backend.snapshot(), before, "fault at call {n}");
    }
}

#[test]
fn probe_proves_a_working_store_and_names_a_missing_one() {
    let backend = MemoryBackend::new();
    let vault = vault(&backend);
    vault.probe().unwrap();
    assert!(backend.snapshot().is_empty(), "the canary is removed");

    backend.set_unavailable(true);
    let err = vault.probe().unwrap_err();
    assert_eq!(err.kind, VaultErrorKind::Unavailable);
    assert_eq!(err.status(), crate::schema::Status::KeyringUnavailable);
    assert_eq!(err.hint, unavailable_hint());
    backend.set_unavailable(false);
    vault.probe().unwrap();
}

/// A keyring that hangs on every write, like one waiting in an unlock prompt.
#[derive(Clone)]
struct StuckBackend {
    inner: MemoryBackend,
    hang: Duration,
}

impl Backend for StuckBackend {
    fn max_entry_bytes(&self) -> Option<usize> {
        None
    }
    fn set(&mut self, service: &str, account: &str, value: &[u8]) -> Result<(), BackendError> {
        std::thread::sleep(self.hang);
        self.inner.set(service, account, value)
    }
    fn get(&mut self, service: &str, account: &str) -> Result<Option<SecretBytes>, BackendError> {
        self.inner.get(service, account)
    }
    fn delete(&mut self, service: &str, account: &str) -> Result<bool, BackendError> {
        self.inner.delete(service, account)
    }
    fn list(&mut self, service: &str) -> Result<Vec<String>, BackendError> {
        self.inner.list(service)
    }
}

#[test]
fn a_stuck_keyring_times_out_fails_fast_and_still_runs_queued_undo() {
    let inner = MemoryBackend::new();
    let backend = StuckBackend {
        inner: inner.clone(),
        hang: Duration::from_millis(600),
    };
    let vault = Vault::with_backend(backend, config(Duration::from_millis(150)));

    let started = Instant::now();
    let err = vault.store("k", &secret(b"value")).unwrap_err();
    assert_eq!(err.kind, VaultErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_millis(500));
    assert!(err.message.contains("unlock prompt"), "{err}");

    // While the worker is stuck, ordinary calls are refused at once...
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    assert_eq!(vault.read("k").unwrap_err().kind, VaultErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_millis(100));

    // ...but the undo of the timed-out store is queued behind it and runs when it ends.
    let _ = vault.restore("k", None);
    std::thread::sleep(Duration::from_millis(800));
    assert!(inner.snapshot().is_empty(), "the late store was undone");
    assert!(vault.read("k").unwrap().is_none());
}

#[test]
fn the_service_name_comes_from_the_app_identifier_unless_overridden() {
    // Only the default is checked here: the override is exercised by the real keyring test,
    // which sets CLOUDCREDS_KEYRING_SERVICE in its own process.
    if std::env::var_os(SERVICE_ENV).is_none() {
        assert_eq!(VaultConfig::from_env().service, APP_IDENTIFIER);
    }
}

#[test]
fn chunk_like_keys_are_refused() {
    let vault = vault(&MemoryBackend::new());
    assert!(vault.store("a/b/c#2", &secret(b"x")).is_err());
    assert!(vault.read("").is_err());
}
