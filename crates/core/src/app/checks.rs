//! Checking several providers at once, for every front end (`check` in the CLI, "Check
//! all" in the window): which providers to check (a profile's saved ones, or the
//! environment's), what is decided without a request (not saved, a required value
//! missing, a keyring failure), running the rest concurrently, recording each result in the
//! profile, and handing over each report the moment it is ready.

use std::collections::BTreeSet;
use std::sync::Arc;

use tokio::sync::mpsc;

use super::Cloudcreds;
use crate::check::{check_all, CheckContext};
use crate::profile::ProfileStore;
use crate::providers::{self, env};
use crate::schema::text::list;
use crate::schema::{CheckReport, Credentials, ErrorCode, ErrorPayload, ProviderId, Status};
use crate::validate::validate;

/// A run of checks under way.
pub struct CheckRun {
    /// The providers whose report is still to come, in display order.
    pub pending: Vec<ProviderId>,
    /// Every report: first those decided without a request, then each check's as it
    /// finishes (already recorded in the profile, for a profile check).
    pub reports: mpsc::Receiver<CheckReport>,
}

impl CheckRun {
    /// Hands `each` every report as it arrives; returns how many there were.
    pub async fn each(mut self, mut each: impl FnMut(CheckReport)) -> usize {
        let mut n = 0;
        while let Some(report) = self.reports.recv().await {
            n += 1;
            each(report);
        }
        n
    }

    /// Waits for every report, in the order they arrive.
    pub async fn collect(mut self) -> Vec<CheckReport> {
        let mut out = Vec::new();
        while let Some(report) = self.reports.recv().await {
            out.push(report);
        }
        out
    }
}

/// One provider's part of a plan.
enum Item {
    Run(Credentials),
    Decided(CheckReport),
}

impl Cloudcreds {
    /// Checks the providers saved in `profile` (the active profile when `None`), or only
    /// those in `only`, with the keyring's secrets, and records every result there.
    pub async fn check_profile(
        &self,
        profile: Option<String>,
        only: Vec<ProviderId>,
    ) -> Result<CheckRun, ErrorPayload> {
        let (name, items) = self
            .blocking(move |s| {
                let name = super::resolve_profile(s, profile.as_deref(), false)?.name;
                let items = plan_profile(s, &name, &only)?;
                Ok::<_, ErrorPayload>((name, items))
            })
            .await?;
        Ok(self.start(items, Some(name)))
    }

    /// `check_env` with this window's or run's check settings.
    pub fn check_env(&self, only: Vec<ProviderId>) -> Result<CheckRun, ErrorPayload> {
        check_env(self.checks.clone(), only)
    }

    fn start(&self, items: Vec<Item>, record_in: Option<String>) -> CheckRun {
        start(
            items,
            self.checks.clone(),
            Some(self.store.clone()).zip(record_in),
        )
    }
}

/// Checks the credentials in the environment's standard variables (every provider with
/// some set, or those in `only`). Needs no profile store, and records nothing.
pub fn check_env(
    checks: Arc<CheckContext>,
    only: Vec<ProviderId>,
) -> Result<CheckRun, ErrorPayload> {
    let items = plan_env(checks.env(), &only)?;
    Ok(start(items, checks, None))
}

/// Sends the decided reports, runs the rest, records each result in `record` (a store
/// and a profile) before handing it over.
fn start(
    items: Vec<Item>,
    checks: Arc<CheckContext>,
    record: Option<(Arc<ProfileStore>, String)>,
) -> CheckRun {
    let mut decided = Vec::new();
    let mut to_run = Vec::new();
    for item in items {
        match item {
            Item::Run(creds) => to_run.push(creds),
            Item::Decided(report) => decided.push(report),
        }
    }
    let mut pending: Vec<ProviderId> = to_run.iter().map(Credentials::provider).collect();
    pending.sort();
    let (tx, rx) = mpsc::channel(decided.len() + to_run.len() + 1);
    let mut running = check_all(to_run, checks);
    tokio::spawn(async move {
        for report in decided {
            let _ = tx.send(report).await;
        }
        while let Some(report) = running.recv().await {
            if let Some((store, profile)) = record.clone() {
                let saved = report.clone();
                // Recording is best effort: the check's answer matters more than its history.
                let _ =
                    tokio::task::spawn_blocking(move || store.record_check(&profile, &saved)).await;
            }
            let _ = tx.send(report).await;
        }
    });
    CheckRun {
        pending,
        reports: rx,
    }
}

