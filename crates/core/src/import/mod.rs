//! Importers: find credentials already on this machine (environment variables, the AWS
//! shared files, the HuggingFace token file, Lambda's key file, the gcloud key files) so a
//! user can adopt them into a profile instead of pasting them again. Each provider's folder
//! holds its own importers (`ProviderDef::sources`); this module walks them in order, drops
//! what two sources both saw, and notes format problems. Every importer reads only the
//! paths and variables of an explicit `ImportContext`, never the process itself, so tests
//! describe a temporary HOME; and none of them ever echoes a value it read.

use crate::providers::{self, aws, gcp, huggingface, lambda, sources::ImportSource};
use crate::schema::Credentials;
use crate::schema::InputError;

pub use crate::providers::env::{
    credentials_in_env, endpoint_variables, env_variables_for, has_credentials,
};
pub use crate::providers::sources::{Discovery, Found, ImportContext, Problem, Source};

/// Every import source, by the name `--source` takes, in the order they run.
pub fn sources() -> Vec<Source> {
    providers::import_sources()
        .iter()
        .map(|s| s.source)
        .collect()
}

/// A source by its name, case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown source '{name}': use one of {}", names())]
pub struct UnknownSource {
    pub name: String,
}

fn names() -> String {
    sources()
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl std::str::FromStr for Source {
    type Err = UnknownSource;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        sources()
            .into_iter()
            .find(|src| src.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownSource {
                name: s.trim().to_string(),
            })
    }
}

/// What each source reads, for help texts: `(name, what it reads)`.
pub fn source_help() -> Vec<(&'static str, &'static str)> {
    providers::import_sources()
        .iter()
        .map(|s| (s.source.as_str(), s.reads))
        .collect()
}

/// Every profile of an AWS shared file (`config`: the `~/.aws/config` layout) with its
/// static keys read, `None` for profiles without keys. For tests and property tests of the parser.
pub fn parse_aws_shared_file(
    text: &str,
    config: bool,
) -> Vec<(String, Option<Result<Credentials, InputError>>)> {
    aws::import::profiles(text, config)
        .into_iter()
        .map(|(name, (body, pairs))| {
            let creds = aws::import::credentials_of(&body, &pairs);
            (name, creds)
        })
        .collect()
}

/// The token in a HuggingFace token file.
pub fn parse_hf_token_file(text: &str) -> Option<String> {
    huggingface::import::parse_token_file(text)
}

/// The `secret_…` keys in a Lambda keys file.
pub fn parse_lambda_keys_file(text: &str) -> Vec<String> {
    lambda::import::parse_keys_file(text)
}

/// Checks that a file's text is a GCP service-account key (not a user login or a
/// federation config); `shown` names the file in messages.
pub fn parse_key_file(text: &str, shown: &str) -> Result<String, InputError> {
    gcp::import::parse_key_file(text, shown)
}

/// Runs the importers of `sources` (all when empty) in their canonical order.
pub fn discover(sources: &[Source], ctx: &ImportContext) -> Discovery {
    let wanted = |s: &&ImportSource| sources.is_empty() || sources.contains(&s.source);
    let mut out = Discovery::default();
    for source in providers::import_sources().into_iter().filter(wanted) {
        let part = (source.discover)(ctx);
        for mut found in part.found {
            let mut notes = format_notes(&found.credentials);
            notes.append(&mut found.notes);
            found.notes = notes;
            // `env` and `azure` (or `gcloud`) can see the same variables: keep one.
            let dup = out
                .found
                .iter()
                .any(|f| same_secrets(&f.credentials, &found.credentials));
            if !dup {
                out.found.push(found);
            }
        }
        for problem in part.problems {
            if !out
                .problems
                .iter()
                .any(|p| p.origin == problem.origin && p.message == problem.message)
            {
                out.problems.push(problem);
            }
        }
    }
    out
}

/// Same provider and the same secret values: the same credential seen twice.
fn same_secrets(a: &Credentials, b: &Credentials) -> bool {
    use secrecy::ExposeSecret;
    a.provider() == b.provider()
        && a.secret_fields().len() == b.secret_fields().len()
        && a.secret_fields().iter().all(|(k, v)| {
            b.secret(k)
                .is_some_and(|w| w.expose_secret() == v.expose_secret())
        })
}

/// Format issues of `creds` as notes (the user may import and fix them later).
fn format_notes(creds: &Credentials) -> Vec<String> {
    let info = crate::providers::info(creds.provider());
    crate::validate::validate(creds)
        .into_iter()
        .map(|i| {
            let label = info.field(&i.field).map_or(i.field.as_str(), |f| f.label);
            format!("{label}: {}", i.message)
        })
        .collect()
}

#[cfg(test)]
mod tests;
