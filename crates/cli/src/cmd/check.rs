//! `cloudcreds check`: gathers credentials (from a profile's keyring entries or from the
//! environment), runs every check concurrently, prints each provider's line the moment it
//! finishes (or one JSON document), records results in the profile, and exits 0/1/2.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use cloudcreds_core::import::{credentials_in_env, env_variables_for};
use cloudcreds_core::{
    check_all, providers, validate, CheckContext, CheckOptions, CheckReport, Credentials, Env,
    ProfileStore, ProviderId, Status,
};

use crate::args::CheckArgs;
use crate::error::{CliError, FAILED, SUCCESS};
use crate::output;
use crate::spinner::Spinner;

/// What to check: credentials to send, or a result known without any request.
enum Item {
    Run(Credentials),
    Known(CheckReport),
}

pub fn run(args: CheckArgs) -> Result<ExitCode, CliError> {
    let env = Env::from_process();
    let (items, store) = if args.from_env {
        (from_env(&env, &args.providers)?, None)
    } else {
        let store = crate::store::open()?;
        let profile = crate::store::resolve(&store, args.profile.profile.as_deref(), false)?;
        let items = from_profile(&store, &profile, &args.providers)?;
        (items, Some((store, profile)))
    };
    let options = match args.timeout {
        Some(secs) => CheckOptions {
            deadline: Duration::from_secs(secs),
            connect_timeout: Duration::from_secs(secs.min(5)),
        },
        None => CheckOptions::default(),
    };
    let ctx = Arc::new(CheckContext::new(env, options));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failed(format!("Could not start the check runner: {e}")))?;
    let from_env = args.from_env;
    let mut reports = runtime.block_on(run_checks(items, ctx, args.json, |report| {
        if from_env {
            explain_missing_variables(report);
        }
        if let Some((store, profile)) = &store {
            record(store, profile, report);
        }
    }));
    reports.sort_by_key(|r| r.provider);
    if args.json {
        outln!("{}", output::json_results(&reports));
    } else {
        outln!("{}", output::summary(&reports));
    }
    let all_ok = reports.iter().all(|r| r.status == Status::Ok);
    Ok(ExitCode::from(if all_ok { SUCCESS } else { FAILED }))
}

/// Runs the checks, printing each line as it arrives unless `json`; returns every report.
async fn run_checks(
    items: Vec<Item>,
    ctx: Arc<CheckContext>,
    json: bool,
    mut on_report: impl FnMut(&mut CheckReport),
) -> Vec<CheckReport> {
    let mut spinner = Spinner::new(!json);
    let mut reports = Vec::new();
    let mut pending: Vec<ProviderId> = Vec::new();
    let mut to_run = Vec::new();
    for item in items {
        match item {
            Item::Known(r) => reports.push(r),
            Item::Run(c) => {
                pending.push(c.provider());
                to_run.push(c);
            }
        }
    }
    for report in &mut reports {
        on_report(report);
        if !json {
            spinner.println(&output::check_line(report));
        }
    }
    let mut rx = check_all(to_run, ctx);
    let mut ticker = tokio::time::interval(Duration::from_millis(100));
    while !pending.is_empty() {
        tokio::select! {
            received = rx.recv() => {
                let Some(mut report) = received else { break };
                pending.retain(|p| *p != report.provider);
                on_report(&mut report);
                if !json {
                    spinner.println(&output::check_line(&report));
                }
                reports.push(report);
            }
            _ = ticker.tick() => {
                let names: Vec<&str> = pending.iter().map(|p| p.as_str()).collect();
                spinner.tick(&names);
            }
        }
    }
    spinner.clear();
    reports
}

/// `--from-env`: every provider with credential variables set, or those named.
fn from_env(env: &Env, wanted: &[ProviderId]) -> Result<Vec<Item>, CliError> {
    let ids: Vec<ProviderId> = if wanted.is_empty() {
        providers::all().iter().map(|p| p.id).collect()
    } else {
        dedup(wanted)
    };
    let mut items = Vec::new();
    for id in ids {
        match credentials_in_env(env, id) {
            Some(Ok(creds)) => items.push(Item::Run(creds)),
            Some(Err(e)) => items.push(Item::Known(known(
                id,
                Status::InvalidInput,
                e.to_string(),
                "Point GOOGLE_APPLICATION_CREDENTIALS at a service-account key JSON file.".into(),
            ))),
            None if wanted.is_empty() => {}
            None => items.push(Item::Known(known(
                id,
                Status::NotConfigured,
                format!(
                    "No {} credentials are set in the environment.",
                    providers::info(id).name
                ),
                missing_variables_hint(&Credentials::new(id)),
            ))),
        }
    }
    if items.is_empty() {
        return Err(CliError::usage(
            "No credentials were found in the environment",
        )
        .with_hint(
            "Set HF_TOKEN, LAMBDA_API_KEY, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AZURE_TENANT_ID, \
             AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or GOOGLE_APPLICATION_CREDENTIALS (in CI: from your \
             secrets), or name the providers to check with --provider.",
        ));
    }
    Ok(items)
}