/// `check_profile`'s plan: each wanted provider's saved credentials, or why there are none.
fn plan_profile(
    store: &ProfileStore,
    profile: &str,
    only: &[ProviderId],
) -> Result<Vec<Item>, ErrorPayload> {
    let saved: Vec<ProviderId> = store
        .profile(profile)?
        .providers
        .iter()
        .map(|s| s.provider)
        .collect();
    let ids = if only.is_empty() {
        if saved.is_empty() {
            return Err(ErrorPayload::new(
                ErrorCode::InvalidInput,
                format!("Profile '{profile}' has no saved credentials"),
            )
            .with_hint("Add some with `cloudcreds set PROVIDER FIELD` or `cloudcreds import`, or check the environment with --from-env."));
        }
        saved.clone()
    } else {
        dedup(only)
    };
    Ok(ids
        .into_iter()
        .map(|id| {
            let name = id.info().name;
            if !saved.contains(&id) {
                return Item::Decided(CheckReport::decided(
                    id,
                    Status::NotConfigured,
                    format!("Profile '{profile}' has no saved {name} credentials."),
                    format!("Save them with `cloudcreds set {id} FIELD --profile {profile}` or `cloudcreds import --profile {profile}`."),
                ));
            }
            match store.load_credentials(profile, id) {
                Ok(creds) => match missing_fields(&creds) {
                    Some(missing) => Item::Decided(CheckReport::decided(
                        id,
                        Status::NotConfigured,
                        format!("{name} is not set up in profile '{profile}': {} missing.", labels(id, &missing)),
                        format!(
                            "Save {} with {}.",
                            if missing.len() == 1 { "it" } else { "them" },
                            missing
                                .iter()
                                .map(|f| format!("`cloudcreds set {id} {f} --profile {profile}`"))
                                .collect::<Vec<_>>()
                                .join(" and ")
                        ),
                    )),
                    None => Item::Run(creds),
                },
                Err(e) => Item::Decided(CheckReport {
                    hint: Some(e.hint.clone().unwrap_or_else(|| "Run the check again.".into())),
                    ..CheckReport::decided(id, e.status(), e.message.clone(), "")
                }),
            }
        })
        .collect())
}

/// `check_env`'s plan: each provider's credentials from its standard variables.
fn plan_env(vars: &crate::schema::Env, only: &[ProviderId]) -> Result<Vec<Item>, ErrorPayload> {
    let ids: Vec<ProviderId> = if only.is_empty() {
        providers::ids().collect()
    } else {
        dedup(only)
    };
    let mut items = Vec::new();
    for id in ids {
        let name = id.info().name;
        match env::credentials_in_env(vars, id) {
            Some(Ok(creds)) => match missing_fields(&creds) {
                Some(missing) => items.push(Item::Decided(CheckReport::decided(
                    id,
                    Status::NotConfigured,
                    format!("{name} is not set up: {} missing.", labels(id, &missing)),
                    variables_hint(id, &missing),
                ))),
                None => items.push(Item::Run(creds)),
            },
            Some(Err(e)) => {
                let hint = match &providers::def(id).key_file {
                    Some(k) => format!("Point {} at {}.", k.var, k.what),
                    None => "Correct the variable and run the check again.".to_string(),
                };
                items.push(Item::Decided(CheckReport::decided(
                    id,
                    Status::InvalidInput,
                    e.to_string(),
                    hint,
                )))
            }
            None if only.is_empty() => {}
            None => {
                let missing = missing_fields(&Credentials::new(id)).unwrap_or_default();
                items.push(Item::Decided(CheckReport::decided(
                    id,
                    Status::NotConfigured,
                    format!("No {name} credentials are set in the environment."),
                    variables_hint(id, &missing),
                )))
            }
        }
    }
    if items.is_empty() {
        let every: Vec<String> = providers::ids()
            .map(|id| {
                let missing = missing_fields(&Credentials::new(id)).unwrap_or_default();
                list_variables(id, &missing)
            })
            .collect();
        return Err(ErrorPayload::new(
            ErrorCode::InvalidInput,
            "No credentials were found in the environment",
        )
        .with_hint(format!(
            "Set {} (in CI: from your secrets), or name the providers to check with --provider.",
            every.join("; or ")
        )));
    }
    Ok(items)
}

/// Required fields with no value, by name.
fn missing_fields(creds: &Credentials) -> Option<Vec<String>> {
    let missing: Vec<String> = validate(creds)
        .into_iter()
        .filter(|i| i.missing)
        .map(|i| i.field)
        .collect();
    (!missing.is_empty()).then_some(missing)
}

fn labels(id: ProviderId, fields: &[String]) -> String {
    let labels: Vec<&str> = fields
        .iter()
        .map(|f| id.info().field(f).map_or(f.as_str(), |s| s.label))
        .collect();
    list(&labels)
}

/// "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment (in CI, from a secret)."
fn variables_hint(id: ProviderId, missing: &[String]) -> String {
    format!(
        "Set {} in the environment (in CI, from a secret).",
        list_variables(id, missing)
    )
}

/// The variables that fill `fields`, each with its alternatives: "HF_TOKEN (or HUGGING_FACE_HUB_TOKEN)".
fn list_variables(id: ProviderId, fields: &[String]) -> String {
    let vars: Vec<String> = fields
        .iter()
        .filter_map(|f| {
            let names = env::env_variables_for(id, f);
            let (first, rest) = names.split_first()?;
            Some(if rest.is_empty() {
                first.to_string()
            } else {
                format!("{first} (or {})", rest.join(", "))
            })
        })
        .collect();
    let refs: Vec<&str> = vars.iter().map(String::as_str).collect();
    list(&refs)
}

fn dedup(ids: &[ProviderId]) -> Vec<ProviderId> {
    let mut seen = BTreeSet::new();
    ids.iter().copied().filter(|id| seen.insert(*id)).collect()
}
