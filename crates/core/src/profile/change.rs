//! Every change to the store goes through `ProfileStore::change`: take the lock file,
//! re-read the file under it, apply the change (keyring steps through the undo log), write
//! the file, finish the keyring steps that must follow the write, and only then let the
//! next writer in. So concurrent writers (the app, CLI runs) act one after the other and
//! none loses another's work.

use secrecy::ExposeSecret;

use crate::providers;
use crate::schema::CheckReport;
use crate::schema::Credentials;
use crate::schema::ProviderId;
use crate::vault::{SecretBytes, VaultError};

use super::document::{CheckRecord, Document, ProfileRecord, SecretRecord};
use super::error::{already_exists, invalid, not_found, with_note, ProfileError};
use super::lock::{Mode, StoreLock};
use super::names;
use super::store::{lock, secret_key, undo, ProfileStore};
use super::txn::Txn;
use super::view::{self, ProfileSummary, ProviderSettings};

impl ProfileStore {
    /// Runs `apply` on the current state, alone: the lock file is held from the re-read to
    /// the last keyring step. When `apply` fails, or the file cannot be written, every
    /// keyring step is undone and the file is left as it was.
    pub(super) fn change<T>(
        &self,
        apply: impl FnOnce(&mut Document, &mut Txn<'_>) -> Result<T, ProfileError>,
    ) -> Result<T, ProfileError> {
        let _in_process = lock(&self.op);
        let _held = StoreLock::acquire(&self.path, Mode::Exclusive, self.options.lock_wait)?;
        let before = self.load_locked()?;
        let mut doc = before.clone();
        let mut txn = Txn::new(&self.vault);
        let value = match apply(&mut doc, &mut txn) {
            Ok(value) => value,
            Err(e) => return Err(undo(txn, e)),
        };
        if doc != before {
            if let Err(e) = self.write(&doc) {
                return Err(undo(txn, e));
            }
        }
        for key in txn.take_after_commit() {
            if let Err(e) = txn.delete(&key) {
                let err = undo(
                    txn,
                    ProfileError::keyring("remove the old keyring entries", &e),
                );
                return Err(match self.write(&before) {
                    Ok(()) => err,
                    Err(w) => with_note(err, &w.message),
                });
            }
        }
        Ok(value)
    }

    /// Creates an empty profile; the first profile becomes the active one.
    pub fn create(&self, name: &str) -> Result<ProfileSummary, ProfileError> {
        let name = names::validate(name).map_err(|e| invalid(e.to_string()))?;
        self.change(|doc, _| {
            if doc.profiles.contains_key(name) {
                return Err(already_exists(name));
            }
            doc.profiles.insert(
                name.to_string(),
                ProfileRecord {
                    created_at: view::format_time(self.now()),
                    providers: Default::default(),
                },
            );
            if doc.active_profile.is_none() {
                doc.active_profile = Some(name.to_string());
            }
            tracing::info!(profile = name, "profile created");
            self.summary(doc, name)
        })
    }

    /// Makes `name` the active profile.
    pub fn set_active(&self, name: &str) -> Result<ProfileSummary, ProfileError> {
        self.change(|doc, _| {
            if !doc.profiles.contains_key(name) {
                return Err(not_found(name));
            }
            doc.active_profile = Some(name.to_string());
            tracing::info!(profile = name, "active profile set");
            self.summary(doc, name)
        })
    }

    /// Copies `from` with every secret (new keyring entries) to a new profile `to`.
    pub fn duplicate(&self, from: &str, to: &str) -> Result<ProfileSummary, ProfileError> {
        let to = names::validate(to).map_err(|e| invalid(e.to_string()))?;
        self.change(|doc, txn| {
            let (record, _) = self.copy_to_new_name(doc, txn, from, to)?;
            doc.profiles.insert(
                to.to_string(),
                ProfileRecord {
                    created_at: view::format_time(self.now()),
                    ..record
                },
            );
            tracing::info!(from, to, "profile duplicated");
            self.summary(doc, to)
        })
    }

    /// Renames a profile, moving every keyring entry to the new name: copies first, then
    /// the file, then removal of the old entries, so a crash anywhere leaves every secret
    /// reachable or merely duplicated, never lost.
    pub fn rename(&self, from: &str, to: &str) -> Result<ProfileSummary, ProfileError> {
        let to = names::validate(to).map_err(|e| invalid(e.to_string()))?;
        self.change(|doc, txn| {
            if from == to {
                return self.summary(doc, to);
            }
            let (record, sources) = self.copy_to_new_name(doc, txn, from, to)?;
            for key in sources {
                txn.delete_after_commit(key);
            }
            doc.profiles.remove(from);
            doc.profiles.insert(to.to_string(), record);
            if doc.active_profile.as_deref() == Some(from) {
                doc.active_profile = Some(to.to_string());
            }
            tracing::info!(from, to, "profile renamed");
            self.summary(doc, to)
        })
    }

    /// The record of profile `from`, whose secrets are now copied to the new name `to` (which
    /// must not exist yet), and the source keys: what duplicate and rename share.
    fn copy_to_new_name(
        &self,
        doc: &Document,
        txn: &mut Txn<'_>,
        from: &str,
        to: &str,
    ) -> Result<(ProfileRecord, Vec<String>), ProfileError> {
        let record = doc.profile(from)?.clone();
        if doc.profiles.contains_key(to) {
            return Err(already_exists(to));
        }
        let sources = self.copy_secrets(txn, from, to, &record)?;
        Ok((record, sources))
    }

    /// Puts a copy of every secret under `from/` at `to/`, clearing stale entries already
    /// under `to/`. Returns the source keys.
    fn copy_secrets(
        &self,
        txn: &mut Txn<'_>,
        from: &str,
        to: &str,
        record: &ProfileRecord,
    ) -> Result<Vec<String>, ProfileError> {
        let known = record
            .providers
            .iter()
            .flat_map(|(p, r)| r.secrets.keys().map(move |f| secret_key(from, p, f)))
            .collect();
        let sources = self.keys_under(&format!("{from}/"), known)?;
        let stale = self.keys_under(&format!("{to}/"), Vec::new())?;
        let keyring = |e: VaultError| ProfileError::keyring("copy the saved secrets", &e);
        for key in stale {
            txn.delete(&key).map_err(keyring)?;
        }
        for source in &sources {
            let target = format!("{to}/{}", &source[from.len() + 1..]);
            if let Some(value) = txn.read(source).map_err(keyring)? {
                txn.put(&target, &value).map_err(keyring)?;
            }
        }
        Ok(sources)
    }

    /// Deletes a profile and every keyring entry it has.
    pub fn delete(&self, name: &str) -> Result<(), ProfileError> {
        self.change(|doc, txn| {
            let record = doc.profiles.remove(name).ok_or_else(|| not_found(name))?;
            let known = record
                .providers
                .iter()
                .flat_map(|(p, r)| r.secrets.keys().map(move |f| secret_key(name, p, f)))
                .collect();
            for key in self.keys_under(&format!("{name}/"), known)? {
                txn.delete(&key)
                    .map_err(|e| ProfileError::keyring("remove the profile's secrets", &e))?;
            }
            if doc.active_profile.as_deref() == Some(name) {
                doc.active_profile = doc.profiles.keys().next().cloned();
            }
            tracing::info!(profile = name, "profile deleted");
            Ok(())
        })
    }

    /// Saves a provider's settings: every secret in `creds` replaces the stored one, secrets
    /// named in `clear` are removed, secrets in neither are kept; non-secret fields are
    /// replaced by those in `creds`. Secrets are written first, then the file; on any failure
    /// everything is put back as it was.
    pub fn save_provider(
        &self,
        profile: &str,
        creds: &Credentials,
        clear: &[&str],
    ) -> Result<ProviderSettings, ProfileError> {
        let info = providers::info(creds.provider());
        for field in clear {
            if !info.field(field).is_some_and(|f| f.kind.is_secret()) {
                return Err(invalid(format!(
                    "{} has no secret field '{field}'.",
                    info.name
                )));
            }
        }
        self.save(profile, creds, clear, Fields::Replace)
    }

    /// Changes only what is named: every field in `creds` (plain or secret) is added or
    /// replaced, every field in `remove` is removed, and the rest of the provider's saved
    /// settings stay as they are *now*, so two `cloudcreds set` of different fields at once
    /// both land.
    pub fn update_provider(
        &self,
        profile: &str,
        creds: &Credentials,
        remove: &[&str],
    ) -> Result<ProviderSettings, ProfileError> {
        let info = providers::info(creds.provider());
        if let Some(field) = remove.iter().find(|f| info.field(f).is_none()) {
            return Err(invalid(format!("{} has no field '{field}'.", info.name)));
        }
        self.save(profile, creds, remove, Fields::Merge)
    }

    fn save(
        &self,
        profile: &str,
        creds: &Credentials,
        remove: &[&str],
        fields: Fields,
    ) -> Result<ProviderSettings, ProfileError> {
        let provider = creds.provider();
        let pid = provider.as_str();
        let info = providers::info(provider);
        let record = self.change(|doc, txn| {
            let old = doc
                .profile(profile)?
                .providers
                .get(pid)
                .cloned()
                .unwrap_or_default();
            let mut record = old.clone();
            match fields {
                Fields::Replace => record.fields = creds.plain_fields().clone(),
                Fields::Merge => {
                    record.fields.extend(creds.plain_fields().clone());
                    for field in remove {
                        record.fields.remove(*field);
                    }
                }
            }
            let now = view::format_time(self.now());
            let keyring = |e: VaultError| ProfileError::keyring("save the secrets", &e);
            for (field, value) in creds.secret_fields() {
                let key = secret_key(profile, pid, field);
                let bytes = SecretBytes::from(value.expose_secret().as_bytes().to_vec());
                let changed = txn.put(&key, &bytes).map_err(keyring)?;
                if changed || !record.secrets.contains_key(field) {
                    let kind = info.field(field).map(|f| f.kind);
                    record.secrets.insert(
                        field.clone(),
                        SecretRecord {
                            hint: kind.and_then(|k| view::hint_for(k, value.expose_secret())),
                            set_at: now.clone(),
                        },
                    );
                }
            }
            for field in remove {
                let secret = info.field(field).is_some_and(|f| f.kind.is_secret());
                if secret && creds.secret(field).is_none() {
                    txn.delete(&secret_key(profile, pid, field))
                        .map_err(keyring)?;
                    record.secrets.remove(*field);
                }
            }
            if record.fields != old.fields || record.secrets != old.secrets {
                record.last_check = None;
            }
            if let Some(p) = doc.profiles.get_mut(profile) {
                p.providers.insert(pid.to_string(), record.clone());
            }
            Ok(record)
        })?;
        tracing::info!(profile, provider = pid, "provider settings saved");
        Ok(view::provider_settings(
            provider,
            &record,
            self.now(),
            self.options.rotation_days,
        ))
    }

    /// Removes a provider's settings and secrets from a profile.
    pub fn forget_provider(&self, profile: &str, provider: ProviderId) -> Result<(), ProfileError> {
        let pid = provider.as_str();
        self.change(|doc, txn| {
            let known = doc
                .profile_mut(profile)?
                .providers
                .remove(pid)
                .map(|r| {
                    r.secrets
                        .keys()
                        .map(|f| secret_key(profile, pid, f))
                        .collect()
                })
                .unwrap_or_default();
            for key in self.keys_under(&format!("{profile}/{pid}/"), known)? {
                txn.delete(&key)
                    .map_err(|e| ProfileError::keyring("remove the saved secrets", &e))?;
            }
            tracing::info!(profile, provider = pid, "provider settings forgotten");
            Ok(())
        })
    }

    /// Records the outcome of a check of saved settings; `false` when the provider has no
    /// saved settings in that profile (a check of unsaved form values is not recorded).
    pub fn record_check(&self, profile: &str, report: &CheckReport) -> Result<bool, ProfileError> {
        self.change(|doc, _| {
            let record = doc.profile_mut(profile)?;
            let Some(saved) = record.providers.get_mut(report.provider.as_str()) else {
                return Ok(false);
            };
            saved.last_check = Some(CheckRecord {
                status: report.status.as_str().to_string(),
                checked_at: report.checked_at.clone(),
                summary: report.summary.clone(),
            });
            Ok(true)
        })
    }
}

/// What a save does with the provider's non-secret fields.
#[derive(Clone, Copy)]
enum Fields {
    /// The saved fields become exactly those given (the app's Save, `import`).
    Replace,
    /// The given fields are added or replaced, the others kept (`cloudcreds set`).
    Merge,
}
