//! `cloudcreds doctor`: reconciles the keyring with the profile store through core's
//! `app::doctor` (the same scan the window runs at start, here reading values too), repairs
//! what the flags (or the answers at a terminal) ask for, and `--remove-everything` leaves
//! no trace. Prints names, masked hints and paths only, never a value.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::process::ExitCode;

use cloudcreds_core::app::{doctor, leave};
use cloudcreds_core::{KeyringFinding, ProfileStore, Repair, ScanDepth};
use serde::Serialize;

use crate::args::DoctorArgs;
use crate::error::CliError;
use crate::output::{self, clean};

/// One repair made or attempted.
#[derive(Serialize)]
struct Done {
    key: String,
    repair: Repair,
    message: String,
}

#[derive(Serialize)]
struct Report<'a> {
    service: &'a str,
    healthy: bool,
    findings: &'a [KeyringFinding],
    repaired: &'a [Done],
    failed: &'a [Done],
    remaining: &'a [KeyringFinding],
}

pub fn run(a: DoctorArgs) -> Result<ExitCode, CliError> {
    let store = crate::store::open()?;
    if a.remove_everything {
        return remove_everything(&store, a.yes, a.json);
    }
    let found = doctor::scan(&store, ScanDepth::Values)?;
    let flags = a.adopt || a.delete_orphans || a.forget_missing;
    let interactive = !a.json && !flags && std::io::stdin().is_terminal();
    if !a.json && !found.findings.is_empty() {
        println!(
            "{} under the keyring service '{}':",
            count(found.findings.len(), "finding"),
            clean(&found.service)
        );
    }
    let (mut repaired, mut failed) = (Vec::new(), Vec::new());
    for finding in &found.findings {
        if !a.json {
            println!("{}", finding_text(finding));
        }
        let choice = if interactive {
            ask(finding)?
        } else {
            chosen(finding, &a)
        };
        let Some(repair) = choice else { continue };
        let result = doctor::repair(&store, &finding.key, repair);
        let done = |message: String| Done {
            key: finding.key.clone(),
            repair,
            message,
        };
        match result {
            Ok(message) => {
                if !a.json {
                    println!("      done: {}", clean(&message));
                }
                repaired.push(done(message));
            }
            Err(e) => {
                let message = match e.hint {
                    Some(hint) => format!("{} {hint}", e.message),
                    None => e.message,
                };
                if !a.json {
                    println!("      FAILED: {}", clean(&message));
                }
                failed.push(done(message));
            }
        }
    }
    let remaining = if repaired.is_empty() {
        found.findings.clone()
    } else {
        doctor::scan(&store, ScanDepth::Values)?.findings
    };
    let healthy = remaining.is_empty() && failed.is_empty();
    if a.json {
        println!(
            "{}",
            output::json(&Report {
                service: &found.service,
                healthy,
                findings: &found.findings,
                repaired: &repaired,
                failed: &failed,
                remaining: &remaining,
            })
        );
    } else if found.findings.is_empty() {
        println!(
            "No findings: every keyring entry under '{}' belongs to a profile, and every saved \
             secret is in the keyring and reads back whole.",
            clean(&found.service)
        );
    } else if healthy {
        println!("All findings are repaired.");
    } else {
        println!(
            "{} left. Repair with --adopt, --delete-orphans or --forget-missing (see `cloudcreds doctor --help`).",
            count(remaining.len(), "finding")
        );
    }
    Ok(ExitCode::from(if healthy { 0 } else { 1 }))
}

fn count(n: usize, what: &str) -> String {
    match (n, what) {
        (1, _) => format!("1 {what}"),
        (_, "keyring entry") => format!("{n} keyring entries"),
        _ => format!("{n} {what}s"),
    }
}

fn finding_text(f: &KeyringFinding) -> String {
    let kind = serde_json::to_value(f.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    format!(
        "  {kind:<22} {}\n      {}\n      → {}",
        clean(&f.key),
        clean(&f.message),
        clean(&f.fix)
    )
}

/// The repair the flags ask for, if any.
fn chosen(f: &KeyringFinding, a: &DoctorArgs) -> Option<Repair> {
    let wanted = |r: Repair| match r {
        Repair::Adopt => a.adopt,
        Repair::AdoptCreatingProfile => a.adopt && a.create_profiles,
        Repair::Delete => a.delete_orphans,
        Repair::Forget => a.forget_missing,
    };
    f.repairs.iter().copied().find(|r| wanted(*r))
}

fn choice_label(r: Repair) -> (&'static str, &'static str) {
    match r {
        Repair::Adopt => ("a", "adopt"),
        Repair::AdoptCreatingProfile => ("c", "create the profile and adopt"),
        Repair::Delete => ("d", "delete"),
        Repair::Forget => ("f", "forget"),
    }
}

/// Asks at the terminal which repair to make; Enter (or end of input) skips.
fn ask(f: &KeyringFinding) -> Result<Option<Repair>, CliError> {
    let options: Vec<String> = f
        .repairs
        .iter()
        .map(|r| {
            let (letter, what) = choice_label(*r);
            format!("[{letter}] {what}")
        })
        .collect();
    eprint!("      {}, or Enter to skip: ", options.join(", "));
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .take(1024)
        .read_line(&mut line)
        .map_err(|e| CliError::usage(format!("Could not read an answer: {}", e.kind())))?;
    let answer = line.trim().to_ascii_lowercase();
    Ok(f.repairs.iter().copied().find(|r| {
        let (letter, what) = choice_label(*r);
        !answer.is_empty() && (answer == letter || answer == what)
    }))
}

fn remove_everything(store: &ProfileStore, yes: bool, json: bool) -> Result<ExitCode, CliError> {
    let service = store.vault().service().to_string();
    let folder = store
        .path()
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    if !yes {
        if !std::io::stdin().is_terminal() {
            return Err(CliError::usage(
                "--remove-everything deletes every cloudcreds secret and file and cannot be \
                 undone, so it asks first, but stdin is not a terminal; nothing was removed",
            )
            .with_hint("Run it at a terminal, or add --yes if you are sure."));
        }
        let question = format!(
            "Remove every keyring entry under '{}' and every cloudcreds file in {}? This cannot be undone.",
            clean(&service),
            clean(&folder)
        );
        if !crate::prompt::confirm(&question, "--yes")? {
            println!("Nothing was removed.");
            return Ok(ExitCode::SUCCESS);
        }
    }
    let removed = leave::remove_everything(store)?;
    if json {
        println!("{}", output::json(&removed));
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "Removed {} under the keyring service '{}'{}",
        count(removed.entries.len(), "keyring entry"),
        clean(&service),
        if removed.entries.is_empty() { "." } else { ":" }
    );
    for entry in &removed.entries {
        println!("  {}", clean(entry));
    }
    println!(
        "Removed {}{}",
        count(removed.files.len(), "file"),
        if removed.files.is_empty() { "." } else { ":" }
    );
    for file in &removed.files {
        println!("  {}", clean(&file.display().to_string()));
    }
    println!(
        "cloudcreds left nothing behind in the keyring or in {}.",
        clean(&folder)
    );
    Ok(ExitCode::SUCCESS)
}
