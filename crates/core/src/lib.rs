//! cloudcreds-core: everything cloudcreds knows about providers, credentials and checks,
//! as plain Rust with no dependency on Tauri, so the desktop app and the CLI share it and it
//! is tested without a window.

// Layers, lowest first; a module imports only from layers below it (tests/layers.rs).
pub mod app;
pub mod check;
pub mod draft;
pub mod import;
mod net;
pub mod paste;
pub mod profile;
pub mod providers;
pub mod schema;
pub mod validate;
pub mod vault;

pub use app::{
    Cloudcreds, FindingKind, KeyringFinding, KeyringFindings, KeyringStatus, Repair, ScanDepth,
};
pub use check::{check, check_all, CheckContext, CheckOptions};
pub use draft::{PasteSummary, PastedField};
pub use paste::parse_paste;
pub use profile::{
    LastCheck, ProfileError, ProfileErrorCode, ProfileStore, ProfileSummary, ProviderSettings,
    SecretMeta, StoreNotice,
};
pub use providers::env::credentials_from_env;
pub use schema::{
    CheckReport, Credentials, CredentialsError, Env, ErrorCode, ErrorPayload, FieldIssue,
    FieldKind, FieldSpec, IdentityEntry, ProviderId, ProviderInfo, RequestRecord, Status,
};
pub use validate::validate;
pub use vault::{Vault, VaultConfig, VaultError};
