//! `CliError`: why a command stopped, as one sentence (plus what to do) and the exit code it
//! maps to. Built from names and core error messages only, never from secret values.

use std::process::ExitCode;

use cloudcreds_core::{ErrorCode, ErrorPayload, ProfileError, ProfileErrorCode};

/// Every checked provider is ok, or the command did what it said.
pub const SUCCESS: u8 = 0;
/// A check did not pass, or the keyring or profile store could not be used.
pub const FAILED: u8 = 1;
/// Usage error or bad input.
pub const USAGE: u8 = 2;

#[derive(Debug)]
pub struct CliError {
    pub code: u8,
    pub message: String,
    pub hint: Option<String>,
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            code: USAGE,
            message: message.into(),
            hint: None,
        }
    }

    pub fn failed(message: impl Into<String>) -> Self {
        CliError {
            code: FAILED,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_code(mut self, code: u8) -> Self {
        self.code = code;
        self
    }

    /// Prints the error on stderr (one line) and gives the exit code.
    pub fn report(self) -> ExitCode {
        let line = match &self.hint {
            Some(hint) if !hint.is_empty() => format!("{} {}", end(&self.message), end(hint)),
            _ => end(&self.message),
        };
        eprintln!("cloudcreds: {}", crate::output::clean(&line));
        ExitCode::from(self.code)
    }
}

/// Ends a sentence with a full stop unless it already has punctuation.
fn end(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(['.', '!', '?', ')', '`']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

impl From<ProfileError> for CliError {
    fn from(e: ProfileError) -> Self {
        let code = match e.code {
            ProfileErrorCode::InvalidInput
            | ProfileErrorCode::NotFound
            | ProfileErrorCode::AlreadyExists => USAGE,
            _ => FAILED,
        };
        CliError {
            code,
            message: e.message,
            hint: e.hint,
        }
    }
}

impl From<ErrorPayload> for CliError {
    fn from(e: ErrorPayload) -> Self {
        let code = match e.code {
            ErrorCode::InvalidInput | ErrorCode::NotFound | ErrorCode::AlreadyExists => USAGE,
            _ => FAILED,
        };
        CliError {
            code,
            message: e.message,
            hint: e.hint,
        }
    }
}
