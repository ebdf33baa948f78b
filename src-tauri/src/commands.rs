//! Tauri commands: one-line delegations to `cloudcreds_core::Cloudcreds`. Errors cross as
//! `{code, message}`; no command ever returns a secret.

use std::collections::BTreeMap;

use cloudcreds_core::{
    CheckReport, Cloudcreds, ErrorPayload, FieldIssue, PasteSummary, ProviderId, ProviderInfo,
};
use tauri::State;

/// Values typed into one provider's form, by field name.
type Values = BTreeMap<String, String>;

/// The schema of every provider; the UI renders its forms from it.
#[tauri::command]
pub fn list_providers(core: State<'_, Cloudcreds>) -> Vec<ProviderInfo> {
    core.providers().to_vec()
}

/// Format problems with the form as typed so far.
#[tauri::command]
pub fn validate_fields(
    core: State<'_, Cloudcreds>,
    provider: ProviderId,
    values: Values,
) -> Result<Vec<FieldIssue>, ErrorPayload> {
    core.validate(provider, values)
}

/// Recognises pasted credentials; secrets stay in the backend, hints come back.
#[tauri::command]
pub fn paste_credentials(
    core: State<'_, Cloudcreds>,
    text: String,
) -> Result<PasteSummary, ErrorPayload> {
    core.paste(&text)
}

/// Forgets pasted secrets for one provider.
#[tauri::command]
pub fn clear_draft(core: State<'_, Cloudcreds>, provider: ProviderId) {
    core.clear_draft(provider)
}

/// "Test connection" with the form's values (empty secret fields use the latest paste).
#[tauri::command]
pub async fn test_connection(
    core: State<'_, Cloudcreds>,
    provider: ProviderId,
    values: Values,
) -> Result<CheckReport, ErrorPayload> {
    core.test_connection(provider, values).await
}
