//! Tauri commands: one-line delegations to cloudcreds-core. Errors cross as `{code, message}`.

use cloudcreds_core::{providers, ProviderInfo};

/// The schema of every provider; the UI renders its forms from it.
#[tauri::command]
pub fn list_providers() -> Vec<ProviderInfo> {
    providers::all().to_vec()
}
