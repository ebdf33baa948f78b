//! The profile-store side of keyring reconciliation (`cloudcreds doctor`): which secrets the
//! file records, and the two record-only repairs (adopt an entry found in the keyring, forget
//! a record whose entry is gone). Kept apart from the everyday operations in `store.rs`.

use std::collections::BTreeSet;

use super::ProfileStore;
use crate::profile::document::SecretRecord;
use crate::profile::error::not_found;
use crate::profile::lock::{Mode, StoreLock};
use crate::profile::view;
use crate::profile::ProfileError;
use crate::profile::ProfileErrorCode;

/// What the store file records, without any value: every profile name and every secret
/// recorded as set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordedSecrets {
    pub profiles: BTreeSet<String>,
    /// Keyring keys (`profile/provider/field`) the file says are set.
    pub keys: BTreeSet<String>,
}

impl ProfileStore {
    /// Every profile and every secret the store file records as set, read together with
    /// `listing` (the keyring's entries) under the store's shared lock, so a save in progress
    /// (entry written, file not yet) is never taken for an orphan, nor a rename for a
    /// missing secret.
    pub fn recorded_secrets_with<T>(
        &self,
        listing: impl FnOnce() -> Result<T, ProfileError>,
    ) -> Result<(RecordedSecrets, T), ProfileError> {
        // An unreadable file is moved aside first (that needs the exclusive lock).
        self.read()?;
        let _held = StoreLock::acquire(&self.path, Mode::Shared, self.options.lock_wait)?;
        let listed = listing()?;
        let doc = self.load(false)?.ok_or_else(|| {
            ProfileError::new(
                ProfileErrorCode::StoreIo,
                "The profile store changed into a file that does not parse while it was being scanned. Run the command again.",
            )
        })?;
        let mut out = RecordedSecrets::default();
        for (name, profile) in &doc.profiles {
            out.profiles.insert(name.clone());
            for (provider, record) in &profile.providers {
                for field in record.secrets.keys() {
                    out.keys.insert(super::secret_key(name, provider, field));
                }
            }
        }
        Ok((out, listed))
    }

    /// Records an existing keyring entry as `profile`'s secret `provider/field` (set now,
    /// with `hint`), creating the provider's settings if it had none. The entry itself is not
    /// touched. The caller has checked that `provider`/`field` name a secret field.
    pub fn adopt_secret(
        &self,
        profile: &str,
        provider: &str,
        field: &str,
        hint: Option<String>,
    ) -> Result<(), ProfileError> {
        let now = view::format_time(self.now());
        self.change(|doc, _| {
            let record = doc
                .profiles
                .get_mut(profile)
                .ok_or_else(|| not_found(profile))?;
            let saved = record.providers.entry(provider.to_string()).or_default();
            saved
                .secrets
                .insert(field.to_string(), SecretRecord { hint, set_at: now });
            saved.last_check = None;
            tracing::info!(profile, provider, field, "keyring entry adopted");
            Ok(())
        })
    }

    /// Forgets that `profile`'s secret `provider/field` is set (its entry is missing or
    /// damaged). `false` when it was not recorded. The keyring is not touched.
    pub fn forget_secret_record(
        &self,
        profile: &str,
        provider: &str,
        field: &str,
    ) -> Result<bool, ProfileError> {
        self.change(|doc, _| {
            let Some(saved) = doc
                .profiles
                .get_mut(profile)
                .and_then(|p| p.providers.get_mut(provider))
            else {
                return Ok(false);
            };
            if saved.secrets.remove(field).is_none() {
                return Ok(false);
            }
            saved.last_check = None;
            tracing::info!(profile, provider, field, "missing secret forgotten");
            Ok(true)
        })
    }
}
