//! Credentials from the ecosystem's standard environment variables (the `env` and `azure`
//! sources, and `cloudcreds check --from-env`): the provider registry's variable table,
//! plus `GOOGLE_APPLICATION_CREDENTIALS`, which names a key file rather than holding a key.

use std::path::Path;

use crate::providers;
use crate::schema::Credentials;
use crate::schema::Env;
use crate::schema::ProviderId;

use super::{file, format_notes, gcloud, Discovery, Found, ImportContext, Problem, Source};

/// The variable naming a GCP service-account key file.
pub const GCP_KEY_VAR: &str = "GOOGLE_APPLICATION_CREDENTIALS";

/// The standard variables that fill `field` of `provider`, in precedence order.
pub fn env_variables_for(provider: ProviderId, field: &str) -> Vec<&'static str> {
    let mut vars: Vec<&'static str> = providers::def(provider)
        .env_vars
        .iter()
        .filter(|(_, f)| *f == field)
        .map(|(v, _)| *v)
        .collect();
    if provider == ProviderId::GCP && field == "service_account_key" {
        vars.push(GCP_KEY_VAR);
    }
    vars
}

/// True when `creds` holds a credential proper (a required or secret field), not merely
/// an endpoint, region or project override.
pub fn has_credentials(creds: &Credentials) -> bool {
    let info = providers::info(creds.provider());
    creds
        .field_names()
        .filter_map(|name| info.field(name))
        .any(|f| f.required || f.kind.is_secret())
}

/// The GCP key named by `GOOGLE_APPLICATION_CREDENTIALS`: `None` when unset, else the key
/// JSON or a sentence saying why it cannot be used.
pub fn gcp_key_from_env(env: &Env) -> Option<Result<String, String>> {
    let path = env.get(GCP_KEY_VAR)?;
    let shown = format!("{GCP_KEY_VAR} ({path})");
    Some(match file::read_small(Path::new(path), &shown) {
        Ok(Some(text)) => gcloud::parse_key_file(&text, &shown),
        Ok(None) => Err(format!(
            "{GCP_KEY_VAR} names a file that does not exist; point it at a service-account key JSON file."
        )),
        Err(e) => Err(e),
    })
}

/// `provider`'s credentials from `env`: `None` when none of its credential variables is
/// set (endpoint overrides alone do not count), an error sentence when a variable is set
/// but unusable (`GOOGLE_APPLICATION_CREDENTIALS` naming a missing or wrong file).
pub fn credentials_in_env(env: &Env, provider: ProviderId) -> Option<Result<Credentials, String>> {
    let mut creds = providers::credentials_from_env(provider, env)
        .unwrap_or_else(|| Credentials::new(provider));
    if provider == ProviderId::GCP {
        match gcp_key_from_env(env) {
            None => {}
            Some(Err(e)) => return Some(Err(e)),
            Some(Ok(key)) => {
                if let Err(e) = creds.set("service_account_key", key) {
                    return Some(Err(e.to_string()));
                }
            }
        }
    }
    has_credentials(&creds).then_some(Ok(creds))
}

/// The variables that are set for `provider`, for the origin line.
fn set_variables(env: &Env, provider: ProviderId) -> Vec<&'static str> {
    let mut vars: Vec<&'static str> = providers::def(provider)
        .env_vars
        .iter()
        .map(|(v, _)| *v)
        .filter(|v| env.get(v).is_some())
        .collect();
    if provider == ProviderId::GCP && env.get(GCP_KEY_VAR).is_some() {
        vars.insert(0, GCP_KEY_VAR);
    }
    vars
}

/// Endpoint overrides: they describe this environment, not the credential, and still
/// apply at check time from the environment, so importing them into a profile would only
/// pin a mirror or test server there.
pub const ENDPOINT_VARS: &[&str] = &[
    "HF_ENDPOINT",
    "AWS_ENDPOINT_URL_STS",
    "AWS_ENDPOINT_URL",
    "AZURE_AUTHORITY_HOST",
    "CLOUDCREDS_AZURE_ARM_ENDPOINT",
    "CLOUDCREDS_LAMBDA_ENDPOINT",
    "CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDRESOURCEMANAGER",
];

pub(super) fn discover(ctx: &ImportContext, only: Option<ProviderId>) -> Discovery {
    let source = if only.is_some() {
        Source::Azure
    } else {
        Source::Env
    };
    let mut out = Discovery::default();
    for def in providers::defs() {
        if only.is_some_and(|p| p != def.id) {
            continue;
        }
        let vars: Vec<&str> = set_variables(&ctx.env, def.id)
            .into_iter()
            .filter(|v| !ENDPOINT_VARS.contains(v))
            .collect();
        let origin = format!("environment ({})", vars.join(", "));
        match credentials_in_env(&ctx.env, def.id) {
            None => {}
            Some(Ok(mut credentials)) => {
                for (var, field) in def.env_vars {
                    if ENDPOINT_VARS.contains(var) {
                        let _ = credentials.set(field, String::new());
                    }
                }
                out.found.push(Found {
                    source,
                    origin,
                    notes: format_notes(&credentials),
                    credentials,
                })
            }
            Some(Err(message)) => out.problems.push(Problem {
                source,
                provider: Some(def.id),
                origin,
                message,
            }),
        }
    }
    out
}
