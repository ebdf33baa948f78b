//! cloudcreds-core: everything cloudcreds knows about providers, credentials and checks,
//! as plain Rust with no dependency on Tauri, so the desktop app and the CLI share it and it
//! is tested without a window.

pub mod credentials;
pub mod error;
pub mod provider;
pub mod providers;
pub mod report;

pub use credentials::Credentials;
pub use error::{ErrorCode, ErrorPayload};
pub use provider::{FieldKind, FieldSpec, ProviderId, ProviderInfo};
pub use report::{CheckReport, IdentityEntry, RequestRecord, Status};
