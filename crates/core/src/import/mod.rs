//! Importers: find credentials already on this machine (environment variables, the AWS
//! shared files, the HuggingFace token file, Lambda's key file, the gcloud key files) so a
//! user can adopt them into a profile instead of pasting them again. Every importer reads
//! only the paths and variables of an explicit `ImportContext`, never the process itself,
//! so tests describe a temporary HOME; and none of them ever echoes a value it read.

mod aws;
mod env;
mod file;
mod gcloud;
mod hf;
pub mod ini;
mod lambda;

use std::path::{Path, PathBuf};

use crate::schema::Credentials;
use crate::schema::Env;
use crate::schema::ProviderId;

pub use env::{credentials_in_env, env_variables_for, gcp_key_from_env, has_credentials};
pub use gcloud::parse_key_file;

/// Every profile of an AWS shared file (`config`: the `~/.aws/config` layout) with its
/// static keys read, `None` for profiles without keys. For tests and property tests of the parser.
pub fn parse_aws_shared_file(
    text: &str,
    config: bool,
) -> Vec<(String, Option<Result<Credentials, String>>)> {
    aws::profiles(text, config)
        .into_iter()
        .map(|(name, (body, pairs))| {
            let creds = aws::credentials_of(&body, &pairs);
            (name, creds)
        })
        .collect()
}

/// The token in a HuggingFace token file.
pub fn parse_hf_token_file(text: &str) -> Option<String> {
    hf::parse_token_file(text)
}

/// The `secret_…` keys in a Lambda keys file.
pub fn parse_lambda_keys_file(text: &str) -> Vec<String> {
    lambda::parse_keys_file(text)
}

/// Where an importer looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// Every provider's standard environment variables.
    Env,
    /// `~/.aws/credentials` and `~/.aws/config`.
    Aws,
    /// The HuggingFace token file (`HF_TOKEN_PATH`, `$HF_HOME/token`).
    Hf,
    /// `~/.lambda_cloud/lambda_keys`.
    Lambda,
    /// `GOOGLE_APPLICATION_CREDENTIALS` or gcloud's application-default file.
    Gcloud,
    /// The `AZURE_*` variables.
    Azure,
}

impl Source {
    pub const ALL: [Source; 6] = [
        Source::Env,
        Source::Aws,
        Source::Hf,
        Source::Lambda,
        Source::Gcloud,
        Source::Azure,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Env => "env",
            Source::Aws => "aws",
            Source::Hf => "hf",
            Source::Lambda => "lambda",
            Source::Gcloud => "gcloud",
            Source::Azure => "azure",
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Source {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Source::ALL
            .into_iter()
            .find(|src| src.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!(
                    "unknown source '{}': use one of env, aws, hf, lambda, gcloud, azure",
                    s.trim()
                )
            })
    }
}

/// What the importers may read: a snapshot of the environment and the home folder.
#[derive(Debug, Clone)]
pub struct ImportContext {
    pub env: Env,
    /// The user's home folder; `None` when unknown (file sources then find nothing).
    pub home: Option<PathBuf>,
    /// The AWS profile to take from the shared files (else `AWS_PROFILE`, else `default`).
    pub aws_profile: Option<String>,
}

impl ImportContext {
    /// Home from `HOME` (or `USERPROFILE` on Windows) in `env`.
    pub fn from_env(env: Env) -> Self {
        let home = env.first(&["HOME", "USERPROFILE"]).map(PathBuf::from);
        ImportContext {
            env,
            home,
            aws_profile: None,
        }
    }

    /// A path under the home folder.
    fn home_path(&self, rel: &str) -> Option<PathBuf> {
        self.home.as_ref().map(|h| h.join(rel))
    }

    /// `~/x` written the way users recognise it, for messages.
    pub fn display_path(&self, path: &Path) -> String {
        match self.home.as_ref().and_then(|h| path.strip_prefix(h).ok()) {
            Some(rel) => format!("~/{}", rel.display()),
            None => path.display().to_string(),
        }
    }
}

/// One credential found, ready to import.
#[derive(Debug, Clone)]
pub struct Found {
    pub source: Source,
    /// Where exactly (`HF_TOKEN`, `~/.aws/credentials [work]`), never a value.
    pub origin: String,
    pub credentials: Credentials,
    /// Something to tell the user about it (format problems, an ignored extra key).
    pub notes: Vec<String>,
}

/// Something found that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub source: Source,
    pub provider: Option<ProviderId>,
    pub origin: String,
    /// One sentence saying what is wrong and what to do; never quotes a value.
    pub message: String,
}

/// Everything the selected sources found.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    pub found: Vec<Found>,
    pub problems: Vec<Problem>,
}

impl Discovery {
    /// The credential to import per provider: the first found in source order; the others
    /// are `shadowed`.
    pub fn selected(&self) -> Vec<&Found> {
        let mut seen = Vec::new();
        self.found
            .iter()
            .filter(|f| {
                let p = f.credentials.provider();
                let first = !seen.contains(&p);
                seen.push(p);
                first
            })
            .collect()
    }

    /// Found credentials that lose to an earlier one for the same provider.
    pub fn shadowed(&self) -> Vec<&Found> {
        let selected = self.selected();
        self.found
            .iter()
            .filter(|f| !selected.iter().any(|s| std::ptr::eq(*s, *f)))
            .collect()
    }
}

/// Runs the importers of `sources` (all when empty) in their canonical order.
pub fn discover(sources: &[Source], ctx: &ImportContext) -> Discovery {
    let mut wanted: Vec<Source> = if sources.is_empty() {
        Source::ALL.to_vec()
    } else {
        sources.to_vec()
    };
    wanted.sort();
    wanted.dedup();
    let mut out = Discovery::default();
    for source in wanted {
        let part = match source {
            Source::Env => env::discover(ctx, None),
            Source::Azure => env::discover(ctx, Some(ProviderId::AZURE)),
            Source::Aws => aws::discover(ctx),
            Source::Hf => hf::discover(ctx),
            Source::Lambda => lambda::discover(ctx),
            Source::Gcloud => gcloud::discover(ctx),
        };
        for found in part.found {
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
