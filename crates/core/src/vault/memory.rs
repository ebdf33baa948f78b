//! An in-memory `Backend` for tests: a per-entry size limit like Windows Credential Manager's
//! and fault injection (fail the Nth call), so rollback and chunking are provable without an
//! OS keyring. Only built for tests and the `test-support` feature: never a silent fallback.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::vault::backend::{Backend, BackendError};
use crate::vault::SecretBytes;

#[derive(Default)]
struct State {
    entries: BTreeMap<(String, String), Vec<u8>>,
    calls: usize,
    fail_at: Option<usize>,
    unavailable: bool,
}

/// A cloneable handle: the `Vault` owns one clone, the test keeps another to inspect and
/// arm faults.
#[derive(Clone, Default)]
pub struct MemoryBackend {
    state: Arc<Mutex<State>>,
    limit: Option<usize>,
}

impl MemoryBackend {
    pub fn new() -> Self {
        Self::default()
    }

    /// Refuses any value longer than `limit` bytes, as Windows does above 2,560.
    pub fn with_limit(limit: usize) -> Self {
        Self {
            limit: Some(limit),
            ..Self::default()
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Makes the `n`th call from now (1-based) fail once; `None` disarms.
    pub fn fail_call(&self, n: Option<usize>) {
        let mut s = self.lock();
        s.fail_at = n.map(|n| s.calls + n);
    }

    /// Whether an armed fault has not fired yet.
    pub fn fault_pending(&self) -> bool {
        let s = self.lock();
        s.fail_at.is_some_and(|at| at > s.calls)
    }

    /// Makes every call fail as a locked or missing keyring does.
    pub fn set_unavailable(&self, unavailable: bool) {
        self.lock().unavailable = unavailable;
    }

    /// Calls made so far.
    pub fn calls(&self) -> usize {
        self.lock().calls
    }

    /// Every raw entry `(service, account) -> bytes`, chunks included.
    pub fn snapshot(&self) -> BTreeMap<(String, String), Vec<u8>> {
        self.lock().entries.clone()
    }

    fn enter(&self) -> Result<std::sync::MutexGuard<'_, State>, BackendError> {
        let mut s = self.lock();
        s.calls += 1;
        if s.unavailable {
            return Err(BackendError::Unavailable(
                "the in-memory test keyring is switched off".into(),
            ));
        }
        if s.fail_at == Some(s.calls) {
            return Err(BackendError::Failed(format!(
                "injected fault at call {}",
                s.calls
            )));
        }
        Ok(s)
    }
}

impl Backend for MemoryBackend {
    fn max_entry_bytes(&self) -> Option<usize> {
        self.limit
    }

    fn set(&mut self, service: &str, account: &str, value: &[u8]) -> Result<(), BackendError> {
        let limit = self.limit;
        let mut s = self.enter()?;
        if limit.is_some_and(|l| value.len() > l) {
            return Err(BackendError::Failed(format!(
                "value of {} bytes exceeds the {}-byte entry limit",
                value.len(),
                limit.unwrap_or_default()
            )));
        }
        s.entries
            .insert((service.to_string(), account.to_string()), value.to_vec());
        Ok(())
    }

    fn get(&mut self, service: &str, account: &str) -> Result<Option<SecretBytes>, BackendError> {
        let s = self.enter()?;
        Ok(s.entries
            .get(&(service.to_string(), account.to_string()))
            .map(|v| SecretBytes::from(v.clone())))
    }

    fn delete(&mut self, service: &str, account: &str) -> Result<bool, BackendError> {
        let mut s = self.enter()?;
        Ok(s.entries
            .remove(&(service.to_string(), account.to_string()))
            .is_some())
    }

    fn list(&mut self, service: &str) -> Result<Vec<String>, BackendError> {
        let s = self.enter()?;
        Ok(s.entries
            .keys()
            .filter(|(svc, _)| svc == service)
            .map(|(_, account)| account.clone())
            .collect())
    }
}
