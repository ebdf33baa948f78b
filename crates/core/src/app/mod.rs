//! The operations the desktop shell and the CLI expose, one method each, so a Tauri command
//! or a CLI subcommand is a one-line delegation and every behaviour is tested here.

mod checks;
pub mod doctor;
pub mod leave;
mod profiles;
mod stored;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use ts_rs::TS;

use crate::check::{check, CheckContext, CheckOptions};
use crate::draft::{Drafts, PasteSummary};
use crate::profile::{ProfileErrorCode, ProfileStore, StoreOptions};
use crate::providers;
use crate::schema::CheckReport;
use crate::schema::Credentials;
use crate::schema::Env;
use crate::schema::FieldIssue;
use crate::schema::{ErrorCode, ErrorPayload};
use crate::schema::{ProviderId, ProviderInfo};
use crate::validate::validate;
use crate::vault::{Vault, VaultConfig};

pub use checks::{check_env, CheckRun};
pub use doctor::{FindingKind, KeyringFinding, KeyringFindings, Repair, ScanDepth};

/// Whether the OS keyring works, as the window's banner shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KeyringStatus {
    pub available: bool,
    /// Where the keyring lives (`dev.cloudcreds.desktop` or the override).
    pub service: String,
    /// Why it does not work, when it does not.
    pub message: Option<String>,
    /// What to do about it, for this platform.
    pub hint: Option<String>,
}

/// Long-lived state behind the window or a CLI run.
pub struct Cloudcreds {
    checks: Arc<CheckContext>,
    drafts: Drafts,
    store: Arc<ProfileStore>,
}

impl Cloudcreds {
    /// The real thing: endpoint overrides from `env`, the profile store at its default path
    /// (or `CLOUDCREDS_HOME`), the OS keyring (or `CLOUDCREDS_KEYRING_SERVICE`).
    pub fn open(env: Env, options: CheckOptions) -> Result<Self, ErrorPayload> {
        Ok(Self::new(CheckContext::new(env, options), open_store()?))
    }

    pub fn new(checks: CheckContext, store: ProfileStore) -> Self {
        Self {
            checks: Arc::new(checks),
            drafts: Drafts::default(),
            store: Arc::new(store),
        }
    }

    pub fn providers(&self) -> &'static [&'static ProviderInfo] {
        providers::all()
    }

    /// Format problems with what the user has typed so far.
    pub fn validate(
        &self,
        provider: ProviderId,
        values: BTreeMap<String, String>,
    ) -> Result<Vec<FieldIssue>, ErrorPayload> {
        Ok(validate(&self.drafts.fill(typed(provider, values)?)))
    }

    /// Parses pasted text; secrets stay here, the summary holds only hints of them.
    pub fn paste(&self, text: &str) -> Result<PasteSummary, ErrorPayload> {
        self.drafts.paste(text)
    }

    /// Forgets pasted secrets for `provider`.
    pub fn clear_draft(&self, provider: ProviderId) {
        self.drafts.clear(provider);
    }

    /// Proves the keyring works with a canary entry (never a silent fallback).
    pub async fn keyring_status(&self) -> KeyringStatus {
        let vault = self.store.vault().clone();
        let service = vault.service().to_string();
        let probe = tokio::task::spawn_blocking(move || vault.probe()).await;
        match probe {
            Ok(Ok(())) => KeyringStatus {
                available: true,
                service,
                message: None,
                hint: None,
            },
            Ok(Err(e)) => KeyringStatus {
                available: false,
                service,
                message: Some(e.message),
                hint: Some(e.hint),
            },
            Err(_) => KeyringStatus {
                available: false,
                service,
                message: Some("The keyring check stopped unexpectedly.".into()),
                hint: Some(crate::vault::unavailable_hint().into()),
            },
        }
    }

    /// "Test connection": typed values first, then the latest paste, then (with `profile`)
    /// the secrets saved in the keyring. A check of exactly the saved settings is recorded
    /// as the profile's last check.
    pub async fn test_connection(
        &self,
        provider: ProviderId,
        values: BTreeMap<String, String>,
        profile: Option<String>,
    ) -> Result<CheckReport, ErrorPayload> {
        let typed = typed(provider, values)?;
        let filled = self.drafts.fill(typed.clone());
        let Some(profile) = profile else {
            return Ok(check(&filled, &self.checks).await);
        };
        let (creds, is_saved) = match self.stored_fill(&profile, &typed, filled).await {
            Ok(result) => result,
            Err(report) => return Ok(report),
        };
        let report = check(&creds, &self.checks).await;
        if is_saved {
            let (store, report) = (self.store.clone(), report.clone());
            // Recording is best effort: the check's answer matters more than its history.
            let _ =
                tokio::task::spawn_blocking(move || store.record_check(&profile, &report)).await;
        }
        Ok(report)
    }

    /// Runs `f` on a blocking thread: profile operations touch files and the keyring.
    async fn blocking<T, E, F>(&self, f: F) -> Result<T, ErrorPayload>
    where
        T: Send + 'static,
        E: Into<ErrorPayload> + Send + 'static,
        F: FnOnce(&ProfileStore) -> Result<T, E> + Send + 'static,
    {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|_| {
                ErrorPayload::new(
                    ErrorCode::Internal,
                    "A profile operation stopped unexpectedly.",
                )
            })?
            .map_err(Into::into)
    }
}

