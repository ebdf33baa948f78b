//! `cloudcreds check`: the application layer's `check_profile` / `check_env` (the same
//! calls as the window's "Check all"), rendered for a terminal: each provider's line the
//! moment it finishes (or one JSON document), a summary, and exit 0/1/2.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use cloudcreds_core::app::{check_env, CheckRun};
use cloudcreds_core::{CheckContext, CheckOptions, CheckReport, Cloudcreds, Env, Status};

use crate::args::CheckArgs;
use crate::error::{CliError, FAILED, SUCCESS};
use crate::output;
use crate::spinner::Spinner;

pub fn run(args: CheckArgs) -> Result<ExitCode, CliError> {
    let options = match args.timeout {
        Some(secs) => CheckOptions {
            deadline: Duration::from_secs(secs),
            connect_timeout: Duration::from_secs(secs.min(5)),
        },
        None => CheckOptions::default(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failed(format!("Could not start the check runner: {e}")))?;
    let checks = CheckContext::new(Env::from_process(), options);
    let mut reports = runtime.block_on(async {
        let run = if args.from_env {
            // The environment alone: no profile store is opened.
            check_env(Arc::new(checks), args.providers.clone())?
        } else {
            let app = Cloudcreds::new(checks, crate::store::open()?);
            let profile = args.profile.profile.clone();
            app.check_profile(profile, args.providers.clone()).await?
        };
        Ok::<_, CliError>(show_as_they_come(run, args.json).await)
    })?;
    reports.sort_by_key(|r| r.provider);
    if args.json {
        outln!("{}", output::json_results(&reports));
    } else {
        outln!("{}", output::summary(&reports));
    }
    let all_ok = reports.iter().all(|r| r.status == Status::Ok);
    Ok(ExitCode::from(if all_ok { SUCCESS } else { FAILED }))
}

/// Prints each report's line as it arrives (unless `json`), with a spinner naming the
/// providers still running; returns every report.
async fn show_as_they_come(mut run: CheckRun, json: bool) -> Vec<CheckReport> {
    let mut spinner = Spinner::new(!json);
    let mut reports = Vec::new();
    let mut ticker = tokio::time::interval(Duration::from_millis(100));
    loop {
        tokio::select! {
            received = run.reports.recv() => {
                let Some(report) = received else { break };
                run.pending.retain(|p| *p != report.provider);
                if !json {
                    spinner.println(&output::check_line(&report));
                }
                reports.push(report);
            }
            _ = ticker.tick(), if !run.pending.is_empty() => {
                let names: Vec<&str> = run.pending.iter().map(|p| p.as_str()).collect();
                spinner.tick(&names);
            }
        }
    }
    spinner.clear();
    reports
}
