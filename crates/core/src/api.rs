//! The operations the desktop shell and the CLI expose, one method each, so a Tauri command
//! or a CLI subcommand is a one-line delegation and every behaviour is tested here.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::check::{check, CheckContext, CheckOptions};
use crate::credentials::Credentials;
use crate::draft::{Drafts, PasteSummary};
use crate::env::Env;
use crate::error::{ErrorCode, ErrorPayload};
use crate::provider::{ProviderId, ProviderInfo};
use crate::providers;
use crate::report::CheckReport;
use crate::validate::{validate, FieldIssue};

/// Long-lived state behind the window or a CLI run.
pub struct Cloudcreds {
    checks: Arc<CheckContext>,
    drafts: Drafts,
}

impl Cloudcreds {
    /// State reading endpoint overrides from `env`, with the given time limits.
    pub fn new(env: Env, options: CheckOptions) -> Self {
        Self::with_context(CheckContext::new(env, options))
    }

    pub fn with_context(checks: CheckContext) -> Self {
        Self {
            checks: Arc::new(checks),
            drafts: Drafts::default(),
        }
    }

    pub fn providers(&self) -> &'static [ProviderInfo] {
        providers::all()
    }

    /// Format problems with what the user has typed so far.
    pub fn validate(
        &self,
        provider: ProviderId,
        values: BTreeMap<String, String>,
    ) -> Result<Vec<FieldIssue>, ErrorPayload> {
        Ok(validate(&self.drafts.fill(typed(provider, values)?)))
    }

    /// Parses pasted text; secrets stay here, the summary holds only hints of them.
    pub fn paste(&self, text: &str) -> Result<PasteSummary, ErrorPayload> {
        self.drafts.paste(text)
    }

    /// Forgets pasted secrets for `provider`.
    pub fn clear_draft(&self, provider: ProviderId) {
        self.drafts.clear(provider);
    }

    /// "Test connection" with the form's values; secret fields left empty are taken from
    /// the latest paste.
    pub async fn test_connection(
        &self,
        provider: ProviderId,
        values: BTreeMap<String, String>,
    ) -> Result<CheckReport, ErrorPayload> {
        let creds = self.drafts.fill(typed(provider, values)?);
        Ok(check(&creds, &self.checks).await)
    }
}

fn typed(
    provider: ProviderId,
    values: BTreeMap<String, String>,
) -> Result<Credentials, ErrorPayload> {
    Credentials::from_values(provider, values)
        .map_err(|message| ErrorPayload::new(ErrorCode::InvalidInput, message))
}
