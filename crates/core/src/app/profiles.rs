//! Profile operations for the window and the CLI: each runs on a blocking thread (files and
//! the keyring) and returns only metadata, never a secret.

use std::collections::BTreeMap;

use super::{typed, Cloudcreds};
use crate::profile::{ProfileSummary, ProviderSettings, StoreNotice};
use crate::schema::ErrorPayload;
use crate::schema::ProviderId;

impl Cloudcreds {
    /// Every profile with its providers' metadata.
    pub async fn profiles(&self) -> Result<Vec<ProfileSummary>, ErrorPayload> {
        self.blocking(|s| s.list()).await
    }

    /// Things the user should be told once (a damaged store file was moved aside).
    pub fn store_notices(&self) -> Vec<StoreNotice> {
        self.store.take_notices()
    }

    pub async fn create_profile(&self, name: String) -> Result<ProfileSummary, ErrorPayload> {
        self.blocking(move |s| s.create(&name)).await
    }

    pub async fn rename_profile(
        &self,
        from: String,
        to: String,
    ) -> Result<ProfileSummary, ErrorPayload> {
        self.blocking(move |s| s.rename(&from, &to)).await
    }

    pub async fn duplicate_profile(
        &self,
        from: String,
        to: String,
    ) -> Result<ProfileSummary, ErrorPayload> {
        self.blocking(move |s| s.duplicate(&from, &to)).await
    }

    pub async fn delete_profile(&self, name: String) -> Result<(), ErrorPayload> {
        self.blocking(move |s| s.delete(&name)).await
    }

    pub async fn use_profile(&self, name: String) -> Result<ProfileSummary, ErrorPayload> {
        self.blocking(move |s| s.set_active(&name)).await
    }

    /// Saves the form: typed secrets and the latest paste replace saved ones, `clear` names
    /// secret fields to remove, other saved secrets are kept. Secrets first, then metadata;
    /// on any failure nothing changes.
    pub async fn save_provider(
        &self,
        profile: String,
        provider: ProviderId,
        values: BTreeMap<String, String>,
        clear: Vec<String>,
    ) -> Result<ProviderSettings, ErrorPayload> {
        let creds = self.drafts.fill(typed(provider, values)?);
        let saved = self
            .blocking(move |s| {
                let clear: Vec<&str> = clear.iter().map(String::as_str).collect();
                s.save_provider(&profile, &creds, &clear)
            })
            .await?;
        self.drafts.clear(provider);
        Ok(saved)
    }

    /// Removes a provider's settings and every keyring entry it had from a profile.
    pub async fn forget_provider(
        &self,
        profile: String,
        provider: ProviderId,
    ) -> Result<(), ErrorPayload> {
        self.blocking(move |s| s.forget_provider(&profile, provider))
            .await
    }
}
