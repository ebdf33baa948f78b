//! Reconciling the keyring with the profile store, shared by `cloudcreds doctor` and the
//! window's start-up banner: keyring entries no profile records (orphans, e.g. left by two
//! writers racing), and recorded secrets whose entry is missing or damaged. The listing
//! scan reads only the keyring's list of entry names; the value scan (doctor only) also
//! reads each value, to find damage. Repairs re-inspect their entry first and touch only it.

use std::collections::{BTreeMap, BTreeSet};

use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Cloudcreds;
use crate::profile::{hint_for, names, ProfileError, ProfileErrorCode, ProfileStore};
use crate::providers;
use crate::schema::ErrorPayload;
use crate::schema::{ProviderId, ProviderInfo};
use crate::vault::{self, VaultError, VaultErrorKind};

/// What is wrong with one keyring entry (or one recorded secret).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// An entry for an existing profile that the store does not record (shows as not set).
    Orphan,
    /// An entry for a profile that does not exist.
    OrphanWithoutProfile,
    /// An entry under our service whose name is not `profile/provider/secret field`.
    UnknownEntry,
    /// The store records the secret as set, but the keyring has no entry for it.
    Missing,
    /// The entry cannot be read back whole (torn chunk set, not text).
    Damaged,
}

/// A repair `doctor` can make for a finding, only when the user asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Repair {
    /// Record the entry as the profile's secret (set now, with a masked hint).
    Adopt,
    /// Create the missing profile, then adopt the entry into it.
    AdoptCreatingProfile,
    /// Remove the entry from the keyring.
    Delete,
    /// Forget the record (the secret shows as not set); removes any damaged remains.
    Forget,
}

/// One problem found, with what to do about it. Names only, never a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KeyringFinding {
    pub kind: FindingKind,
    /// The keyring entry's name (`profile/provider/field`) under the service.
    pub key: String,
    pub profile: Option<String>,
    pub provider: Option<ProviderId>,
    pub field: Option<String>,
    /// Whether the profile store records this secret as set.
    pub recorded: bool,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it.
    pub fix: String,
    /// The repairs that apply, the preferred one first.
    pub repairs: Vec<Repair>,
}

/// The outcome of a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KeyringFindings {
    /// The keyring service scanned.
    pub service: String,
    /// Whether values were read (damage checked); the start-up scan only lists names.
    pub values_checked: bool,
    pub findings: Vec<KeyringFinding>,
}

/// How deep a scan looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanDepth {
    /// Entry names only (keyring-core's search): cheap, never reads a secret.
    Listing,
    /// Also reads every value, to find damaged entries.
    Values,
}

/// What the keyring's listing says about one key.
#[derive(Debug, Clone, Copy, Default)]
struct Present {
    head: bool,
    chunks: bool,
}

/// Where a key points when it has the shape `profile/provider/secret field`.
struct Target {
    profile: String,
    provider: ProviderId,
    field: String,
}

fn parse_key(key: &str) -> Option<Target> {
    let mut parts = key.splitn(3, '/');
    let (profile, provider, field) = (parts.next()?, parts.next()?, parts.next()?);
    let provider: ProviderId = providers::ids().find(|id| id.as_str() == provider)?;
    let spec = providers::info(provider).field(field)?;
    (spec.kind.is_secret() && names::validate(profile).ok() == Some(profile)).then(|| Target {
        profile: profile.to_string(),
        provider,
        field: field.to_string(),
    })
}

fn label(info: &ProviderInfo, field: &str) -> String {
    let label = info.field(field).map_or(field, |f| f.label);
    format!("{} {label}", info.name)
}

/// Scans the keyring under the store's service against the store file.
pub fn scan(store: &ProfileStore, depth: ScanDepth) -> Result<KeyringFindings, ProfileError> {
    let (recorded, listed) = store.recorded_secrets_with(|| list(store))?;
    let mut keys: BTreeSet<&str> = listed.keys().map(String::as_str).collect();
    keys.extend(recorded.keys.iter().map(String::as_str));
    let mut findings = Vec::new();
    for key in keys {
        let present = listed.get(key).copied().unwrap_or_default();
        let is_recorded = recorded.keys.contains(key);
        let has_profile = |p: &str| recorded.profiles.contains(p);
        if let Some(f) = inspect(store, key, present, is_recorded, has_profile, depth)? {
            findings.push(f);
        }
    }
    Ok(KeyringFindings {
        service: store.vault().service().to_string(),
        values_checked: depth == ScanDepth::Values,
        findings,
    })
}

