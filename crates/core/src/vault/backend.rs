//! The seam between `Vault` and a credential store: a handful of byte-level calls, so the
//! chunking and rollback logic is tested against an in-memory store with fault injection
//! and runs unchanged against the OS keyring.

use crate::vault::SecretBytes;

/// Why a backend call failed. Messages describe the store, never a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendError {
    /// The store cannot be reached or is locked (no Secret Service, no D-Bus session, a
    /// locked collection, access refused).
    Unavailable(String),
    /// The store answered but refused or failed this call.
    Failed(String),
}

impl BackendError {
    pub fn message(&self) -> &str {
        match self {
            BackendError::Unavailable(m) | BackendError::Failed(m) => m,
        }
    }
}

/// One credential store holding byte values under `(service, account)`. Implementations are
/// driven from a single worker thread, one call at a time.
pub trait Backend: Send {
    /// The largest value one entry accepts, if the platform has a limit that matters
    /// (Windows Credential Manager: 2,560 bytes). Larger values are split into chunks.
    fn max_entry_bytes(&self) -> Option<usize>;

    /// Creates or replaces an entry.
    fn set(&mut self, service: &str, account: &str, value: &[u8]) -> Result<(), BackendError>;

    /// The entry's value, `None` when there is no such entry.
    fn get(&mut self, service: &str, account: &str) -> Result<Option<SecretBytes>, BackendError>;

    /// Removes an entry; `false` when there was none.
    fn delete(&mut self, service: &str, account: &str) -> Result<bool, BackendError>;

    /// Every account held under `service`, in any order.
    fn list(&mut self, service: &str) -> Result<Vec<String>, BackendError>;
}
