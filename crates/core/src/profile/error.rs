//! `ProfileError`: why a profile operation did nothing, as a stable code, a sentence and
//! what to do next. Built from names, paths and keyring errors only, never from values.

use serde::Serialize;
use ts_rs::TS;

use crate::schema::Status;
use crate::schema::{ErrorCode, ErrorPayload};
use crate::vault::VaultError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProfileErrorCode {
    /// A profile name (or other input) was rejected; the message says why.
    InvalidInput,
    /// No such profile or provider settings.
    NotFound,
    /// A profile with that name already exists.
    AlreadyExists,
    /// The keyring was missing, locked, too slow or failed; nothing was changed.
    KeyringUnavailable,
    /// A saved secret is missing from the keyring or cannot be read back.
    SecretMissing,
    /// The store file was written by a newer cloudcreds; it is left untouched.
    StoreTooNew,
    /// The store file could not be read or written.
    StoreIo,
    /// Another process kept the store locked for longer than the wait; the message names it.
    StoreBusy,
}

/// A failed profile operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct ProfileError {
    pub code: ProfileErrorCode,
    pub message: String,
    /// What to do next, when there is something concrete.
    pub hint: Option<String>,
}

impl ProfileError {
    pub(crate) fn new(code: ProfileErrorCode, message: impl Into<String>) -> Self {
        ProfileError {
            code,
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn keyring(what: &str, e: &VaultError) -> Self {
        ProfileError::new(
            ProfileErrorCode::KeyringUnavailable,
            format!("Could not {what}: {}", e.message),
        )
        .with_hint(e.hint.clone())
    }

    pub(crate) fn io(what: &str, path: &std::path::Path, e: &std::io::Error) -> Self {
        ProfileError::new(
            ProfileErrorCode::StoreIo,
            format!("Could not {what} {}: {e}.", path.display()),
        )
        .with_hint("Check that the folder exists, is writable and the disk is not full.")
    }

    /// The check status for a "use stored" check that could not get its secrets.
    pub fn status(&self) -> Status {
        match self.code {
            ProfileErrorCode::KeyringUnavailable => Status::KeyringUnavailable,
            _ => Status::NotConfigured,
        }
    }
}

impl From<ProfileError> for ErrorPayload {
    fn from(e: ProfileError) -> Self {
        let code = match e.code {
            ProfileErrorCode::InvalidInput => ErrorCode::InvalidInput,
            ProfileErrorCode::AlreadyExists => ErrorCode::AlreadyExists,
            ProfileErrorCode::KeyringUnavailable => ErrorCode::KeyringUnavailable,
            ProfileErrorCode::NotFound => ErrorCode::NotFound,
            _ => ErrorCode::Internal,
        };
        ErrorPayload {
            code,
            message: e.message,
            hint: e.hint,
        }
    }
}

// ---- the errors profile operations share ------------------------------------------

pub(super) fn not_found(name: &str) -> ProfileError {
    ProfileError::new(
        ProfileErrorCode::NotFound,
        format!("There is no profile named '{name}'."),
    )
}

pub(super) fn invalid(message: String) -> ProfileError {
    ProfileError::new(ProfileErrorCode::InvalidInput, message)
}

pub(super) fn already_exists(name: &str) -> ProfileError {
    ProfileError::new(
        ProfileErrorCode::AlreadyExists,
        format!("A profile named '{name}' already exists."),
    )
    .with_hint("Pick another name.")
}

pub(super) fn with_note(mut e: ProfileError, note: &str) -> ProfileError {
    e.message = format!("{} {note}", e.message);
    e
}

pub(super) fn missing_or_keyring(
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
