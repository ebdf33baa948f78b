//! `ProfileStore`: the operations on profiles (create, rename, duplicate, delete, set active,
//! save or forget a provider, load stored credentials, record a check), each as keyring
//! steps through an undo log followed by one atomic write of the store file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use secrecy::{ExposeSecret, SecretString};
use time::OffsetDateTime;

use crate::credentials::Credentials;
use crate::provider::ProviderId;
use crate::providers;
use crate::report::CheckReport;
use crate::vault::{SecretBytes, Vault, VaultError, APP_IDENTIFIER};

use super::atomic::{self, Step};
use super::document::{self, CheckRecord, Document, Loaded, ProfileRecord, SecretRecord};
use super::error::{ProfileError, ProfileErrorCode};
use super::names;
use super::txn::Txn;
use super::view::{self, ProfileSummary, ProviderSettings, StoreNotice};

mod reconcile;
pub use reconcile::RecordedSecrets;

/// Moves the folder holding the store file (tests, side-by-side installs).
pub const HOME_ENV: &str = "CLOUDCREDS_HOME";
pub const STORE_FILE: &str = "profiles.json";
/// Secrets older than this many days are flagged for rotation.
pub const DEFAULT_ROTATION_DAYS: u32 = 90;

/// Tunables; `Default` is what the app uses.
#[derive(Clone)]
pub struct StoreOptions {
    pub rotation_days: u32,
    /// The clock, replaceable so tests can age secrets.
    pub now: Arc<dyn Fn() -> OffsetDateTime + Send + Sync>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            rotation_days: DEFAULT_ROTATION_DAYS,
            now: Arc::new(OffsetDateTime::now_utc),
        }
    }
}

/// The profile store: one file plus the keyring. Methods block (the keyring part on the
/// vault's worker thread, bounded by its timeout); call them off the UI thread.
pub struct ProfileStore {
    path: PathBuf,
    vault: Vault,
    options: StoreOptions,
    /// Serialises operations within the process (each is a read-modify-write).
    op: Mutex<()>,
    notices: Mutex<Vec<StoreNotice>>,
    #[cfg(test)]
    pub(crate) fail_write_at: Mutex<Option<Step>>,
}

impl std::fmt::Debug for ProfileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileStore")
            .field("path", &self.path)
            .field("vault", &self.vault)
            .finish()
    }
}

fn secret_key(profile: &str, provider: &str, field: &str) -> String {
    format!("{profile}/{provider}/{field}")
}

fn not_found(name: &str) -> ProfileError {
    ProfileError::new(
        ProfileErrorCode::NotFound,
        format!("There is no profile named '{name}'."),
    )
}

fn invalid(message: String) -> ProfileError {
    ProfileError::new(ProfileErrorCode::InvalidInput, message)
}

impl ProfileStore {
    /// `$CLOUDCREDS_HOME/profiles.json`, else the platform config folder for the app.
    pub fn default_path() -> Result<PathBuf, ProfileError> {
        if let Some(home) = std::env::var_os(HOME_ENV).filter(|h| !h.is_empty()) {
            return Ok(PathBuf::from(home).join(STORE_FILE));
        }
        dirs::config_dir()
            .map(|dir| dir.join(APP_IDENTIFIER).join(STORE_FILE))
            .ok_or_else(|| {
                ProfileError::new(
                    ProfileErrorCode::StoreIo,
                    "Could not find a configuration folder for the profile store.",
                )
                .with_hint(format!(
                    "Set {HOME_ENV} to a folder cloudcreds may write to."
                ))
            })
    }

