//! `FieldIssue`: one problem with one field, found before anything is sent. Providers report
//! them from their format rules; the form shows them beside the field.

use serde::Serialize;
use ts_rs::TS;

/// One problem with one field. Messages never quote a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldIssue {
    /// The field's `name` in the provider schema.
    pub field: String,
    /// One sentence saying what is wrong and how to fix it.
    pub message: String,
    /// True when the issue is only that a required field is empty.
    pub missing: bool,
}

impl FieldIssue {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_string(),
            message: message.into(),
            missing: false,
        }
    }

    pub(crate) fn missing(field: &str, message: impl Into<String>) -> Self {
        Self {
            missing: true,
            ..Self::new(field, message)
        }
    }
}