/// Every key with an entry under the service, with what kind of entries it has.
fn list(store: &ProfileStore) -> Result<BTreeMap<String, Present>, ProfileError> {
    let entries = store
        .vault()
        .list_entries()
        .map_err(|e| ProfileError::keyring("list the keyring entries", &e))?;
    let mut out = BTreeMap::<String, Present>::new();
    for account in &entries {
        let (key, is_chunk) = vault::entry_key(account);
        if vault::is_canary(key) {
            continue; // a keyring check in progress, not a finding
        }
        let present = out.entry(key.to_string()).or_default();
        if is_chunk {
            present.chunks = true;
        } else {
            present.head = true;
        }
    }
    Ok(out)
}

/// The finding for one key, `None` when it is healthy (as far as `depth` can tell).
fn inspect(
    store: &ProfileStore,
    key: &str,
    present: Present,
    recorded: bool,
    has_profile: impl Fn(&str) -> bool,
    depth: ScanDepth,
) -> Result<Option<KeyringFinding>, ProfileError> {
    let target = parse_key(key);
    let finding = |kind, message: String, fix: String, repairs: Vec<Repair>| KeyringFinding {
        kind,
        key: key.to_string(),
        profile: target.as_ref().map(|t| t.profile.clone()),
        provider: target.as_ref().map(|t| t.provider),
        field: target.as_ref().map(|t| t.field.clone()),
        recorded,
        message,
        fix,
        repairs,
    };
    let what = target.as_ref().map_or_else(
        || format!("the entry '{key}'"),
        |t| {
            format!(
                "the {} of profile '{}'",
                label(providers::info(t.provider), &t.field),
                t.profile
            )
        },
    );
    let set_again_or = |rest: &str| match &target {
        Some(t) => format!(
            "Enter it again and save (`cloudcreds set {} {} --profile {}`), or {rest}",
            t.provider, t.field, t.profile
        ),
        None => {
            let mut chars = rest.chars();
            chars
                .next()
                .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
        }
    };
    if recorded && !present.head {
        return Ok(Some(finding(
            FindingKind::Missing,
            format!(
                "The profile store records {what} as set, but the keyring has no entry for it."
            ),
            set_again_or(
                "forget it so it shows as not set (`cloudcreds doctor --forget-missing`).",
            ),
            vec![Repair::Forget],
        )));
    }
    let damage = if present.head && depth == ScanDepth::Values {
        read_damage(store, key)?
    } else if !present.head {
        Some("only pieces of a chunked value are left".to_string())
    } else {
        None
    };
    if let Some(why) = damage {
        return Ok(Some(if recorded {
            finding(
                FindingKind::Damaged,
                format!("The keyring entry for {what} is damaged: {why}."),
                set_again_or("forget it, which also removes the damaged entry (`cloudcreds doctor --forget-missing`)."),
                vec![Repair::Forget],
            )
        } else {
            finding(
                FindingKind::Damaged,
                format!(
                    "The keyring holds a damaged entry '{key}' that no profile records: {why}."
                ),
                "Delete it (`cloudcreds doctor --delete-orphans`).".to_string(),
                vec![Repair::Delete],
            )
        }));
    }
    if recorded {
        return Ok(None);
    }
    let Some(t) = target.as_ref() else {
        return Ok(Some(finding(
            FindingKind::UnknownEntry,
            format!("The keyring holds an entry '{key}' under this service that is not a secret of any profile."),
            "Delete it (`cloudcreds doctor --delete-orphans`).".to_string(),
            vec![Repair::Delete],
        )));
    };
    Ok(Some(if has_profile(&t.profile) {
        finding(
            FindingKind::Orphan,
            format!("The keyring holds {what}, but the profile store does not record it, so it shows as not set."),
            "Adopt it to use it again (`cloudcreds doctor --adopt`), or delete it (`cloudcreds doctor --delete-orphans`).".to_string(),
            vec![Repair::Adopt, Repair::Delete],
        )
    } else {
        finding(
            FindingKind::OrphanWithoutProfile,
            format!("The keyring holds {what}, but there is no profile named '{}'.", t.profile),
            "Create the profile and adopt it (`cloudcreds doctor --adopt --create-profiles`), or delete it (`cloudcreds doctor --delete-orphans`).".to_string(),
            vec![Repair::AdoptCreatingProfile, Repair::Delete],
        )
    }))
}

