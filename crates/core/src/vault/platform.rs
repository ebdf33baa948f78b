//! The OS keyring as a `Backend`, through keyring-core and one native store per platform:
//! the Secret Service over D-Bus (pure-Rust zbus, no libdbus) on Linux and the BSDs, the
//! login keychain on macOS, Credential Manager on Windows. Errors are mapped by kind only:
//! some keyring-core errors carry the raw value, which must never reach a message.

use std::collections::HashMap;
use std::sync::Arc;

use keyring_core::{CredentialStore, Error as KeyringError};

use crate::vault::backend::{Backend, BackendError};
use crate::vault::SecretBytes;

/// Windows Credential Manager's largest credential blob (CRED_MAX_CREDENTIAL_BLOB_SIZE).
#[cfg(windows)]
const MAX_ENTRY_BYTES: Option<usize> = Some(2560);
#[cfg(not(windows))]
const MAX_ENTRY_BYTES: Option<usize> = None;

pub(crate) struct KeyringBackend {
    store: Arc<CredentialStore>,
    max_entry_bytes: Option<usize>,
}

impl KeyringBackend {
    /// Connects to this platform's keyring. `max_entry_bytes` lowers the entry size limit
    /// (tests use it to exercise chunking against a real keyring).
    pub(crate) fn connect(max_entry_bytes: Option<usize>) -> Result<Self, BackendError> {
        let store = native_store().map_err(|e| map_error(&e))?;
        let max_entry_bytes = match (MAX_ENTRY_BYTES, max_entry_bytes) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Ok(KeyringBackend {
            store,
            max_entry_bytes,
        })
    }

    fn entry(&self, service: &str, account: &str) -> Result<keyring_core::Entry, BackendError> {
        self.store
            .build(service, account, None)
            .map_err(|e| map_error(&e))
    }
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn native_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(target_os = "macos")]
fn native_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(windows)]
fn native_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(not(any(unix, windows)))]
fn native_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Err(KeyringError::NotSupportedByStore(
        "no system keyring is supported on this platform".into(),
    ))
}

/// The search narrowing entries to one service where the store supports it; results are
/// filtered by service again in `list`.
fn search_spec(service: &str) -> HashMap<&str, &str> {
    if cfg!(windows) {
        HashMap::new()
    } else {
        HashMap::from([("service", service)])
    }
}

fn map_error(e: &KeyringError) -> BackendError {
    match e {
        KeyringError::NoStorageAccess(inner) => BackendError::Unavailable(inner.to_string()),
        KeyringError::PlatformFailure(inner) => {
            let text = inner.to_string();
            // zbus reports a missing bus or Secret Service as a platform failure.
            let lower = text.to_ascii_lowercase();
            if [
                "dbus",
                "d-bus",
                "address",
                "serviceunknown",
                "no such file",
                "connection",
            ]
            .iter()
            .any(|needle| lower.contains(needle))
            {
                BackendError::Unavailable(text)
            } else {
                BackendError::Failed(text)
            }
        }
        KeyringError::NoDefaultStore | KeyringError::NotSupportedByStore(_) => {
            BackendError::Unavailable("no credential store is available".into())
        }
        KeyringError::BadEncoding(_) | KeyringError::BadDataFormat(..) => {
            BackendError::Failed("the stored value is not in the expected format".into())
        }
        KeyringError::BadStoreFormat(what) => BackendError::Failed(what.clone()),
        KeyringError::TooLong(what, limit) => {
            BackendError::Failed(format!("{what} is longer than the keyring's {limit} limit"))
        }
        KeyringError::Invalid(what, why) => BackendError::Failed(format!("{what} {why}")),
        KeyringError::Ambiguous(entries) => BackendError::Failed(format!(
            "{} keyring entries match one name; remove the duplicates",
            entries.len()
        )),
        KeyringError::NoEntry => BackendError::Failed("no such entry".into()),
        _ => BackendError::Failed("unexpected keyring error".into()),
    }
}

impl Backend for KeyringBackend {
    fn max_entry_bytes(&self) -> Option<usize> {
        self.max_entry_bytes
    }

    fn set(&mut self, service: &str, account: &str, value: &[u8]) -> Result<(), BackendError> {
        self.entry(service, account)?
            .set_secret(value)
            .map_err(|e| map_error(&e))
    }

    fn get(&mut self, service: &str, account: &str) -> Result<Option<SecretBytes>, BackendError> {
        match self.entry(service, account)?.get_secret() {
            Ok(bytes) => Ok(Some(SecretBytes::from(bytes))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(map_error(&e)),
        }
    }

    fn delete(&mut self, service: &str, account: &str) -> Result<bool, BackendError> {
        match self.entry(service, account)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(KeyringError::NoEntry) => Ok(false),
            Err(e) => Err(map_error(&e)),
        }
    }

    fn list(&mut self, service: &str) -> Result<Vec<String>, BackendError> {
        let entries = self
            .store
            .search(&search_spec(service))
            .map_err(|e| map_error(&e))?;
        let mut accounts: Vec<String> = entries
            .iter()
            .filter_map(|entry| entry.get_specifiers())
            .filter(|(svc, _)| svc == service)
            .map(|(_, account)| account)
            .collect();
        accounts.sort();
        accounts.dedup();
        Ok(accounts)
    }
}
