//! `cloudcreds show`: one profile's providers, non-secret fields, masked secret hints with
//! their age, and the last check results. Reads only the profile store, never the keyring.

use std::process::ExitCode;

use crate::args::ProfileArg;
use crate::error::CliError;
use crate::output;

pub fn run(profile: ProfileArg, json: bool) -> Result<ExitCode, CliError> {
    let store = crate::store::open()?;
    let name = crate::store::resolve(&store, profile.profile.as_deref(), false)?;
    let summary = store.profile(&name)?;
    if json {
        outln!("{}", output::json(&summary));
    } else {
        outln!("{}", output::profile_show(&summary));
    }
    Ok(ExitCode::SUCCESS)
}
