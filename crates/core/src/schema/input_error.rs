//! `InputError`: why pasted text, a credentials file or a variable that looked like a
//! provider's could not be used. Messages say what to do and never quote the input.

use super::CredentialsError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// A value went to a field the provider's schema does not have.
    #[error(transparent)]
    Field(#[from] CredentialsError),
    /// The text has the provider's shape but cannot be used; the sentence says why.
    #[error("{0}")]
    Unusable(String),
}

impl From<String> for InputError {
    fn from(message: String) -> Self {
        InputError::Unusable(message)
    }
}

impl From<&str> for InputError {
    fn from(message: &str) -> Self {
        InputError::Unusable(message.to_string())
    }
}
