//! "Use stored": completing a check's credentials with the secrets saved in the keyring,
//! so the secret never has to travel to the webview and back.

use secrecy::ExposeSecret;

use super::Cloudcreds;
use crate::profile::{ProfileError, ProfileErrorCode};
use crate::schema::CheckReport;
use crate::schema::Credentials;

impl Cloudcreds {
    /// `filled` (typed + pasted) completed with the profile's saved secrets, and whether the
    /// result is exactly what is saved. A keyring failure is already the check's answer.
    pub(super) async fn stored_fill(
        &self,
        profile: &str,
        typed: &Credentials,
        mut filled: Credentials,
    ) -> Result<(Credentials, bool), CheckReport> {
        let provider = typed.provider();
        let name = profile.to_string();
        let store = self.store.clone();
        let loaded = tokio::task::spawn_blocking(move || store.load_credentials(&name, provider))
            .await
            .unwrap_or_else(|_| {
                Err(ProfileError {
                    code: ProfileErrorCode::KeyringUnavailable,
                    message: "Reading the keyring stopped unexpectedly.".into(),
                    hint: None,
                })
            });
        let stored = match loaded {
            Ok(stored) => stored,
            // Nothing saved for this provider: check what was typed.
            Err(e) if e.code == ProfileErrorCode::NotFound => return Ok((filled, false)),
            Err(e) => return Err(failed(provider, &e)),
        };
        let mut only_stored_secrets = true;
        for (field, secret) in stored.secret_fields() {
            if filled.secret(field).is_none() {
                let _ = filled.set_secret(field, secret.clone());
            } else if filled.secret(field).map(|s| s.expose_secret())
                != Some(secret.expose_secret())
            {
                only_stored_secrets = false;
            }
        }
        let extra_secret = filled
            .secret_fields()
            .keys()
            .any(|k| stored.secret(k).is_none());
        let same_plain = filled.plain_fields() == stored.plain_fields();
        Ok((filled, only_stored_secrets && !extra_secret && same_plain))
    }
}

/// The report for a "use stored" check whose secrets could not be read.
fn failed(provider: crate::schema::ProviderId, e: &ProfileError) -> CheckReport {
    CheckReport {
        hint: e.hint.clone(),
        ..CheckReport::decided(provider, e.status(), e.message.clone(), "")
    }
}
