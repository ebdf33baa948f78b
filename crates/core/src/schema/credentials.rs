//! `Credentials`: what a user typed or pasted for one provider, with every secret field
//! wrapped in `SecretString` from the moment it enters, so a stray `{:?}` cannot print it.

use std::collections::BTreeMap;
use std::fmt;

use secrecy::{ExposeSecret, SecretString};

use super::ProviderId;

/// A field name the provider's schema does not have (or not as a secret).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialsError {
    #[error("{provider} has no field '{field}': use one of {valid}")]
    UnknownField {
        provider: &'static str,
        field: String,
        valid: String,
    },
    #[error("{provider} has no secret field '{field}'")]
    NotSecret {
        provider: &'static str,
        field: String,
    },
}

/// The field values for one provider. Plain fields are readable; secret fields (as the
/// provider's schema defines them) are only reachable through `secret()`.
#[derive(Clone)]
pub struct Credentials {
    provider: ProviderId,
    plain: BTreeMap<String, String>,
    secrets: BTreeMap<String, SecretString>,
}

impl Credentials {
    pub fn new(provider: ProviderId) -> Self {
        Self {
            provider,
            plain: BTreeMap::new(),
            secrets: BTreeMap::new(),
        }
    }

    /// Builds credentials from raw form values, routing each field by the schema. Unknown
    /// field names are rejected so a typo never silently drops a value.
    pub fn from_values(
        provider: ProviderId,
        values: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, CredentialsError> {
        let mut creds = Self::new(provider);
        for (name, value) in values {
            creds.set(&name, value)?;
        }
        Ok(creds)
    }

    pub fn provider(&self) -> ProviderId {
        self.provider
    }

    /// Sets a field; a secret field's value is wrapped at once. Empty values clear it.
    pub fn set(&mut self, name: &str, value: String) -> Result<(), CredentialsError> {
        let info = self.provider.info();
        let field = info
            .field(name)
            .ok_or_else(|| CredentialsError::UnknownField {
                provider: info.name,
                field: name.to_string(),
                valid: info
                    .fields
                    .iter()
                    .map(|f| f.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        let key = field.name.to_string();
        if field.kind.is_secret() {
            self.plain.remove(&key);
            if value.is_empty() {
                self.secrets.remove(&key);
            } else {
                self.secrets.insert(key, SecretString::from(value));
            }
        } else {
            self.secrets.remove(&key);
            if value.is_empty() {
                self.plain.remove(&key);
            } else {
                self.plain.insert(key, value);
            }
        }
        Ok(())
    }

    /// Sets an already-wrapped secret (read from the keyring or stdin) without unwrapping it.
    pub fn set_secret(&mut self, name: &str, value: SecretString) -> Result<(), CredentialsError> {
        let info = self.provider.info();
        match info.field(name) {
            Some(f) if f.kind.is_secret() => {
                if value.expose_secret().is_empty() {
                    self.secrets.remove(f.name);
                } else {
                    self.secrets.insert(f.name.to_string(), value);
                }
                Ok(())
            }
            _ => Err(CredentialsError::NotSecret {
                provider: info.name,
                field: name.to_string(),
            }),
        }
    }

    /// A non-secret field's value, if set and not blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.plain
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// A secret field's value, if set.
    pub fn secret(&self, name: &str) -> Option<&SecretString> {
        self.secrets.get(name)
    }

    /// Names of every field with a value, plain and secret.
    pub fn field_names(&self) -> impl Iterator<Item = &str> {
        self.plain
            .keys()
            .chain(self.secrets.keys())
            .map(String::as_str)
    }

    /// The non-secret fields, for storing in the profile store.
    pub fn plain_fields(&self) -> &BTreeMap<String, String> {
        &self.plain
    }

    /// The secret fields, for storing in the keyring.
    pub fn secret_fields(&self) -> &BTreeMap<String, SecretString> {
        &self.secrets
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("provider", &self.provider)
            .field("plain", &self.plain)
            .field("secrets", &self.secrets.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_routed_by_schema_and_never_debug_printed() {
        let creds = Credentials::from_values(
            ProviderId::AWS,
            [
                ("access_key_id".to_string(), "AKIAEXAMPLE".to_string()),
                (
                    "secret_access_key".to_string(),
                    "canary-secret-123".to_string(),
                ),
            ],
        )
        .unwrap();
        assert_eq!(creds.get("access_key_id"), Some("AKIAEXAMPLE"));
        assert_eq!(creds.get("secret_access_key"), None);
        assert_eq!(
            creds.secret("secret_access_key").unwrap().expose_secret(),
            "canary-secret-123"
        );
        let debug = format!("{creds:?}");
        assert!(!debug.contains("canary-secret-123"), "{debug}");
        assert!(debug.contains("secret_access_key"));
    }

    #[test]
    fn unknown_fields_are_rejected_with_the_valid_names() {
        let err = Credentials::from_values(
            ProviderId::HUGGINGFACE,
            [("tokn".to_string(), "x".to_string())],
        )
        .unwrap_err();
        assert!(err.to_string().contains("token, endpoint"), "{err}");
    }
}
