//! `cloudcreds set PROVIDER FIELD [VALUE]`: saves one field of a provider in a profile.
//! Non-secret values may come from argv; a secret only from stdin or a no-echo prompt, and
//! a secret given as an argument is refused (it would sit in shell history and `ps`).

use std::process::ExitCode;

use cloudcreds_core::{providers, validate, Credentials, FieldSpec};

use crate::args::SetArgs;
use crate::error::CliError;
use crate::output;

pub fn run(args: SetArgs) -> Result<ExitCode, CliError> {
    let info = providers::info(args.provider);
    let field = info.field(args.field.trim()).ok_or_else(|| {
        CliError::usage(format!(
            "{} has no field '{}'",
            info.name,
            output::clean(args.field.trim())
        ))
        .with_hint(format!(
            "Use one of: {}.",
            info.fields
                .iter()
                .map(|f| f.name)
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    let command = format!("cloudcreds set {} {}", args.provider, field.name);
    if field.kind.is_secret() && args.value.is_some() {
        return Err(CliError::usage(format!(
            "The {} is a secret and is never taken from the command line, where shell history and the process list keep it; it was not saved",
            field.label
        ))
        .with_hint(format!(
            "Run `{command}` without the value to be prompted, or pipe it in: `printf %s \"$VALUE\" | {command}`."
        )));
    }
    // Read the input before touching the store, so a bad input changes nothing.
    let input = if args.clear {
        None
    } else if field.kind.is_secret() {
        Some(Input::Secret(crate::prompt::secret(
            field.label,
            field.kind,
            &command,
        )?))
    } else {
        Some(Input::Plain(match args.value {
            Some(v) => v,
            None => crate::prompt::plain(field.label)?,
        }))
    };
    let store = crate::store::open()?;
    let profile = crate::store::resolve(&store, args.profile.profile.as_deref(), true)?;
    // Only this field is sent: the store merges it into what is saved at that moment, so
    // concurrent `set`s of other fields are kept.
    let mut creds = Credentials::new(args.provider);
    let mut remove: Vec<&str> = Vec::new();
    match input {
        None => remove.push(field.name),
        Some(Input::Plain(v)) => creds
            .set(field.name, v)
            .map_err(|e| CliError::usage(e.to_string()))?,
        Some(Input::Secret(s)) => creds
            .set_secret(field.name, s)
            .map_err(|e| CliError::usage(e.to_string()))?,
    }
    warn_format(&creds, field);
    store.update_provider(&profile, &creds, &remove)?;
    let verb = if args.clear { "Removed" } else { "Saved" };
    outln!(
        "{verb} {} {} in profile '{}'.",
        info.name,
        field.label,
        output::clean(&profile)
    );
    if !args.clear {
        outln!(
            "Test it with `cloudcreds check --provider {}`.",
            args.provider
        );
    }
    Ok(ExitCode::SUCCESS)
}

enum Input {
    Plain(String),
    Secret(secrecy::SecretString),
}

/// A format problem with the value just entered is worth a warning, not a refusal: the
/// rules may be stricter than the provider, and `check` will say for sure.
fn warn_format(creds: &Credentials, field: &FieldSpec) {
    for issue in validate(creds) {
        if issue.field == field.name && !issue.missing {
            eprintln!(
                "cloudcreds: warning: {}: {}",
                field.label,
                output::clean(&issue.message)
            );
        }
    }
}
