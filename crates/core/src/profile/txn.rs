//! The keyring half of a profile operation as an undo log: every write first reads what it
//! replaces, so any failure (including a timeout, which may still land later) is undone by
//! putting each touched entry back, newest first.

use secrecy::ExposeSecret;

use crate::vault::{SecretBytes, Vault, VaultError, VaultErrorKind};

pub(crate) struct Txn<'v> {
    vault: &'v Vault,
    undo: Vec<(String, Option<SecretBytes>)>,
    /// Entries to remove once the file is written (a rename's old names).
    after_commit: Vec<String>,
}

impl<'v> Txn<'v> {
    pub(crate) fn new(vault: &'v Vault) -> Self {
        Txn {
            vault,
            undo: Vec::new(),
            after_commit: Vec::new(),
        }
    }

    /// Removes `key` after the file is written, still inside the transaction: a crash
    /// before then leaves a duplicate, never a loss.
    pub(crate) fn delete_after_commit(&mut self, key: String) {
        self.after_commit.push(key);
    }

    pub(crate) fn take_after_commit(&mut self) -> Vec<String> {
        std::mem::take(&mut self.after_commit)
    }

    /// What `key` holds now; a damaged entry counts as nothing (it cannot be restored, and
    /// replacing it is how the user repairs it).
    fn current(&self, key: &str) -> Result<Option<SecretBytes>, VaultError> {
        match self.vault.read(key) {
            Err(e) if e.kind == VaultErrorKind::Damaged => Ok(None),
            other => other,
        }
    }

    /// Stores `value` under `key`; `false` when it already held exactly that.
    pub(crate) fn put(&mut self, key: &str, value: &SecretBytes) -> Result<bool, VaultError> {
        let old = self.current(key)?;
        if old
            .as_ref()
            .is_some_and(|o| o.expose_secret() == value.expose_secret())
        {
            return Ok(false);
        }
        // Recorded before the call: a failed or timed-out store may have landed.
        self.undo.push((key.to_string(), old));
        self.vault.store(key, value)?;
        Ok(true)
    }

    /// Removes `key` (and its chunks) if present.
    pub(crate) fn delete(&mut self, key: &str) -> Result<(), VaultError> {
        let old = self.current(key)?;
        self.undo.push((key.to_string(), old));
        self.vault.delete(key)?;
        Ok(())
    }

    /// Reads `key` without recording anything.
    pub(crate) fn read(&self, key: &str) -> Result<Option<SecretBytes>, VaultError> {
        self.vault.read(key)
    }

    /// Puts every touched entry back. Returns the keys that could not be restored.
    pub(crate) fn rollback(self) -> Result<(), Vec<String>> {
        let mut failed = Vec::new();
        for (key, old) in self.undo.into_iter().rev() {
            if let Err(e) = self.vault.restore(&key, old.as_ref()) {
                tracing::warn!(key = %key, error = %e, "could not undo a keyring change");
                failed.push(key);
            }
        }
        if failed.is_empty() {
            Ok(())
        } else {
            Err(failed)
        }
    }
}
