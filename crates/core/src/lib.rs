//! cloudcreds-core: everything cloudcreds knows about providers, credentials and checks,
//! as plain Rust with no dependency on Tauri, so the desktop app and the CLI share it and it
//! is tested without a window.

pub mod api;
pub mod check;
pub mod credentials;
pub mod draft;
pub mod env;
pub mod error;
pub mod import;
mod net;
pub mod paste;
pub mod profile;
pub mod provider;
pub mod providers;
pub mod report;
pub mod validate;
pub mod vault;

pub use api::{
    Cloudcreds, FindingKind, KeyringFinding, KeyringFindings, KeyringStatus, Repair, ScanDepth,
};
pub use check::{check, check_all, CheckContext, CheckOptions};
pub use credentials::Credentials;
pub use draft::{PasteSummary, PastedField};
pub use env::Env;
pub use error::{ErrorCode, ErrorPayload};
pub use paste::parse_paste;
pub use profile::{
    LastCheck, ProfileError, ProfileErrorCode, ProfileStore, ProfileSummary, ProviderSettings,
    SecretMeta, StoreNotice,
};
pub use provider::{FieldKind, FieldSpec, ProviderId, ProviderInfo};
pub use providers::credentials_from_env;
pub use report::{CheckReport, IdentityEntry, RequestRecord, Status};
pub use validate::{validate, FieldIssue};
pub use vault::{Vault, VaultConfig, VaultError};
