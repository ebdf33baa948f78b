//! Opening the shared profile store and keyring the way the desktop app does, and picking
//! the profile a command works on (`--profile`, `CLOUDCREDS_PROFILE`, the active one).

use cloudcreds_core::profile::StoreOptions;
use cloudcreds_core::{ProfileErrorCode, ProfileStore, Vault, VaultConfig};

use crate::error::CliError;

/// The profile store at `CLOUDCREDS_HOME` (or the app's folder) over the OS keyring.
/// Notices (a damaged store moved aside) are printed on stderr once.
pub fn open() -> Result<ProfileStore, CliError> {
    let path = ProfileStore::default_path()?;
    let vault = Vault::platform(VaultConfig::from_env());
    let store = ProfileStore::open(path, vault, StoreOptions::default());
    for notice in store.take_notices() {
        eprintln!("cloudcreds: {}", crate::output::clean(&notice.message));
    }
    Ok(store)
}

/// The profile a command works on. With `create_default`, a store with no profiles at all
/// gets a `default` profile (said on stderr) so `set` and `import` work on a fresh install.
pub fn resolve(
    store: &ProfileStore,
    explicit: Option<&str>,
    create_default: bool,
) -> Result<String, CliError> {
    if let Some(name) = explicit.map(str::trim).filter(|n| !n.is_empty()) {
        return match store.profile(name) {
            Ok(p) => Ok(p.name),
            Err(e) if e.code == ProfileErrorCode::NotFound => Err(CliError::usage(e.message)
                .with_hint(format!(
                    "Create it with `cloudcreds profiles create {name}`, or list them with `cloudcreds profiles`."
                ))),
            Err(e) => Err(e.into()),
        };
    }
    if let Some(active) = store.active()? {
        return Ok(active);
    }
    if create_default && store.list()?.is_empty() {
        match store.create("default") {
            Ok(created) => {
                eprintln!("cloudcreds: created profile 'default'.");
                return Ok(created.name);
            }
            // Another run created it in the meantime (two `set`s on a fresh install).
            Err(e) if e.code == ProfileErrorCode::AlreadyExists => {
                if let Some(active) = store.active()? {
                    return Ok(active);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(CliError::usage("There is no profile yet.").with_hint(
        "Save credentials with `cloudcreds set` or `cloudcreds import`, or create one with `cloudcreds profiles create NAME`.",
    ))
}
