//! Profiles: named sets of provider settings. Non-secret fields and metadata live in the
//! profile store file; secret values live only in the keyring (through `Vault`), one entry
//! per `profile/provider/field`. Every operation writes the keyring first and the file last,
//! and undoes all of it when any step fails.
//!
//! ## The store file (`profiles.json`, also in docs/profile-store.md)
//! At `$CLOUDCREDS_HOME/profiles.json`, else `<config dir>/dev.cloudcreds.desktop/profiles.json`
//! (`~/.config/…` on Linux, `~/Library/Application Support/…` on macOS, `%APPDATA%\…` on
//! Windows). UTF-8 JSON, replaced atomically on every change:
//!
//! ```json
//! {
//!   "schema_version": 1,
//!   "active_profile": "default",
//!   "profiles": {
//!     "default": {
//!       "created_at": "2025-01-31T09:00:00Z",
//!       "providers": {
//!         "aws": {
//!           "fields": { "access_key_id": "AKIAIOSFODNN7EXAMPLE", "region": "eu-west-1" },
//!           "secrets": {
//!             "secret_access_key": { "hint": "…EKEY", "set_at": "2025-01-31T09:00:00Z" }
//!           },
//!           "last_check": {
//!             "status": "ok", "checked_at": "2025-01-31T09:01:00Z",
//!             "summary": "Signed in as arn:aws:iam::123456789012:user/ci."
//!           }
//!         }
//!       }
//!     }
//!   }
//! }
//! ```
//!
//! `secrets` lists only fields that are set; `hint` is `null` for secrets under 12
//! characters. A file whose `schema_version` is higher than this build's is never written.

mod atomic;
mod change;
mod document;
mod error;
#[cfg(test)]
mod leak_tests;
mod lock;
pub mod names;
mod store;
#[cfg(test)]
mod tests;
mod txn;
mod view;

pub use document::SCHEMA_VERSION;
pub use error::{ProfileError, ProfileErrorCode};
pub use store::{
    ProfileStore, RecordedSecrets, StoreOptions, DEFAULT_LOCK_WAIT, DEFAULT_ROTATION_DAYS,
    HOME_ENV, LOCK_WAIT_ENV, STORE_FILE,
};
pub use view::{
    hint_for, mask, LastCheck, ProfileSummary, ProviderSettings, SecretMeta, StoreNotice,
};