    /// Opens the store at `path`, reading it once so an unreadable file is moved aside (see
    /// `take_notices`) before anything else happens. Never fails on a bad file.
    pub fn open(path: impl Into<PathBuf>, vault: Vault, options: StoreOptions) -> Self {
        let store = ProfileStore {
            path: path.into(),
            vault,
            options,
            op: Mutex::new(()),
            notices: Mutex::new(Vec::new()),
            #[cfg(test)]
            fail_write_at: Mutex::new(None),
        };
        store.remove_stale_temp_files();
        let _guard = lock(&store.op);
        if let Err(e) = store.load() {
            tracing::warn!(error = %e, "the profile store is not usable yet");
        }
        drop(_guard);
        store
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// Things to tell the user once (a damaged store file was moved aside).
    pub fn take_notices(&self) -> Vec<StoreNotice> {
        std::mem::take(&mut *lock(&self.notices))
    }

    fn now(&self) -> OffsetDateTime {
        (self.options.now)()
    }

    /// Reads the file, moving an unreadable one aside and refusing a newer schema.
    fn load(&self) -> Result<Document, ProfileError> {
        let stamp = self
            .now()
            .format(time::macros::format_description!(
                "[year][month][day]T[hour][minute][second]Z"
            ))
            .unwrap_or_else(|_| "unknown".into());
        let (loaded, _) = document::load(&self.path, &stamp)
            .map_err(|e| ProfileError::io("read the profile store", &self.path, &e))?;
        match loaded {
            Loaded::Ok(doc) => Ok(doc),
            Loaded::Recovered { backup, reason } => {
                tracing::warn!(backup = %backup.display(), reason = %reason, "profile store moved aside");
                lock(&self.notices).push(StoreNotice {
                    message: format!(
                        "The profile store could not be read ({reason}); it was moved to {} and \
                         cloudcreds started with no profiles. Secrets saved in the keyring are \
                         untouched.",
                        backup.display()
                    ),
                    backup_path: Some(backup.display().to_string()),
                });
                Ok(Document::default())
            }
            Loaded::TooNew { found } => Err(ProfileError::new(
                ProfileErrorCode::StoreTooNew,
                format!(
                    "{} was written by a newer cloudcreds (schema version {found}; this one \
                     understands {}). It was left untouched.",
                    self.path.display(),
                    document::SCHEMA_VERSION
                ),
            )
            .with_hint("Update cloudcreds, or point CLOUDCREDS_HOME at another folder.")),
        }
    }

    fn write(&self, doc: &Document) -> Result<(), ProfileError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)
            .map_err(|e| ProfileError::io("create the folder of", &self.path, &e))?;
        #[cfg(test)]
        let fail_at = lock(&self.fail_write_at).take();
        let mut hook = |_step: Step| -> std::io::Result<()> {
            #[cfg(test)]
            if fail_at == Some(_step) {
                return Err(std::io::Error::other(format!(
                    "injected failure at {_step:?}"
                )));
            }
            Ok(())
        };
        atomic::write(&self.path, &document::to_bytes(doc), &mut hook)
            .map_err(|e| ProfileError::io("save the profile store", &self.path, &e))
    }

    /// Writes `doc` as the commit point of `txn`; undoes the keyring steps if it fails.
    fn commit(&self, txn: Txn<'_>, doc: &Document) -> Result<(), ProfileError> {
        match self.write(doc) {
            Ok(()) => Ok(()),
            Err(e) => Err(undo(txn, e)),
        }
    }

    /// Removes temp files that crashed writers left behind (older than ten minutes, so a
    /// concurrent writer's file is never touched).
    fn remove_stale_temp_files(&self) {
        let Some(dir) = self.path.parent() else {
            return;
        };
        let prefix = atomic::temp_prefix(&self.path);
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let stale = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|m| m.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 600);
            if stale && entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Keyring keys under `prefix` (orphans from crashes included), plus `known`.
    fn keys_under(&self, prefix: &str, known: Vec<String>) -> Result<Vec<String>, ProfileError> {
        let listed = self
            .vault
            .list()
            .map_err(|e| ProfileError::keyring("list the keyring entries", &e))?;
        let mut keys: BTreeSet<String> = known.into_iter().collect();
        keys.extend(listed.into_iter().filter(|k| k.starts_with(prefix)));
        Ok(keys.into_iter().collect())
    }

    // ---- reading -------------------------------------------------------------------------

    /// Every profile, sorted by name.
    pub fn list(&self) -> Result<Vec<ProfileSummary>, ProfileError> {
        let _guard = lock(&self.op);
        let doc = self.load()?;
        let now = self.now();
        Ok(doc
            .profiles
            .iter()
            .map(|(name, record)| {
                let active = doc.active_profile.as_deref() == Some(name.as_str());
                view::profile_summary(name, record, active, now, self.options.rotation_days)
            })
            .collect())
    }

    /// The active profile's name, if any.
    pub fn active(&self) -> Result<Option<String>, ProfileError> {
        let _guard = lock(&self.op);
        Ok(self.load()?.active_profile)
    }

    /// One profile.
    pub fn profile(&self, name: &str) -> Result<ProfileSummary, ProfileError> {
        let _guard = lock(&self.op);
        let doc = self.load()?;
        self.summary(&doc, name)
    }

    fn summary(&self, doc: &Document, name: &str) -> Result<ProfileSummary, ProfileError> {
        let record = doc.profiles.get(name).ok_or_else(|| not_found(name))?;
        let active = doc.active_profile.as_deref() == Some(name);
        Ok(view::profile_summary(
            name,
            record,
            active,
            self.now(),
            self.options.rotation_days,
        ))
    }

    /// A provider's saved settings in a profile (all secrets unset when nothing is saved).
    pub fn provider_settings(
        &self,
        profile: &str,
        provider: ProviderId,
    ) -> Result<ProviderSettings, ProfileError> {
        let _guard = lock(&self.op);
        let doc = self.load()?;
        let record = doc
            .profiles
            .get(profile)
            .ok_or_else(|| not_found(profile))?;
        let saved = record
            .providers
            .get(provider.as_str())
            .cloned()
            .unwrap_or_default();
        Ok(view::provider_settings(
            provider,
            &saved,
            self.now(),
            self.options.rotation_days,
        ))
    }

    /// The saved credentials, secrets read from the keyring, for a "use stored" check.
    pub fn load_credentials(
        &self,
        profile: &str,
        provider: ProviderId,
    ) -> Result<Credentials, ProfileError> {
        let _guard = lock(&self.op);
        let doc = self.load()?;
        let record = doc
            .profiles
            .get(profile)
            .ok_or_else(|| not_found(profile))?;
        let info = providers::info(provider);
        let saved = record.providers.get(provider.as_str()).ok_or_else(|| {
            ProfileError::new(
                ProfileErrorCode::NotFound,
                format!("Profile '{profile}' has no saved {} settings.", info.name),
            )
            .with_hint("Enter the credentials and save them first.")
        })?;
        let mut creds = Credentials::new(provider);
        for (field, value) in &saved.fields {
            if let Err(e) = creds.set(field, value.clone()) {
                tracing::warn!(profile, provider = %provider, error = %e, "skipping a stored field");
            }
        }
        for field in saved.secrets.keys() {
            let key = secret_key(profile, provider.as_str(), field);
            let label = info.field(field).map_or(field.as_str(), |f| f.label);
            let value: Option<SecretString> = self.vault.read_string(&key).map_err(|e| {
                missing_or_keyring(&e, profile, info.name, label, "read the saved secret")
            })?;
            let value = value.ok_or_else(|| {
                ProfileError::new(
                    ProfileErrorCode::SecretMissing,
                    format!(
                        "The saved {label} for {} in profile '{profile}' is missing from the \
                         keyring.",
                        info.name
                    ),
                )
                .with_hint("Enter it again and save.")
            })?;
            if let Err(e) = creds.set_secret(field, value) {
                tracing::warn!(profile, provider = %provider, error = %e, "skipping a stored secret");
            }
        }
        Ok(creds)
    }

    // ---- changing ------------------------------------------------------------------------

    /// Creates an empty profile; the first profile becomes the active one.
    pub fn create(&self, name: &str) -> Result<ProfileSummary, ProfileError> {
        let name = names::validate(name).map_err(invalid)?;
        let _guard = lock(&self.op);
        let mut doc = self.load()?;
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
        self.write(&doc)?;
        tracing::info!(profile = name, "profile created");
        self.summary(&doc, name)
    }

    /// Makes `name` the active profile.
    pub fn set_active(&self, name: &str) -> Result<ProfileSummary, ProfileError> {
        let _guard = lock(&self.op);
        let mut doc = self.load()?;
        if !doc.profiles.contains_key(name) {
            return Err(not_found(name));
        }
        doc.active_profile = Some(name.to_string());
        self.write(&doc)?;
        tracing::info!(profile = name, "active profile set");
        self.summary(&doc, name)
    }

    /// Copies `from` with every secret (new keyring entries) to a new profile `to`.
    pub fn duplicate(&self, from: &str, to: &str) -> Result<ProfileSummary, ProfileError> {
        let to = names::validate(to).map_err(invalid)?;
        let _guard = lock(&self.op);
        let mut doc = self.load()?;
        let record = doc
            .profiles
            .get(from)
            .ok_or_else(|| not_found(from))?
            .clone();
        if doc.profiles.contains_key(to) {
            return Err(already_exists(to));
        }
        let mut txn = Txn::new(&self.vault);
        if let Err(e) = self.copy_secrets(&mut txn, from, to, &record) {
            return Err(undo(txn, e));
        }
        doc.profiles.insert(
            to.to_string(),
            ProfileRecord {
                created_at: view::format_time(self.now()),
                ..record
            },
        );
        self.commit(txn, &doc)?;
        tracing::info!(from, to, "profile duplicated");
        self.summary(&doc, to)
    }

    /// Renames a profile, moving every keyring entry to the new name.
    pub fn rename(&self, from: &str, to: &str) -> Result<ProfileSummary, ProfileError> {
        let to = names::validate(to).map_err(invalid)?;
        let _guard = lock(&self.op);
        let old_doc = self.load()?;
        let record = old_doc
            .profiles
            .get(from)
            .ok_or_else(|| not_found(from))?
            .clone();
        if from == to {
            return self.summary(&old_doc, to);
        }
        if old_doc.profiles.contains_key(to) {
            return Err(already_exists(to));
        }
        let mut txn = Txn::new(&self.vault);
        let old_keys = match self.copy_secrets(&mut txn, from, to, &record) {
            Ok(keys) => keys,
            Err(e) => return Err(undo(txn, e)),
        };
        let mut doc = old_doc.clone();
        doc.profiles.remove(from);
        doc.profiles.insert(to.to_string(), record);
        if doc.active_profile.as_deref() == Some(from) {
            doc.active_profile = Some(to.to_string());
        }
        // Copies first, then the file, then removal of the old entries: a crash anywhere
        // leaves every secret reachable or merely duplicated, never lost.
        if let Err(e) = self.write(&doc) {
            return Err(undo(txn, e));
        }
        for key in &old_keys {
            if let Err(e) = txn.delete(key) {
                let err = ProfileError::keyring("remove the old keyring entries", &e);
                let err = undo(txn, err);
                return Err(match self.write(&old_doc) {
                    Ok(()) => err,
                    Err(w) => with_note(err, &w.message),
                });
            }
        }
        tracing::info!(from, to, "profile renamed");
        self.summary(&doc, to)
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
        let _guard = lock(&self.op);
        let mut doc = self.load()?;
        let record = doc.profiles.remove(name).ok_or_else(|| not_found(name))?;
        let known = record
            .providers
            .iter()
            .flat_map(|(p, r)| r.secrets.keys().map(move |f| secret_key(name, p, f)))
            .collect();
        let keys = self.keys_under(&format!("{name}/"), known)?;
        let mut txn = Txn::new(&self.vault);
        for key in &keys {
            if let Err(e) = txn.delete(key) {
                return Err(undo(
                    txn,
                    ProfileError::keyring("remove the profile's secrets", &e),
                ));
            }
        }
        if doc.active_profile.as_deref() == Some(name) {
            doc.active_profile = doc.profiles.keys().next().cloned();
        }
        self.commit(txn, &doc)?;
        tracing::info!(profile = name, "profile deleted");
        Ok(())
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
        let provider = creds.provider();
        let pid = provider.as_str();
        let info = providers::info(provider);
        for field in clear {
            if !info.field(field).is_some_and(|f| f.kind.is_secret()) {
                return Err(invalid(format!(
                    "{} has no secret field '{field}'.",
                    info.name
                )));
            }
        }
        let _guard = lock(&self.op);
        let mut doc = self.load()?;
        let profile_record = doc
            .profiles
            .get(profile)
            .ok_or_else(|| not_found(profile))?;
        let old = profile_record
            .providers
            .get(pid)
            .cloned()
            .unwrap_or_default();
        let mut record = old.clone();
        record.fields = creds.plain_fields().clone();
        let now = view::format_time(self.now());

        let mut txn = Txn::new(&self.vault);
        let keyring = |e: VaultError| ProfileError::keyring("save the secrets", &e);
        let mut steps = || -> Result<(), ProfileError> {
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
            for field in clear {
                if creds.secret(field).is_none() {
                    txn.delete(&secret_key(profile, pid, field))
                        .map_err(keyring)?;
                    record.secrets.remove(*field);
                }
            }
            Ok(())
        };
        if let Err(e) = steps() {
            return Err(undo(txn, e));
        }
        if record.fields != old.fields || record.secrets != old.secrets {
            record.last_check = None;
        }
        if let Some(p) = doc.profiles.get_mut(profile) {
            p.providers.insert(pid.to_string(), record.clone());
        }
        self.commit(txn, &doc)?;
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
        let _guard = lock(&self.op);
        let mut doc = self.load()?;
        let profile_record = doc
            .profiles
            .get_mut(profile)
            .ok_or_else(|| not_found(profile))?;
        let known = profile_record
            .providers
            .remove(pid)
            .map(|r| {
                r.secrets
                    .keys()
                    .map(|f| secret_key(profile, pid, f))
                    .collect()
            })
            .unwrap_or_default();
        let keys = self.keys_under(&format!("{profile}/{pid}/"), known)?;
        let mut txn = Txn::new(&self.vault);
        for key in &keys {
            if let Err(e) = txn.delete(key) {
                return Err(undo(
                    txn,
                    ProfileError::keyring("remove the saved secrets", &e),
                ));
            }
        }
        self.commit(txn, &doc)?;
        tracing::info!(profile, provider = pid, "provider settings forgotten");
        Ok(())
    }

    /// Records the outcome of a check of saved settings; `false` when the provider has no
    /// saved settings in that profile (a check of unsaved form values is not recorded).
    pub fn record_check(&self, profile: &str, report: &CheckReport) -> Result<bool, ProfileError> {
        let _guard = lock(&self.op);
        let mut doc = self.load()?;
        let record = doc
            .profiles
            .get_mut(profile)
            .ok_or_else(|| not_found(profile))?;
        let Some(saved) = record.providers.get_mut(report.provider.as_str()) else {
            return Ok(false);
        };
        saved.last_check = Some(CheckRecord {
            status: report.status.as_str().to_string(),
            checked_at: report.checked_at.clone(),
            summary: report.summary.clone(),
        });
        self.write(&doc)?;
        Ok(true)
    }
}

