//! `ProfileStore`: opening the store and reading it (list, show, settings, stored
//! credentials). Readers never take the writers' lock: every write is an atomic rename, so
//! the file read is always one complete state. The changes are in `change.rs`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use secrecy::SecretString;
use time::OffsetDateTime;

use crate::providers;
use crate::schema::Credentials;
use crate::schema::ProviderId;
use crate::vault::{Vault, APP_IDENTIFIER};

use super::atomic::{self, Step};
use super::document::{self, Document, Loaded};
use super::error::{missing_or_keyring, with_note, ProfileError, ProfileErrorCode};
use super::lock::{Mode, StoreLock};
use super::txn::Txn;
use super::view::{self, ProfileSummary, ProviderSettings, StoreNotice};

mod reconcile;
pub use reconcile::RecordedSecrets;

/// Moves the folder holding the store file (tests, side-by-side installs).
pub const HOME_ENV: &str = "CLOUDCREDS_HOME";
pub const STORE_FILE: &str = "profiles.json";
/// Secrets older than this many days are flagged for rotation.
pub const DEFAULT_ROTATION_DAYS: u32 = 90;
/// How long a change waits for another process's change to finish, in milliseconds
/// (default `DEFAULT_LOCK_WAIT`); tests shorten or lengthen it.
pub const LOCK_WAIT_ENV: &str = "CLOUDCREDS_LOCK_WAIT_MS";
/// Longer than any normal change (a few keyring calls), shorter than a user's patience.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(10);

/// Tunables; `Default` is what the app uses.
#[derive(Clone)]
pub struct StoreOptions {
    pub rotation_days: u32,
    /// The clock, replaceable so tests can age secrets.
    pub now: Arc<dyn Fn() -> OffsetDateTime + Send + Sync>,
    /// How long a change waits for the lock another process holds.
    pub lock_wait: Duration,
}

impl Default for StoreOptions {
    /// The defaults, with `CLOUDCREDS_LOCK_WAIT_MS` applied.
    fn default() -> Self {
        let lock_wait = std::env::var(LOCK_WAIT_ENV)
            .ok()
            .and_then(|ms| ms.trim().parse().ok())
            .map_or(DEFAULT_LOCK_WAIT, Duration::from_millis);
        StoreOptions {
            rotation_days: DEFAULT_ROTATION_DAYS,
            now: Arc::new(OffsetDateTime::now_utc),
            lock_wait,
        }
    }
}

/// The profile store: one file plus the keyring. Methods block (the keyring part on the
/// vault's worker thread, bounded by its timeout); call them off the UI thread.
pub struct ProfileStore {
    pub(super) path: PathBuf,
    pub(super) vault: Vault,
    pub(super) options: StoreOptions,
    /// Serialises this process's changes before they queue on the lock file.
    pub(super) op: Mutex<()>,
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

pub(super) fn secret_key(profile: &str, provider: &str, field: &str) -> String {
    format!("{profile}/{provider}/{field}")
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
    /// `take_notices`) before anything else happens. Never fails on a bad file, and waits
    /// for the lock only when the file needs moving aside.
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
        if let Err(e) = store.read() {
            tracing::warn!(error = %e, "the profile store is not usable yet");
        }
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

    pub(super) fn now(&self) -> OffsetDateTime {
        (self.options.now)()
    }

    /// The current state for a reader, without the lock. A file that does not parse is
    /// moved aside only under the lock (and after a re-read), never by a bare reader.
    pub(super) fn read(&self) -> Result<Document, ProfileError> {
        if let Some(doc) = self.load(false)? {
            return Ok(doc);
        }
        let _held = StoreLock::acquire(&self.path, Mode::Exclusive, self.options.lock_wait)?;
        self.load_locked()
    }

    /// The current state for a writer holding the lock: an unreadable file is moved aside.
    pub(super) fn load_locked(&self) -> Result<Document, ProfileError> {
        Ok(self.load(true)?.unwrap_or_default())
    }

    /// Reads the file, refusing a newer schema. `None` when it does not parse and
    /// `recover` is false; with `recover`, such a file is moved aside (see `take_notices`).
    fn load(&self, recover: bool) -> Result<Option<Document>, ProfileError> {
        let stamp = self
            .now()
            .format(time::macros::format_description!(
                "[year][month][day]T[hour][minute][second]Z"
            ))
            .unwrap_or_else(|_| "unknown".into());
        let (loaded, _) = document::load(&self.path, recover.then_some(stamp.as_str()))
            .map_err(|e| ProfileError::io("read the profile store", &self.path, &e))?;
        match loaded {
            Loaded::Ok(doc) => Ok(Some(doc)),
            Loaded::Damaged => Ok(None),
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
                Ok(Some(Document::default()))
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

    pub(super) fn write(&self, doc: &Document) -> Result<(), ProfileError> {
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
    pub(super) fn keys_under(
        &self,
        prefix: &str,
        known: Vec<String>,
    ) -> Result<Vec<String>, ProfileError> {
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
        let doc = self.read()?;
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
        Ok(self.read()?.active_profile)
    }

    /// One profile.
    pub fn profile(&self, name: &str) -> Result<ProfileSummary, ProfileError> {
        let doc = self.read()?;
        self.summary(&doc, name)
    }

    pub(super) fn summary(
        &self,
        doc: &Document,
        name: &str,
    ) -> Result<ProfileSummary, ProfileError> {
        let record = doc.profile(name)?;
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
        let doc = self.read()?;
        let record = doc.profile(profile)?;
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
    /// Under a shared lock: the file and the keyring are read with no change half-applied
    /// (a rename between the two reads would otherwise look like a missing secret).
    pub fn load_credentials(
        &self,
        profile: &str,
        provider: ProviderId,
    ) -> Result<Credentials, ProfileError> {
        let doc = self.read()?;
        let _held = StoreLock::acquire(&self.path, Mode::Shared, self.options.lock_wait)?;
        let doc = self.load(false)?.unwrap_or(doc);
        let record = doc.profile(profile)?;
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
}

/// Rolls `txn` back and says so in `err` when that fails too.
pub(super) fn undo(txn: Txn<'_>, err: ProfileError) -> ProfileError {
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

pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
