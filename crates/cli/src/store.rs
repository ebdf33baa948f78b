//! The CLI's door to the profile store: the application layer opens it and picks the
//! profile exactly as for the window; here only the notices are printed.

use cloudcreds_core::app::{open_store, resolve_profile};
use cloudcreds_core::ProfileStore;

use crate::error::CliError;

/// The profile store every front end uses. Notices (a damaged store moved aside) are
/// printed on stderr once.
pub fn open() -> Result<ProfileStore, CliError> {
    let store = open_store()?;
    for notice in store.take_notices() {
        eprintln!("cloudcreds: {}", crate::output::clean(&notice.message));
    }
    Ok(store)
}

/// The profile a command works on (`--profile`, else the active one). With
/// `create_default`, a fresh install gets a `default` profile, said on stderr.
pub fn resolve(
    store: &ProfileStore,
    explicit: Option<&str>,
    create_default: bool,
) -> Result<String, CliError> {
    let resolved = resolve_profile(store, explicit, create_default)?;
    if resolved.created {
        eprintln!("cloudcreds: created profile '{}'.", resolved.name);
    }
    Ok(resolved.name)
}
