//! Credentials from the ecosystem's standard environment variables (the `env` source, the
//! `azure` source and `check --from-env`), read from each provider's variable table, plus
//! the variables that name a key file rather than holding a value.

use std::path::Path;

use crate::schema::InputError;
use crate::schema::{Credentials, Env, ProviderId};

use super::sources::{Discovery, Found, ImportContext, ImportSource, Problem, Source};
use super::{def, defs, files, KeyFile};

/// What a variable holds, which decides whether importing it makes sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvRole {
    /// A credential proper (a key, a secret, an id that names the credential).
    Credential,
    /// Where requests go: it describes this environment, not the credential, and still
    /// applies at check time, so it is never imported into a profile.
    Endpoint,
    /// A setting of the credential's use (region, project, subscription).
    Setting,
}

/// One standard variable of a provider.
#[derive(Debug, Clone, Copy)]
pub struct EnvVar {
    pub name: &'static str,
    /// The field it fills; `None` when the check reads it from the environment itself.
    pub field: Option<&'static str>,
    pub role: EnvRole,
}

impl EnvVar {
    pub const fn credential(name: &'static str, field: &'static str) -> Self {
        Self {
            name,
            field: Some(field),
            role: EnvRole::Credential,
        }
    }

    pub const fn setting(name: &'static str, field: &'static str) -> Self {
        Self {
            name,
            field: Some(field),
            role: EnvRole::Setting,
        }
    }

    pub const fn endpoint(name: &'static str, field: &'static str) -> Self {
        Self {
            name,
            field: Some(field),
            role: EnvRole::Endpoint,
        }
    }

    /// An endpoint variable the check reads from the environment, with no field of its own.
    pub const fn endpoint_only(name: &'static str) -> Self {
        Self {
            name,
            field: None,
            role: EnvRole::Endpoint,
        }
    }
}

/// The `env` source: every provider's standard variables.
pub(crate) const ENV_SOURCE: ImportSource = ImportSource {
    source: Source::new("env"),
    reads: "every provider's standard environment variables",
    discover: |ctx| discover(ctx, None, Source::new("env")),
};

/// The standard variables that fill `field` of `provider`, in precedence order.
pub fn env_variables_for(provider: ProviderId, field: &str) -> Vec<&'static str> {
    let d = def(provider);
    let mut vars: Vec<&'static str> = d
        .env
        .iter()
        .filter(|v| v.field == Some(field))
        .map(|v| v.name)
        .collect();
    vars.extend(
        d.key_file
            .iter()
            .filter(|k| k.field == field)
            .map(|k| k.var),
    );
    vars
}

/// Every endpoint variable of every provider (never imported into a profile).
pub fn endpoint_variables() -> impl Iterator<Item = &'static str> {
    defs()
        .iter()
        .flat_map(|d| d.env.iter())
        .filter(|v| v.role == EnvRole::Endpoint)
        .map(|v| v.name)
}

/// True when `creds` holds a credential proper (a required or secret field), not merely
/// an endpoint, region or project override.
pub fn has_credentials(creds: &Credentials) -> bool {
    let info = creds.provider().info();
    creds
        .field_names()
        .filter_map(|name| info.field(name))
        .any(|f| f.required || f.kind.is_secret())
}

/// Credentials for `id` taken from its standard variables, if any of them is set. The
/// first set variable of a field wins.
pub fn credentials_from_env(id: ProviderId, env: &Env) -> Option<Credentials> {
    let mut creds = Credentials::new(id);
    let mut any = false;
    for var in def(id).env {
        let Some(field) = var.field else { continue };
        if creds.field_names().any(|f| f == field) {
            continue;
        }
        if let Some(value) = env.get(var.name) {
            creds.set(field, value.to_string()).ok()?;
            any = true;
        }
    }
    any.then_some(creds)
}

/// `provider`'s credentials from `env`: `None` when none of its credential variables is
/// set (endpoint overrides alone do not count), an error sentence when a variable is set
/// but unusable (a key-file variable naming a missing or wrong file).
pub fn credentials_in_env(
    env: &Env,
    provider: ProviderId,
) -> Option<Result<Credentials, InputError>> {
    let mut creds =
        credentials_from_env(provider, env).unwrap_or_else(|| Credentials::new(provider));
    if let Some(key_file) = &def(provider).key_file {
        match key_file_from_env(env, key_file) {
            None => {}
            Some(Err(e)) => return Some(Err(e)),
            Some(Ok(value)) => {
                if let Err(e) = creds.set(key_file.field, value) {
                    return Some(Err(e.into()));
                }
            }
        }
    }
    has_credentials(&creds).then_some(Ok(creds))
}

/// The file named by `var`: `None` when unset, else its checked content or a sentence
/// saying why it cannot be used.
pub(crate) fn key_file_from_env(
    env: &Env,
    key_file: &KeyFile,
) -> Option<Result<String, InputError>> {
    let var = key_file.var;
    let path = env.get(var)?;
    let shown = format!("{var} ({path})");
    Some(match files::read_small(Path::new(path), &shown) {
        Ok(Some(text)) => (key_file.read)(&text, &shown),
        Ok(None) => Err(missing_key_file(key_file).into()),
        Err(e) => Err(e.into()),
    })
}

/// `VAR names a file that does not exist; point it at …`.
pub(crate) fn missing_key_file(key_file: &KeyFile) -> String {
    format!(
        "{} names a file that does not exist; point it at {}.",
        key_file.var, key_file.what
    )
}

/// The variables that are set for `provider`, for the origin line.
fn set_variables(env: &Env, provider: ProviderId) -> Vec<&'static str> {
    let d = def(provider);
    d.key_file
        .iter()
        .map(|k| k.var)
        .chain(d.env.iter().map(|v| v.name))
        .filter(|v| env.get(v).is_some())
        .collect()
}

/// Every provider's credentials in the environment (or only `only`'s), endpoint overrides
/// left out.
pub(crate) fn discover(ctx: &ImportContext, only: Option<ProviderId>, source: Source) -> Discovery {
    let mut out = Discovery::default();
    for d in defs() {
        if only.is_some_and(|p| p != d.id) {
            continue;
        }
        let is_endpoint = |name: &str| {
            d.env
                .iter()
                .any(|v| v.name == name && v.role == EnvRole::Endpoint)
        };
        let vars: Vec<&str> = set_variables(&ctx.env, d.id)
            .into_iter()
            .filter(|v| !is_endpoint(v))
            .collect();
        let origin = format!("environment ({})", vars.join(", "));
        match credentials_in_env(&ctx.env, d.id) {
            None => {}
            Some(Ok(mut credentials)) => {
                for var in d.env.iter().filter(|v| v.role == EnvRole::Endpoint) {
                    if let Some(field) = var.field {
                        let _ = credentials.set(field, String::new());
                    }
                }
                out.found.push(Found {
                    source,
                    origin,
                    notes: Vec::new(),
                    credentials,
                })
            }
            Some(Err(e)) => out.problems.push(Problem {
                source,
                provider: Some(d.id),
                origin,
                message: e.to_string(),
            }),
        }
    }
    out
}
