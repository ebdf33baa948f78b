//! `Outcome`: what a provider check concludes (status, sentence, identity, hint, code),
//! before the common fields of a `CheckReport` (timing, requests) are added around it.

use crate::schema::{IdentityEntry, Status};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub status: Status,
    pub summary: String,
    pub identity: Vec<IdentityEntry>,
    pub hint: Option<String>,
    pub provider_code: Option<String>,
}

impl Outcome {
    pub fn ok(summary: impl Into<String>) -> Self {
        Self::new(Status::Ok, summary)
    }

    pub fn new(status: Status, summary: impl Into<String>) -> Self {
        Self {
            status,
            summary: summary.into(),
            identity: Vec::new(),
            hint: None,
            provider_code: None,
        }
    }

    /// A failure with its concrete next step.
    pub fn fail(status: Status, summary: impl Into<String>, hint: impl Into<String>) -> Self {
        Self::new(status, summary).hint(hint)
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a sentence to the hint, after any already there.
    pub fn add_hint(mut self, sentence: impl Into<String>) -> Self {
        let sentence = sentence.into();
        self.hint = Some(match self.hint.take() {
            Some(h) => format!("{h} {sentence}"),
            None => sentence,
        });
        self
    }

    pub fn code(mut self, code: impl Into<String>) -> Self {
        let code = code.into();
        if !code.is_empty() {
            self.provider_code = Some(code);
        }
        self
    }

    /// Adds an identity fact; empty values are skipped.
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Self {
        self.push(key, value);
        self
    }

    pub fn push(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        if !value.trim().is_empty() {
            self.identity.push(IdentityEntry {
                key: key.to_string(),
                value,
            });
        }
    }
}
