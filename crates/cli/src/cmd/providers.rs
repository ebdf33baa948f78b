//! `cloudcreds providers`: the provider registry and each provider's fields.

use std::process::ExitCode;

use cloudcreds_core::{providers, ProviderId};

use crate::error::CliError;

pub fn run(provider: Option<ProviderId>, json: bool) -> Result<ExitCode, CliError> {
    let selected: Vec<_> = providers::all()
        .iter()
        .filter(|p| provider.is_none_or(|id| p.id == id))
        .collect();
    if json {
        outln!("{}", crate::output::json(&selected));
        return Ok(ExitCode::SUCCESS);
    }
    for p in selected {
        outln!("{} ({})", p.name, p.id);
        for f in p.fields {
            let tag = if f.kind.is_secret() { " [secret]" } else { "" };
            let req = if f.required { "" } else { " (optional)" };
            outln!("  {:<22} {}{}{}", f.name, f.label, tag, req);
        }
    }
    Ok(ExitCode::SUCCESS)
}
