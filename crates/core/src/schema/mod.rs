//! The lowest layer: the words every other layer speaks (a provider's id and form schema,
//! credentials, a check's outcome and report, field issues, the environment snapshot and
//! the error shape). It imports nothing else from the crate.

mod credentials;
mod env;
mod error;
mod input_error;
mod issue;
mod outcome;
mod provider;
mod report;
pub(crate) mod text;

pub use credentials::{Credentials, CredentialsError};
pub use env::Env;
pub use error::{ErrorCode, ErrorPayload};
pub use input_error::InputError;
pub use issue::FieldIssue;
pub(crate) use outcome::Outcome;
pub(crate) use provider::{secret, text};
pub use provider::{FieldKind, FieldSpec, ProviderId, ProviderInfo};
pub(crate) use report::{now_rfc3339, rfc3339};
pub use report::{CheckReport, IdentityEntry, RequestRecord, Status};