/// The profile store every front end uses: `profiles.json` at its default place (or under
/// `CLOUDCREDS_HOME`) over the OS keyring (or `CLOUDCREDS_KEYRING_SERVICE`'s entries).
pub fn open_store() -> Result<ProfileStore, ErrorPayload> {
    let path = ProfileStore::default_path().map_err(ErrorPayload::from)?;
    let vault = Vault::platform(VaultConfig::from_env());
    Ok(ProfileStore::open(path, vault, StoreOptions::default()))
}

/// The profile a command works on, and whether it was just created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedProfile {
    pub name: String,
    /// True when the store had no profile at all and `default` was created for this call.
    pub created: bool,
}

/// `explicit`, else the active profile. With `create_default`, a store with no profiles
/// gets a `default` profile, so saving and importing work on a fresh install.
pub fn resolve_profile(
    store: &ProfileStore,
    explicit: Option<&str>,
    create_default: bool,
) -> Result<ResolvedProfile, ErrorPayload> {
    let found = |name: String| ResolvedProfile {
        name,
        created: false,
    };
    if let Some(name) = explicit.map(str::trim).filter(|n| !n.is_empty()) {
        return match store.profile(name) {
            Ok(p) => Ok(found(p.name)),
            Err(e) if e.code == ProfileErrorCode::NotFound => {
                Err(ErrorPayload::new(ErrorCode::NotFound, e.message).with_hint(format!(
                    "Create it with `cloudcreds profiles create {name}`, or list them with `cloudcreds profiles`."
                )))
            }
            Err(e) => Err(e.into()),
        };
    }
    if let Some(active) = store.active()? {
        return Ok(found(active));
    }
    if create_default && store.list()?.is_empty() {
        match store.create("default") {
            Ok(created) => {
                return Ok(ResolvedProfile {
                    name: created.name,
                    created: true,
                })
            }
            // Another run created it in the meantime (two `set`s on a fresh install).
            Err(e) if e.code == ProfileErrorCode::AlreadyExists => {
                if let Some(active) = store.active()? {
                    return Ok(found(active));
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(ErrorPayload::new(ErrorCode::NotFound, "There is no profile yet.").with_hint(
        "Save credentials with `cloudcreds set` or `cloudcreds import`, or create one with `cloudcreds profiles create NAME`.",
    ))
}

fn typed(
    provider: ProviderId,
    values: BTreeMap<String, String>,
) -> Result<Credentials, ErrorPayload> {
    Credentials::from_values(provider, values)
        .map_err(|e| ErrorPayload::new(ErrorCode::InvalidInput, e.to_string()))
}

#[cfg(test)]
mod tests;
