//! Pasted credentials held in the backend: when a user pastes a credentials block into the
//! window, its secrets stay here and only masked hints go back to the webview. A later
//! "Test connection" fills any secret field the user left empty from the draft.

use std::collections::HashMap;
use std::sync::Mutex;

use secrecy::ExposeSecret;
use serde::Serialize;
use ts_rs::TS;

use crate::paste::parse_paste;
use crate::profile::hint_for;
use crate::providers;
use crate::schema::Credentials;
use crate::schema::ErrorPayload;
use crate::schema::ProviderId;

/// One field filled by a paste: plain fields carry their value, secret fields only a hint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PastedField {
    pub name: String,
    /// The value, for non-secret fields only.
    pub value: Option<String>,
    /// True for secret fields, whose value stays in the backend.
    pub secret: bool,
    /// `…c3d4` for secret fields long enough to hint safely.
    pub hint: Option<String>,
}

/// What the webview learns from a paste.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PasteSummary {
    pub provider: ProviderId,
    pub fields: Vec<PastedField>,
}

/// Per provider, the secrets of the most recent paste.
#[derive(Debug, Default)]
pub struct Drafts {
    by_provider: Mutex<HashMap<ProviderId, Credentials>>,
}

impl Drafts {
    /// Parses `text`, keeps its secrets as the provider's draft, and returns the summary.
    pub fn paste(&self, text: &str) -> Result<PasteSummary, ErrorPayload> {
        let creds = parse_paste(text)?;
        let provider = creds.provider();
        let info = providers::info(provider);
        let fields = info
            .fields
            .iter()
            .filter_map(|f| {
                if let Some(value) = creds.get(f.name) {
                    Some(PastedField {
                        name: f.name.to_string(),
                        value: Some(value.to_string()),
                        secret: false,
                        hint: None,
                    })
                } else {
                    creds.secret(f.name).map(|s| PastedField {
                        name: f.name.to_string(),
                        value: None,
                        secret: true,
                        hint: hint_for(f.kind, s.expose_secret()),
                    })
                }
            })
            .collect();
        self.lock().insert(provider, creds);
        Ok(PasteSummary { provider, fields })
    }

    /// `typed` with every secret field it lacks taken from the provider's draft, if any.
    pub fn fill(&self, mut typed: Credentials) -> Credentials {
        if let Some(draft) = self.lock().get(&typed.provider()) {
            for (name, secret) in draft.secret_fields() {
                if typed.secret(name).is_none() {
                    // The name comes from the same schema, so this cannot fail.
                    let _ = typed.set_secret(name, secret.clone());
                }
            }
        }
        typed
    }

    /// Forgets the provider's draft (after a save, or when the user clears the form).
    pub fn clear(&self, provider: ProviderId) {
        self.lock().remove(&provider);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ProviderId, Credentials>> {
        // A panic while holding the lock leaves only plain data behind; keep going.
        self.by_provider
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::mask;

    const BLOCK: &str = "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n\
                         aws_secret_access_key = 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\n";

    #[test]
    fn a_paste_returns_plain_values_and_only_hints_of_secrets() {
        let drafts = Drafts::default();
        let summary = drafts.paste(BLOCK).unwrap();
        assert_eq!(summary.provider, ProviderId::AWS);
        let json = serde_json::to_string(&summary).unwrap();
        assert!(!json.contains("CANARYKEY1"), "{json}");
        assert!(json.contains("AKIAIOSFODNN7EXAMPLE"));
        let secret = summary
            .fields
            .iter()
            .find(|f| f.name == "secret_access_key")
            .unwrap();
        assert!(secret.secret && secret.value.is_none());
        assert_eq!(secret.hint.as_deref(), Some("…KEY1"));
    }

    #[test]
    fn typed_secrets_win_and_missing_ones_come_from_the_draft() {
        let drafts = Drafts::default();
        drafts.paste(BLOCK).unwrap();
        let typed = Credentials::from_values(
            ProviderId::AWS,
            [(
                "access_key_id".to_string(),
                "AKIAIOSFODNN7EXAMPLE".to_string(),
            )],
        )
        .unwrap();
        let filled = drafts.fill(typed);
        assert!(filled
            .secret("secret_access_key")
            .unwrap()
            .expose_secret()
            .ends_with("CANARYKEY1"));

        drafts.clear(ProviderId::AWS);
        let typed = Credentials::new(ProviderId::AWS);
        assert!(drafts.fill(typed).secret("secret_access_key").is_none());
    }

    #[tokio::test]
    async fn a_pasted_json_key_is_hinted_by_its_key_id_not_its_closing_brace() {
        let fake = fake_clouds::FakeClouds::start().await.unwrap();
        let summary = Drafts::default().paste(&fake.creds().gcp_key_json).unwrap();
        let hint = summary
            .fields
            .iter()
            .find(|f| f.name == "service_account_key")
            .and_then(|f| f.hint.clone());
        assert_eq!(hint, mask(&fake.creds().gcp_private_key_id));
    }
}
