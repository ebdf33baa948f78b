//! What a provider is to the rest of cloudcreds: an id, a display name and the schema of
//! the fields a user fills in. The UI renders its form from this schema alone.

use serde::Serialize;
use ts_rs::TS;

/// A provider, as a name the rest of cloudcreds can pass around. It is a reference to the
/// provider's static schema, so its fields are known without asking the registry; each
/// provider folder declares its own constant (`ProviderId::AWS` in `providers/aws`).
/// Wire names are lowercase (`huggingface`, `lambda`, ...); parsing a name and
/// deserializing one go through the registry (`providers`), which knows every provider.
#[derive(Clone, Copy, TS)]
#[ts(type = "string")]
pub struct ProviderId {
    name: &'static str,
    // A function, not a reference: the schema holds its own id, and a constant that
    // reached itself through references would send const evaluation round in circles.
    info: fn() -> &'static ProviderInfo,
}

impl ProviderId {
    /// For a provider folder's own constant: its wire name and its static schema.
    pub(crate) const fn new(name: &'static str, info: fn() -> &'static ProviderInfo) -> Self {
        Self { name, info }
    }

    pub fn as_str(self) -> &'static str {
        self.name
    }

    /// The provider's schema: display name, console URL and fields.
    pub fn info(self) -> &'static ProviderInfo {
        (self.info)()
    }
}

impl PartialEq for ProviderId {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for ProviderId {}

impl std::hash::Hash for ProviderId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

/// Display order (the registry's order), then name.
impl Ord for ProviderId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.info().rank, self.name).cmp(&(other.info().rank, other.name))
    }
}

impl PartialOrd for ProviderId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Debug for ProviderId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for ProviderId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ProviderId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
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
    pub options: &'static [&'static str],
}

/// A provider as the UI and CLI see it: a static each provider folder declares.
#[derive(Debug, PartialEq, Eq, Serialize, TS)]
pub struct ProviderInfo {
    pub id: ProviderId,
    pub name: &'static str,
    /// Where the user creates or finds these credentials.
    pub console_url: &'static str,
    pub fields: &'static [FieldSpec],
    /// Position in lists (the registry's order); not sent to the UI.
    #[serde(skip)]
    #[ts(skip)]
    pub rank: u8,
}

impl ProviderInfo {
    pub fn field(&self, name: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// Shorthand constructors keeping provider modules to their facts.
pub(crate) const fn text(name: &'static str, label: &'static str, help: &'static str) -> FieldSpec {
    FieldSpec {
        name,
        label,
        kind: FieldKind::Text,
        required: true,
        placeholder: "",
        help,
        default: None,
        options: &[],
    }
}

pub(crate) const fn secret(
    name: &'static str,
    label: &'static str,
    help: &'static str,
) -> FieldSpec {
    let mut spec = text(name, label, help);
    spec.kind = FieldKind::Secret;
    spec
}

impl FieldSpec {
    pub(crate) const fn optional(mut self) -> Self {
        self.required = false;
        self
    }

    pub(crate) const fn placeholder(mut self, placeholder: &'static str) -> Self {
        self.placeholder = placeholder;
        self
    }

    pub(crate) const fn default_value(mut self, value: &'static str) -> Self {
        self.default = Some(value);
        self.required = false;
        self
    }
}
