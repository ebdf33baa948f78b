//! The error shape that crosses every boundary (IPC, CLI JSON): a stable `code` the UI can
//! branch on and a `message` a person can act on. Messages never contain secrets.

use serde::Serialize;
use ts_rs::TS;

/// Stable machine-readable error codes. New codes may be added; existing ones never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request named something that does not exist (a provider, a profile, a field).
    NotFound,
    /// The input was rejected before anything was done; the message says what to fix.
    InvalidInput,
    /// A profile with that name already exists.
    AlreadyExists,
    /// The OS keyring is missing, locked or not answering; nothing was changed.
    KeyringUnavailable,
    /// Something failed inside cloudcreds; the message says what and what to try.
    Internal,
}

/// `{code, message, hint}`: what the UI and `--json` receive when an operation fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct ErrorPayload {
    pub code: ErrorCode,
    /// What went wrong, one sentence.
    pub message: String,
    /// What to do about it, when there is something concrete to do.
    pub hint: Option<String>,
}

impl ErrorPayload {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        let hint = hint.into();
        self.hint = (!hint.trim().is_empty()).then_some(hint);
        self
    }
}
