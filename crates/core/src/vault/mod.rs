//! `Vault`: the only code that touches the OS keyring. Secrets are stored as bytes, one
//! logical entry per key (`profile/provider/field`) under one service name, split into
//! chunks where the platform limits entry size. Every call runs on one worker thread, one at
//! a time, bounded by a timeout, so a locked keyring answers `keyring_unavailable` instead of
//! freezing the caller. There is no fallback: when the keyring fails, the operation fails.
//!
//! ## Why keyring-core + per-platform stores (the keyring v4 line)
//! keyring v3 is a monolith whose Linux Secret Service support needs either libdbus (a C
//! library, built from source with `vendored`) or an async runtime picked by feature, and it
//! cannot enumerate entries. The v4 line splits that into `keyring-core` (the API, tiny) and
//! one crate per store; the `keyring` v4 crate itself is now a demo wrapper. Depending on
//! keyring-core plus exactly one store per target keeps the tree lean (nothing from other
//! platforms is built), lets us hold the store instance ourselves instead of a process-wide
//! default, and gives `search`, which `list` uses for the no-orphans checks. On Linux we use
//! `zbus-secret-service-keyring-store` (pure Rust over zbus with the async-io runtime and
//! RustCrypto for the session encryption): no C toolchain or libdbus headers to build.

mod backend;
mod chunk;
mod error;
#[cfg(any(test, feature = "test-support"))]
mod memory;
mod platform;
#[cfg(test)]
mod tests;
mod worker;

use std::time::Duration;

use secrecy::{ExposeSecret, SecretSlice, SecretString};

pub use backend::{Backend, BackendError};
pub use error::{unavailable_hint, VaultError, VaultErrorKind};
#[cfg(any(test, feature = "test-support"))]
pub use memory::MemoryBackend;

use worker::{Urgency, Worker};

/// A secret value as bytes; zeroed on drop, never printed.
pub type SecretBytes = SecretSlice<u8>;

/// The app identifier the default service name derives from.
pub const APP_IDENTIFIER: &str = "dev.cloudcreds.desktop";
/// Overrides the keyring service name (tests, side-by-side installs).
pub const SERVICE_ENV: &str = "CLOUDCREDS_KEYRING_SERVICE";
/// How long one keyring operation may take before the caller gets `keyring_unavailable`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// Where and how the vault stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultConfig {
    /// The keyring service every entry is filed under.
    pub service: String,
    pub timeout: Duration,
    /// Lowers the per-entry size limit (the platform's own limit always applies).
    pub max_entry_bytes: Option<usize>,
}

impl VaultConfig {
    /// The service from `CLOUDCREDS_KEYRING_SERVICE`, else the app identifier.
    pub fn from_env() -> Self {
        let service = std::env::var(SERVICE_ENV)
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| APP_IDENTIFIER.to_string());
        VaultConfig {
            service,
            timeout: DEFAULT_TIMEOUT,
            max_entry_bytes: None,
        }
    }
}

/// Handle to the keyring. Cheap to clone; all clones share the one worker thread.
#[derive(Clone)]
pub struct Vault {
    worker: std::sync::Arc<Worker>,
    service: std::sync::Arc<str>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("service", &self.service)
            .finish()
    }
}

/// The key of the canary entry `probe` writes and removes.
const CANARY_KEY: &str = ".cloudcreds-canary";

impl Vault {
    /// The operating system's keyring. Connecting happens on the worker thread at the
    /// first call (and again after a failure), so this never blocks.
    pub fn platform(config: VaultConfig) -> Vault {
        let limit = config.max_entry_bytes;
        Self::spawn(
            Box::new(move || {
                platform::KeyringBackend::connect(limit).map(|b| Box::new(b) as Box<dyn Backend>)
            }),
            config,
        )
    }

