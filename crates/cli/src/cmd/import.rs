//! `cloudcreds import`: runs the core importers over the real HOME and environment, lists
//! what they found (secrets masked) and what they could not use, and after confirmation
//! saves one credential per provider into the profile, replacing that provider's settings.

use std::process::ExitCode;

use cloudcreds_core::import::{discover, ImportContext};
use cloudcreds_core::{providers, Env};

use crate::args::ImportArgs;
use crate::error::CliError;
use crate::output;

pub fn run(args: ImportArgs) -> Result<ExitCode, CliError> {
    let mut ctx = ImportContext::from_env(Env::from_process());
    ctx.aws_profile = args.aws_profile.clone();
    let found = discover(&args.sources, &ctx);
    let selected = found.selected();

    if !selected.is_empty() {
        outln!("Found:");
        for f in &selected {
            outln!("{}", output::found_line(f));
        }
    }
    let shadowed = found.shadowed();
    if !shadowed.is_empty() || !found.problems.is_empty() {
        outln!("Not imported:");
        for f in shadowed {
            if let Some(winner) = selected
                .iter()
                .find(|s| s.credentials.provider() == f.credentials.provider())
            {
                outln!("{}", output::shadowed_line(f, winner));
            }
        }
        for p in &found.problems {
            outln!("{}", output::problem_line(p));
        }
    }
    if selected.is_empty() {
        let looked = if args.sources.is_empty() {
            cloudcreds_core::import::sources()
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            args.sources
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(CliError::failed(format!(
            "No credentials to import were found (looked in: {looked})"
        ))
        .with_hint("Save credentials with `cloudcreds set PROVIDER FIELD` instead."));
    }

    let store = crate::store::open()?;
    let profile = crate::store::resolve(&store, args.profile.profile.as_deref(), true)?;
    let names: Vec<&str> = selected
        .iter()
        .map(|f| providers::info(f.credentials.provider()).name)
        .collect();
    let question = format!(
        "Import {} into profile '{}' (replacing any saved settings for them)?",
        names.join(", "),
        output::clean(&profile)
    );
    if !args.yes && !crate::prompt::confirm(&question, "--yes")? {
        outln!("Nothing was imported.");
        return Ok(ExitCode::SUCCESS);
    }
    for (i, f) in selected.iter().enumerate() {
        let creds = &f.credentials;
        let info = providers::info(creds.provider());
        // Secrets the import does not bring (an old session token) are removed.
        let clear: Vec<&str> = info
            .fields
            .iter()
            .filter(|fs| fs.kind.is_secret() && creds.secret(fs.name).is_none())
            .map(|fs| fs.name)
            .collect();
        if let Err(e) = store.save_provider(&profile, creds, &clear) {
            let done = if i == 0 {
                "Nothing was imported.".to_string()
            } else {
                format!("{} were imported before this.", names[..i].join(", "))
            };
            let mut err = CliError::from(e);
            err.message = format!(
                "Could not save the {} credentials: {} {done}",
                info.name, err.message
            );
            return Err(err);
        }
        outln!(
            "Imported {} into profile '{}'.",
            info.name,
            output::clean(&profile)
        );
    }
    outln!("Test them with `cloudcreds check`.");
    Ok(ExitCode::SUCCESS)
}