/// Why `key`'s value cannot be read back whole, `None` when it can.
fn read_damage(store: &ProfileStore, key: &str) -> Result<Option<String>, ProfileError> {
    match store.vault().read_string(key) {
        Ok(_) => Ok(None),
        Err(e) if e.kind == VaultErrorKind::Damaged => Ok(Some(damage_reason(&e))),
        Err(e) => Err(ProfileError::keyring("read a keyring entry", &e)),
    }
}

/// The reason part of a damaged-entry error ("… is damaged: <reason>").
fn damage_reason(e: &VaultError) -> String {
    let text = e.message.trim_end_matches('.');
    text.rsplit_once(": ")
        .map_or(text, |(_, why)| why)
        .to_string()
}

/// Applies `repair` to the entry `key`, after inspecting it again (values included), so a
/// finding that has gone or changed is never acted on. Returns what was done, as a sentence.
pub fn repair(store: &ProfileStore, key: &str, repair: Repair) -> Result<String, ProfileError> {
    let (recorded, listed) = store.recorded_secrets_with(|| list(store))?;
    let present = listed.get(key).copied().unwrap_or_default();
    let is_recorded = recorded.keys.contains(key);
    let has_profile = |p: &str| recorded.profiles.contains(p);
    let finding = inspect(
        store,
        key,
        present,
        is_recorded,
        has_profile,
        ScanDepth::Values,
    )?;
    if !finding.is_some_and(|f| f.repairs.contains(&repair)) {
        return Err(ProfileError::new(
            ProfileErrorCode::InvalidInput,
            format!("That repair does not apply to the keyring entry '{key}' (now); nothing was changed."),
        )
        .with_hint("Run `cloudcreds doctor` again to see what is left."));
    }
    let keyring = |e: VaultError| ProfileError::keyring("change the keyring", &e);
    match repair {
        Repair::Delete => {
            store.vault().purge(key).map_err(keyring)?;
            Ok(format!("Deleted the keyring entry '{key}'."))
        }
        Repair::Forget => {
            let t = parse_key(key);
            let (profile, provider, field) = split(key);
            store.vault().purge(key).map_err(keyring)?;
            store.forget_secret_record(profile, provider, field)?;
            let name = t.map_or_else(
                || key.to_string(),
                |t| label(providers::info(t.provider), &t.field),
            );
            Ok(format!(
                "Forgot the {name} of profile '{profile}'; it now shows as not set."
            ))
        }
        Repair::Adopt | Repair::AdoptCreatingProfile => {
            let Some(Target {
                profile,
                provider,
                field,
            }) = parse_key(key)
            else {
                return Err(ProfileError::new(
                    ProfileErrorCode::InvalidInput,
                    format!("'{key}' is not a secret of any profile; it cannot be adopted."),
                ));
            };
            let kind = providers::info(provider).field(&field).map(|f| f.kind);
            let value = store.vault().read_string(key).map_err(keyring)?;
            let hint = match (value, kind) {
                (Some(v), Some(kind)) => hint_for(kind, v.expose_secret()),
                _ => None,
            };
            if repair == Repair::AdoptCreatingProfile {
                match store.create(&profile) {
                    Ok(_) => {}
                    Err(e) if e.code == ProfileErrorCode::AlreadyExists => {}
                    Err(e) => return Err(e),
                }
            }
            store.adopt_secret(&profile, provider.as_str(), &field, hint)?;
            let created = if repair == Repair::AdoptCreatingProfile {
                " (created)"
            } else {
                ""
            };
            Ok(format!(
                "Adopted the {} into profile '{profile}'{created}; it shows as set again.",
                label(providers::info(provider), &field)
            ))
        }
    }
}

fn split(key: &str) -> (&str, &str, &str) {
    let mut parts = key.splitn(3, '/');
    let p = parts.next().unwrap_or_default();
    let q = parts.next().unwrap_or_default();
    (p, q, parts.next().unwrap_or_default())
}

impl Cloudcreds {
    /// The start-up scan: the keyring's listing against the store, never reading a value.
    pub async fn keyring_findings(&self) -> Result<KeyringFindings, ErrorPayload> {
        self.blocking(|s| scan(s, ScanDepth::Listing)).await
    }
}

#[cfg(test)]
#[path = "doctor_tests.rs"]
mod tests;