    /// A vault over any backend (tests use the in-memory one).
    pub fn with_backend(backend: impl Backend + Clone + 'static, config: VaultConfig) -> Vault {
        Self::spawn(
            Box::new(move || Ok(Box::new(backend.clone()) as Box<dyn Backend>)),
            config,
        )
    }

    fn spawn(connect: worker::Connect, config: VaultConfig) -> Vault {
        Vault {
            worker: std::sync::Arc::new(Worker::spawn(connect, config.timeout)),
            service: config.service.into(),
        }
    }

    /// The keyring service name entries are filed under.
    pub fn service(&self) -> &str {
        &self.service
    }

    fn run<T: Send + 'static>(
        &self,
        action: &str,
        urgency: Urgency,
        f: impl FnOnce(&mut dyn Backend, &str) -> Result<T, VaultError> + Send + 'static,
    ) -> Result<T, VaultError> {
        let service = self.service.clone();
        let act = action.to_string();
        self.worker.run(action, urgency, move |slot| {
            let backend = slot
                .backend()
                .map_err(|e| VaultError::from_backend(&act, e))?;
            let result = f(backend, &service);
            if matches!(&result, Err(e) if e.kind == VaultErrorKind::Unavailable) {
                slot.reset();
            }
            result
        })
    }

    /// Stores `value` under `key`, replacing what was there.
    pub fn store(&self, key: &str, value: &SecretBytes) -> Result<(), VaultError> {
        self.store_with(key, value, Urgency::Normal)
    }

    fn store_with(
        &self,
        key: &str,
        value: &SecretBytes,
        urgency: Urgency,
    ) -> Result<(), VaultError> {
        check_key(key)?;
        let action = format!("save {key}");
        let key = key.to_string();
        let value = value.clone();
        let act = action.clone();
        tracing::debug!(service = %self.service, key = %key, bytes = value.expose_secret().len(), "keyring store");
        self.run(&action, urgency, move |b, service| {
            chunk::write(b, service, &key, value.expose_secret())
                .map_err(|e| VaultError::from_backend(&act, e))
        })
    }

    /// The value under `key`, `None` when nothing is stored.
    pub fn read(&self, key: &str) -> Result<Option<SecretBytes>, VaultError> {
        check_key(key)?;
        let action = format!("read {key}");
        let key = key.to_string();
        let act = action.clone();
        tracing::debug!(service = %self.service, key = %key, "keyring read");
        self.run(&action, Urgency::Normal, move |b, service| {
            chunk::read(b, service, &key).map_err(|e| match e {
                chunk::ReadError::Backend(e) => VaultError::from_backend(&act, e),
                chunk::ReadError::Damaged(why) => VaultError::damaged(&key, why),
            })
        })
    }

    /// The value under `key` as text.
    pub fn read_string(&self, key: &str) -> Result<Option<SecretString>, VaultError> {
        let Some(bytes) = self.read(key)? else {
            return Ok(None);
        };
        match std::str::from_utf8(bytes.expose_secret()) {
            Ok(text) => Ok(Some(SecretString::from(text))),
            Err(_) => Err(VaultError::damaged(key, "it is not text")),
        }
    }

    /// Removes `key` and its chunks; `false` when nothing was stored.
    pub fn delete(&self, key: &str) -> Result<bool, VaultError> {
        self.delete_with(key, Urgency::Normal)
    }

    fn delete_with(&self, key: &str, urgency: Urgency) -> Result<bool, VaultError> {
        check_key(key)?;
        let action = format!("remove {key}");
        let key = key.to_string();
        let act = action.clone();
        tracing::debug!(service = %self.service, key = %key, "keyring delete");
        self.run(&action, urgency, move |b, service| {
            chunk::delete(b, service, &key).map_err(|e| VaultError::from_backend(&act, e))
        })
    }

    /// Puts `key` back to `previous` (or removes it). Always queued, even behind a stuck
    /// call, because it undoes something that may still complete.
    pub(crate) fn restore(
        &self,
        key: &str,
        previous: Option<&SecretBytes>,
    ) -> Result<(), VaultError> {
        match previous {
            Some(value) => self.store_with(key, value, Urgency::MustRun),
            None => self.delete_with(key, Urgency::MustRun).map(|_| ()),
        }
    }

    /// Every key with anything stored under this service, sorted. Chunk entries count for
    /// their key, so chunks orphaned by a crash are found (and removed by `delete`).
    pub fn list(&self) -> Result<Vec<String>, VaultError> {
        let mut keys: Vec<String> = self
            .list_entries()?
            .iter()
            .map(|account| chunk::chunk_owner(account).unwrap_or(account).to_string())
            .collect();
        keys.sort();
        keys.dedup();
        Ok(keys)
    }

    /// Every raw keyring entry under this service, chunk entries (`key#2`) included, sorted.
    pub fn list_entries(&self) -> Result<Vec<String>, VaultError> {
        self.run("list its entries", Urgency::Normal, |b, service| {
            let mut accounts = b
                .list(service)
                .map_err(|e| VaultError::from_backend("list its entries", e))?;
            accounts.sort();
            Ok(accounts)
        })
    }

    /// Removes every raw entry of `key`: its head and all its chunk entries, also chunks
    /// left without a head or beyond a gap (which `delete` cannot see). Returns the raw
    /// entries removed.
    pub fn purge(&self, key: &str) -> Result<Vec<String>, VaultError> {
        let mine: Vec<String> = self
            .list_entries()?
            .into_iter()
            .filter(|account| chunk::chunk_owner(account).unwrap_or(account) == key)
            .collect();
        let action = format!("remove {key}");
        let accounts = mine.clone();
        tracing::debug!(service = %self.service, key = %key, entries = mine.len(), "keyring purge");
        self.run(&action.clone(), Urgency::Normal, move |b, service| {
            for account in &accounts {
                b.delete(service, account)
                    .map_err(|e| VaultError::from_backend(&action, e))?;
            }
            Ok(())
        })?;
        Ok(mine)
    }

    /// Proves the keyring really stores: writes a random canary, reads it back, removes it.
    pub fn probe(&self) -> Result<(), VaultError> {
        let canary: Vec<u8> = (0..32).map(|_| fastrand::u8(..)).collect();
        let canary = SecretBytes::from(canary);
        self.store(CANARY_KEY, &canary)?;
        let back = self.read(CANARY_KEY);
        let removed = self.delete(CANARY_KEY);
        match back? {
            Some(v) if v.expose_secret() == canary.expose_secret() => {}
            _ => {
                return Err(VaultError::damaged(
                    "the canary",
                    "the keyring did not return what was just saved",
                ))
            }
        }
        removed.map(|_| ())
    }
}

/// The key a raw keyring entry belongs to and whether it is a chunk (`a/b/c#2` ->
/// `(a/b/c, true)`), for reconciling the keyring's listing with the profile store.
pub fn entry_key(account: &str) -> (&str, bool) {
    match chunk::chunk_owner(account) {
        Some(head) => (head, true),
        None => (account, false),
    }
}

/// The key of the canary entry `probe` writes and removes for a moment.
pub fn is_canary(key: &str) -> bool {
    key == CANARY_KEY
}

/// The key a raw keyring entry belongs to (`a/b/c#2` -> `a/b/c`), for tests' orphan checks.
#[cfg(test)]
pub(crate) fn chunk_owner_for_tests(account: &str) -> &str {
    chunk::chunk_owner(account).unwrap_or(account)
}

/// Keys are `profile/provider/field` or internal names; a key must not look like a chunk.
fn check_key(key: &str) -> Result<(), VaultError> {
    if key.is_empty() || chunk::chunk_owner(key).is_some() {
        return Err(VaultError {
            kind: VaultErrorKind::Failed,
            message: format!("'{key}' cannot be used as a keyring key"),
            hint: "This is a bug in cloudcreds; please report it.".to_string(),
        });
    }
    Ok(())
}