/// The saved providers of `profile` (or those named), secrets read from the keyring.
fn from_profile(
    store: &ProfileStore,
    profile: &str,
    wanted: &[ProviderId],
) -> Result<Vec<Item>, CliError> {
    let saved: Vec<ProviderId> = store
        .profile(profile)?
        .providers
        .iter()
        .map(|s| s.provider)
        .collect();
    let ids = if wanted.is_empty() {
        if saved.is_empty() {
            return Err(CliError::usage(format!("Profile '{profile}' has no saved credentials"))
                .with_hint("Add some with `cloudcreds set PROVIDER FIELD` or `cloudcreds import`, or check the environment with --from-env."));
        }
        saved.clone()
    } else {
        dedup(wanted)
    };
    Ok(ids
        .into_iter()
        .map(|id| {
            if !saved.contains(&id) {
                return Item::Known(known(
                    id,
                    Status::NotConfigured,
                    format!("Profile '{profile}' has no saved {} credentials.", providers::info(id).name),
                    format!("Save them with `cloudcreds set {id} FIELD --profile {profile}` or `cloudcreds import --profile {profile}`."),
                ));
            }
            match store.load_credentials(profile, id) {
                Ok(creds) => match missing_fields(&creds) {
                    Some(missing) => Item::Known(known(
                        id,
                        Status::NotConfigured,
                        format!(
                            "{} is not set up in profile '{profile}': {} missing.",
                            providers::info(id).name,
                            missing.join(" and ")
                        ),
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
                Err(e) => Item::Known(known(
                    id,
                    e.status(),
                    e.message.clone(),
                    e.hint.clone().unwrap_or_else(|| "Run the check again.".into()),
                )),
            }
        })
        .collect())
}

/// Required fields with no saved value, by name.
fn missing_fields(creds: &Credentials) -> Option<Vec<String>> {
    let missing: Vec<String> = validate(creds)
        .into_iter()
        .filter(|i| i.missing)
        .map(|i| i.field)
        .collect();
    (!missing.is_empty()).then_some(missing)
}

fn dedup(ids: &[ProviderId]) -> Vec<ProviderId> {
    let mut out: Vec<ProviderId> = Vec::new();
    for id in ids {
        if !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

/// A result decided without sending anything.
fn known(provider: ProviderId, status: Status, summary: String, hint: String) -> CheckReport {
    CheckReport::decided(provider, status, summary, hint)
}

/// In `--from-env` mode a missing field is a missing variable: say which one to set.
fn explain_missing_variables(report: &mut CheckReport) {
    if report.status == Status::NotConfigured && report.requests.is_empty() {
        if let Some(hint) = report.hint.as_mut() {
            if hint.starts_with("Fill in") {
                *hint = missing_variables_hint(&Credentials::new(report.provider));
            }
        }
    }
}

/// "Set HF_TOKEN (or HUGGING_FACE_HUB_TOKEN) ..." for the required fields of a provider.
fn missing_variables_hint(empty: &Credentials) -> String {
    let id = empty.provider();
    let vars: Vec<String> = validate(empty)
        .into_iter()
        .filter(|i| i.missing)
        .filter_map(|i| {
            let names = env_variables_for(id, &i.field);
            let (first, rest) = names.split_first()?;
            Some(if rest.is_empty() {
                first.to_string()
            } else {
                format!("{first} (or {})", rest.join(", "))
            })
        })
        .collect();
    format!(
        "Set {} in the environment (in CI, from a secret).",
        vars.join(" and ")
    )
}

/// Saves a check's outcome in the profile so `show` and the app see it (a provider not
/// saved in the profile is not recorded).
fn record(store: &ProfileStore, profile: &str, report: &CheckReport) {
    if let Err(e) = store.record_check(profile, report) {
        eprintln!(
            "cloudcreds: the {} result was not recorded in the profile: {}",
            report.provider,
            output::clean(&e.message)
        );
    }
}
