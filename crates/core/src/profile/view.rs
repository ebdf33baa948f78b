//! What the UI and CLI receive about profiles: names, non-secret fields and metadata about
//! each secret (set or not, a masked hint, its age). These types have no field that could
//! hold a secret value; `hint` is built only by `mask`.

use std::collections::BTreeMap;

use serde::Serialize;
use time::OffsetDateTime;
use ts_rs::TS;

use crate::providers;
use crate::schema::Status;
use crate::schema::{FieldKind, ProviderId};

use super::document::{ProfileRecord, ProviderRecord};

/// Secrets shorter than this get no hint at all.
pub const MIN_HINT_CHARS: usize = 12;

/// One profile as a menu or `cloudcreds profile list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProfileSummary {
    pub name: String,
    pub active: bool,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// Providers with saved settings, in display order.
    pub providers: Vec<ProviderSettings>,
    /// Whether any saved secret is older than the rotation limit.
    pub has_stale_secrets: bool,
}

/// One provider's saved settings in a profile, without any secret value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProviderSettings {
    pub provider: ProviderId,
    /// Non-secret fields (key id, region, tenant, endpoint...).
    pub fields: BTreeMap<String, String>,
    /// Every secret field of the provider's schema, set or not.
    pub secrets: Vec<SecretMeta>,
    pub last_check: Option<LastCheck>,
}

/// What is known about one secret field without revealing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SecretMeta {
    pub field: String,
    pub set: bool,
    /// `…c3d4` (last four characters); absent for short secrets.
    pub hint: Option<String>,
    /// RFC 3339 UTC.
    pub set_at: Option<String>,
    pub age_days: Option<u32>,
    /// Older than the rotation limit (90 days unless configured).
    pub stale: bool,
}

/// The outcome of the last "Test connection" of saved settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LastCheck {
    pub status: Status,
    pub checked_at: String,
    pub summary: String,
}

/// Something the user should be told about the store (shown once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StoreNotice {
    pub message: String,
    /// Where the unreadable file was moved.
    pub backup_path: Option<String>,
}

/// `…` plus the last four characters, or nothing for secrets under `MIN_HINT_CHARS`.
pub fn mask(secret: &str) -> Option<String> {
    let count = secret.chars().count();
    if count < MIN_HINT_CHARS {
        return None;
    }
    let tail: String = secret.chars().skip(count - 4).collect();
    Some(format!("…{tail}"))
}

/// The hint for a field: documents (a JSON key) are hinted by their `private_key_id`, as
/// their own last characters are only `"}` and formatting.
pub fn hint_for(kind: FieldKind, secret: &str) -> Option<String> {
    if kind == FieldKind::SecretDocument {
        let doc: serde_json::Value = serde_json::from_str(secret).ok()?;
        return mask(doc.get("private_key_id")?.as_str()?);
    }
    mask(secret.trim())
}

pub(crate) fn parse_time(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}

pub(crate) fn format_time(at: OffsetDateTime) -> String {
    crate::schema::rfc3339(at)
}

pub(crate) fn provider_settings(
    id: ProviderId,
    record: &ProviderRecord,
    now: OffsetDateTime,
    rotation_days: u32,
) -> ProviderSettings {
    let info = providers::info(id);
    let secrets = info
        .fields
        .iter()
        .filter(|f| f.kind.is_secret())
        .map(|f| {
            let saved = record.secrets.get(f.name);
            let age_days = saved
                .and_then(|s| parse_time(&s.set_at))
                .map(|at| (now - at).whole_days().max(0) as u32);
            SecretMeta {
                field: f.name.to_string(),
                set: saved.is_some(),
                hint: saved.and_then(|s| s.hint.clone()),
                set_at: saved.map(|s| s.set_at.clone()),
                age_days,
                stale: age_days.is_some_and(|d| d > rotation_days),
            }
        })
        .collect();
    let last_check = record.last_check.as_ref().and_then(|c| {
        Some(LastCheck {
            status: *Status::ALL.iter().find(|s| s.as_str() == c.status)?,
            checked_at: c.checked_at.clone(),
            summary: c.summary.clone(),
        })
    });
    ProviderSettings {
        provider: id,
        fields: record.fields.clone(),
        secrets,
        last_check,
    }
}

pub(crate) fn profile_summary(
    name: &str,
    record: &ProfileRecord,
    active: bool,
    now: OffsetDateTime,
    rotation_days: u32,
) -> ProfileSummary {
    let providers: Vec<ProviderSettings> = providers::ids()
        .filter_map(|id| {
            let saved = record.providers.get(id.as_str())?;
            Some(provider_settings(id, saved, now, rotation_days))
        })
        .collect();
    let has_stale_secrets = providers.iter().any(|p| p.secrets.iter().any(|s| s.stale));
    ProfileSummary {
        name: name.to_string(),
        active,
        created_at: record.created_at.clone(),
        providers,
        has_stale_secrets,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_show_only_the_last_four_characters_of_long_secrets() {
        assert_eq!(mask("abcdefgh1234c3d4").as_deref(), Some("…c3d4"));
        assert_eq!(mask("123456789012").as_deref(), Some("…9012"));
        assert_eq!(mask("12345678901"), None);
        assert_eq!(mask(""), None);
        assert_eq!(mask("ééééééééééééàèìò").as_deref(), Some("…àèìò"));
        let key = r#"{"type":"service_account","private_key_id":"0123456789abcdef0123456789abcdef0123beef","private_key":"-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"}"#;
        assert_eq!(
            hint_for(FieldKind::SecretDocument, key).as_deref(),
            Some("…beef")
        );
        assert_eq!(
            hint_for(FieldKind::SecretDocument, "not json at all, long"),
            None
        );
    }
}
