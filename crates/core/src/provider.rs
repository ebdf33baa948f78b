//! What a provider is to the rest of cloudcreds: an id, a display name and the schema of
//! the fields a user fills in. The UI renders its form from this schema alone.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The providers cloudcreds knows. Wire names are lowercase (`huggingface`, `lambda`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ProviderId {
    Huggingface,
    Lambda,
    Aws,
    Azure,
    Gcp,
}

impl ProviderId {
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderId::Huggingface => "huggingface",
            ProviderId::Lambda => "lambda",
            ProviderId::Aws => "aws",
            ProviderId::Azure => "azure",
            ProviderId::Gcp => "gcp",
        }
    }
}

impl std::fmt::Display for ProviderId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ProviderId {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        crate::providers::all()
            .iter()
            .map(|p| p.id)
            .find(|id| id.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!(
                    "unknown provider '{}': use one of {}",
                    s.trim(),
                    crate::providers::all()
                        .iter()
                        .map(|p| p.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }
}

/// How a field is entered and stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of plain text, stored in the profile store.
    Text,
    /// One line, masked, stored only in the OS keyring.
    Secret,
    /// A pasted document (a JSON key file), masked, stored only in the OS keyring.
    SecretDocument,
    /// One of `options`.
    Choice,
}

impl FieldKind {
    pub fn is_secret(self) -> bool {
        matches!(self, FieldKind::Secret | FieldKind::SecretDocument)
    }
}

/// One input of a provider's form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldSpec {
    /// Stable key used in profiles and the keyring (`secret_access_key`).
    pub name: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    pub placeholder: &'static str,
    /// One sentence on where to find the value.
    pub help: &'static str,
    /// Value used when the field is left empty.
    pub default: Option<&'static str>,
    /// Allowed values for `Choice` fields.
    pub options: Vec<&'static str>,
}

/// A provider as the UI and CLI see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProviderInfo {
    pub id: ProviderId,
    pub name: &'static str,
    /// Where the user creates or finds these credentials.
    pub console_url: &'static str,
    pub fields: Vec<FieldSpec>,
}

impl ProviderInfo {
    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// Shorthand constructors keeping provider modules to their facts.
pub(crate) fn text(name: &'static str, label: &'static str, help: &'static str) -> FieldSpec {
    FieldSpec {
        name,
        label,
        kind: FieldKind::Text,
        required: true,
        placeholder: "",
        help,
        default: None,
        options: Vec::new(),
    }
}

pub(crate) fn secret(name: &'static str, label: &'static str, help: &'static str) -> FieldSpec {
    FieldSpec {
        kind: FieldKind::Secret,
        ..text(name, label, help)
    }
}

impl FieldSpec {
    pub(crate) fn optional(mut self) -> Self {
        self.required = false;
        self
    }

    pub(crate) fn placeholder(mut self, placeholder: &'static str) -> Self {
        self.placeholder = placeholder;
        self
    }

    pub(crate) fn default_value(mut self, value: &'static str) -> Self {
        self.default = Some(value);
        self.required = false;
        self
    }
}