fn already_exists(name: &str) -> ProfileError {
    ProfileError::new(
        ProfileErrorCode::AlreadyExists,
        format!("A profile named '{name}' already exists."),
    )
    .with_hint("Pick another name.")
}

fn with_note(mut e: ProfileError, note: &str) -> ProfileError {
    e.message = format!("{} {note}", e.message);
    e
}

/// Rolls `txn` back and says so in `err` when that fails too.
fn undo(txn: Txn<'_>, err: ProfileError) -> ProfileError {
    match txn.rollback() {
        Ok(()) => err,
        Err(keys) => with_note(
            err,
            &format!(
                "Undoing the keyring changes also failed for {}; they will be retried by the \
                 keyring thread, or remove them with your system's password manager.",
                keys.join(", ")
            ),
        ),
    }
}

fn missing_or_keyring(
    e: &VaultError,
    profile: &str,
    provider: &str,
    label: &str,
    what: &str,
) -> ProfileError {
    if e.kind == crate::vault::VaultErrorKind::Damaged {
        ProfileError::new(
            ProfileErrorCode::SecretMissing,
            format!("The saved {label} for {provider} in profile '{profile}' is damaged: {e}"),
        )
        .with_hint(e.hint.clone())
    } else {
        ProfileError::keyring(what, e)
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
