//! Tauri commands: one-line delegations to `cloudcreds_core::Cloudcreds`. Errors cross as
//! `{code, message}`; no command ever returns a secret.

use std::collections::BTreeMap;

use cloudcreds_core::{
    CheckReport, Cloudcreds, ErrorPayload, FieldIssue, KeyringFindings, KeyringStatus,
    PasteSummary, ProfileSummary, ProviderId, ProviderInfo, ProviderSettings, StoreNotice,
};
use tauri::ipc::Channel;
use tauri::State;

/// Values typed into one provider's form, by field name.
type Values = BTreeMap<String, String>;
type Core<'a> = State<'a, Cloudcreds>;

/// The schema of every provider; the UI renders its forms from it.
#[tauri::command]
pub fn list_providers(core: Core<'_>) -> Vec<&'static ProviderInfo> {
    core.providers().to_vec()
}

/// Format problems with the form as typed so far.
#[tauri::command]
pub fn validate_fields(
    core: Core<'_>,
    provider: ProviderId,
    values: Values,
) -> Result<Vec<FieldIssue>, ErrorPayload> {
    core.validate(provider, values)
}

/// Recognises pasted credentials; secrets stay in the backend, hints come back.
#[tauri::command]
pub fn paste_credentials(core: Core<'_>, text: String) -> Result<PasteSummary, ErrorPayload> {
    core.paste(&text)
}

/// Forgets pasted secrets for one provider.
#[tauri::command]
pub fn clear_draft(core: Core<'_>, provider: ProviderId) {
    core.clear_draft(provider)
}

/// "Test connection": typed values, then the latest paste, then the profile's saved secrets.
#[tauri::command]
pub async fn test_connection(
    core: Core<'_>,
    provider: ProviderId,
    values: Values,
    profile: Option<String>,
) -> Result<CheckReport, ErrorPayload> {
    core.test_connection(provider, values, profile).await
}

/// Proves the OS keyring works (canary entry) or says why not and what to do.
#[tauri::command]
pub async fn keyring_status(core: Core<'_>) -> Result<KeyringStatus, ErrorPayload> {
    Ok(core.keyring_status().await)
}

/// Keyring entries no profile records and saved secrets missing from the keyring, from the
/// keyring's listing only (no secret is read); the window shows them once after start.
#[tauri::command]
pub async fn keyring_findings(core: Core<'_>) -> Result<KeyringFindings, ErrorPayload> {
    core.keyring_findings().await
}

/// Notices to show once (a damaged store file moved aside).
#[tauri::command]
pub fn store_notices(core: Core<'_>) -> Vec<StoreNotice> {
    core.store_notices()
}

#[tauri::command]
pub async fn list_profiles(core: Core<'_>) -> Result<Vec<ProfileSummary>, ErrorPayload> {
    core.profiles().await
}

#[tauri::command]
pub async fn create_profile(core: Core<'_>, name: String) -> Result<ProfileSummary, ErrorPayload> {
    core.create_profile(name).await
}

#[tauri::command]
pub async fn rename_profile(
    core: Core<'_>,
    from: String,
    to: String,
) -> Result<ProfileSummary, ErrorPayload> {
    core.rename_profile(from, to).await
}

#[tauri::command]
pub async fn duplicate_profile(
    core: Core<'_>,
    from: String,
    to: String,
) -> Result<ProfileSummary, ErrorPayload> {
    core.duplicate_profile(from, to).await
}

#[tauri::command]
pub async fn delete_profile(core: Core<'_>, name: String) -> Result<(), ErrorPayload> {
    core.delete_profile(name).await
}

#[tauri::command]
pub async fn use_profile(core: Core<'_>, name: String) -> Result<ProfileSummary, ErrorPayload> {
    core.use_profile(name).await
}

/// Saves a provider's form into a profile (secrets to the keyring, the rest to the store).
#[tauri::command]
pub async fn save_provider(
    core: Core<'_>,
    profile: String,
    provider: ProviderId,
    values: Values,
    clear: Vec<String>,
) -> Result<ProviderSettings, ErrorPayload> {
    core.save_provider(profile, provider, values, clear).await
}

/// Removes a provider and all its keyring entries from a profile.
#[tauri::command]
pub async fn forget_provider(
    core: Core<'_>,
    profile: String,
    provider: ProviderId,
) -> Result<(), ErrorPayload> {
    core.forget_provider(profile, provider).await
}

/// Checks every provider saved in a profile at once, streaming each report as it is ready.
#[tauri::command]
pub async fn check_profile(
    core: Core<'_>,
    profile: String,
    on_report: Channel<CheckReport>,
) -> Result<usize, ErrorPayload> {
    let run = core.check_profile(Some(profile), Vec::new()).await?;
    Ok(run.each(|report| drop(on_report.send(report))).await)
}
