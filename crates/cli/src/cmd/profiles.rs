//! `cloudcreds profiles`: list, create, rename, duplicate, delete (after confirmation) and
//! switch the active profile, through the same profile store the desktop app uses.

use std::process::ExitCode;

use crate::args::ProfilesAction;
use crate::error::CliError;
use crate::output;

pub fn run(action: Option<ProfilesAction>) -> Result<ExitCode, CliError> {
    let store = crate::store::open()?;
    match action.unwrap_or(ProfilesAction::List { json: false }) {
        ProfilesAction::List { json } => {
            let profiles = store.list()?;
            if json {
                outln!(
                    "{}",
                    output::json(&serde_json::json!({ "profiles": profiles }))
                );
            } else {
                outln!("{}", output::profile_list(&profiles));
            }
        }
        ProfilesAction::Create { name } => {
            let p = store.create(&name)?;
            let active = if p.active { " (active)" } else { "" };
            outln!("Created profile '{}'{active}.", output::clean(&p.name));
        }
        ProfilesAction::Rename { from, to } => {
            let p = store.rename(&from, &to)?;
            outln!(
                "Renamed profile '{}' to '{}'.",
                output::clean(&from),
                output::clean(&p.name)
            );
        }
        ProfilesAction::Duplicate { from, to } => {
            let p = store.duplicate(&from, &to)?;
            outln!(
                "Copied profile '{}' to '{}'.",
                output::clean(&from),
                output::clean(&p.name)
            );
        }
        ProfilesAction::Delete { name, yes } => {
            let p = store.profile(&name)?;
            let what = if p.providers.is_empty() {
                String::new()
            } else {
                format!(
                    " and its saved secrets for {}",
                    p.providers
                        .iter()
                        .map(|s| s.provider.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let question = format!("Delete profile '{}'{what}?", output::clean(&name));
            if !yes && !crate::prompt::confirm(&question, "--yes")? {
                outln!("Nothing was deleted.");
                return Ok(ExitCode::SUCCESS);
            }
            store.delete(&name)?;
            outln!("Deleted profile '{}'.", output::clean(&name));
            if let Some(active) = store.active()? {
                outln!("The active profile is '{}'.", output::clean(&active));
            }
        }
        ProfilesAction::Use { name } => {
            let p = store.set_active(&name)?;
            outln!("The active profile is now '{}'.", output::clean(&p.name));
        }
    }
    Ok(ExitCode::SUCCESS)
}
