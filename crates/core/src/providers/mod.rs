//! The provider registry: one folder per provider, one line each in `REGISTRY`. A
//! provider's `ProviderDef` declares everything specific to it; every other part of
//! cloudcreds (checks, paste, import, the CLI's lists, the UI, the JSON schema) walks it.

pub(crate) mod aws;
mod azure;
mod common;
pub mod env;
mod files;
pub(crate) mod gcp;
pub(crate) mod huggingface;
pub(crate) mod lambda;
mod modal;
pub mod sources;

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

use crate::net::clock::Window;
use crate::net::Session;
use crate::schema::InputError;
use crate::schema::{Credentials, FieldIssue, Outcome, ProviderId, ProviderInfo};

pub(crate) use env::EnvVar;
use sources::ImportSource;

/// A provider's paste formats.
pub(crate) struct Paste {
    /// Each format, named as the user knows it ("a ~/.aws/credentials block"), for the
    /// message shown when nothing matched.
    pub formats: &'static [&'static str],
    /// Recognises a pasted block in these formats: `None` if it is not one of them.
    pub parse: fn(&str) -> Option<Result<Credentials, InputError>>,
}

/// A variable naming a file whose content fills a secret field.
pub(crate) struct KeyFile {
    pub var: &'static str,
    pub field: &'static str,
    /// What the file should be, for messages ("a service-account key JSON file").
    pub what: &'static str,
    /// Checks the file's text (read from `shown`) and returns the field's value.
    pub read: fn(text: &str, shown: &str) -> Result<String, InputError>,
}

/// A provider's check as the registry runs it, from two parts: `$read`, which turns the
/// credentials into the provider's typed input once (with every format issue), and `$run`,
/// the check body `async fn(&Input, &Session) -> Result<Outcome, Outcome>` (written with `?`,
/// both arms outcomes). The future is boxed and settled here, the one place for it; input
/// with issues never reaches `$run`.
macro_rules! check_with {
    ($read:expr, $run:path) => {{
        fn start<'a>(
            creds: &'a $crate::schema::Credentials,
            session: &'a $crate::net::Session<'a>,
        ) -> $crate::providers::Started<'a> {
            match $read(creds) {
                (Some(input), issues) if issues.is_empty() => Ok(Box::pin(async move {
                    $run(&input, session).await.unwrap_or_else(|o| o)
                })),
                (_, issues) => Err(issues),
            }
        }
        start
    }};
}
pub(crate) use check_with;

/// A check under way, or the issues that kept it from starting.
pub(crate) type Started<'a> = Result<BoxFuture<'a, Outcome>, Vec<FieldIssue>>;

pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Everything cloudcreds needs from one provider.
pub(crate) struct ProviderDef {
    /// The provider's id; its field schema (what the UI renders) is `id.info()`.
    pub id: ProviderId,
    /// Format rules beyond the shared ones (required, whitespace); never sends anything.
    pub validate: fn(&Credentials) -> Vec<FieldIssue>,
    /// The provider's own paste formats (`NAME=value` lines are read for every provider
    /// from `env`).
    pub paste: Paste,
    /// The ecosystem's environment variables, in precedence order per field.
    pub env: &'static [EnvVar],
    /// A variable that names a file holding a secret field (`GOOGLE_APPLICATION_CREDENTIALS`).
    pub key_file: Option<KeyFile>,
    /// The provider's importers of files already on this machine.
    pub sources: &'static [ImportSource],
    /// Keys of a secret JSON document whose values are secrets too, so no outcome text
    /// may carry them even if a provider echoes one back.
    pub secret_json_keys: &'static [&'static str],
    /// How far this computer's clock may be from the provider's before it refuses.
    pub clock: Window,
    /// The connectivity check (`check_with!`): the running check, or the input's issues.
    pub check: for<'a> fn(&'a Credentials, &'a Session<'a>) -> Started<'a>,
}

const REGISTRY: &[ProviderDef] = &[
    huggingface::DEF,
    lambda::DEF,
    aws::DEF,
    azure::DEF,
    gcp::DEF,
    modal::DEF,
];

pub(crate) fn defs() -> &'static [ProviderDef] {
    REGISTRY
}

pub(crate) fn def(id: ProviderId) -> &'static ProviderDef {
    REGISTRY
        .iter()
        .find(|d| d.id == id)
        .expect("every ProviderId is registered")
}

/// Every provider's schema, in display order.
pub fn all() -> &'static [&'static ProviderInfo] {
    static ALL: OnceLock<Vec<&'static ProviderInfo>> = OnceLock::new();
    ALL.get_or_init(|| REGISTRY.iter().map(|d| d.id.info()).collect())
}

/// Every provider, in display order.
pub fn ids() -> impl Iterator<Item = ProviderId> {
    REGISTRY.iter().map(|d| d.id)
}

/// The schema of one provider.
pub fn info(id: ProviderId) -> &'static ProviderInfo {
    id.info()
}

/// A provider name a person typed or a file holds, case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown provider '{name}': use one of {}", known())]
pub struct UnknownProvider {
    pub name: String,
}

fn known() -> String {
    ids().map(ProviderId::as_str).collect::<Vec<_>>().join(", ")
}

impl std::str::FromStr for ProviderId {
    type Err = UnknownProvider;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ids()
            .find(|id| id.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownProvider {
                name: s.trim().to_string(),
            })
    }
}

impl<'de> serde::Deserialize<'de> for ProviderId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        ids()
            .find(|id| id.as_str() == name)
            .ok_or_else(|| serde::de::Error::custom(UnknownProvider { name: name.into() }))
    }
}

/// Every import source, the environment first, then each provider's in display order.
pub fn import_sources() -> Vec<&'static ImportSource> {
    std::iter::once(&env::ENV_SOURCE)
        .chain(REGISTRY.iter().flat_map(|d| d.sources.iter()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_provider_is_registered_once_with_unique_fields() {
        let unique: HashSet<_> = all().iter().map(|p| p.id).collect();
        assert_eq!(unique.len(), all().len());
        for id in ids() {
            let p = info(id);
            let names: HashSet<_> = p.fields.iter().map(|f| f.name).collect();
            assert_eq!(names.len(), p.fields.len(), "{id}: duplicate field name");
            assert!(
                p.fields.iter().any(|f| f.kind.is_secret()),
                "{id}: no secret field"
            );
        }
    }

    #[test]
    fn registry_ids_match_their_schemas() {
        for d in defs() {
            assert_eq!(d.id.info().id, d.id);
            for var in d.env.iter().filter_map(|v| v.field) {
                assert!(info(d.id).field(var).is_some(), "{}: {var}", d.id);
            }
            if let Some(k) = &d.key_file {
                assert!(info(d.id)
                    .field(k.field)
                    .is_some_and(|f| f.kind.is_secret()));
            }
        }
    }

    #[test]
    fn provider_names_parse_case_insensitively() {
        assert_eq!("AWS".parse::<ProviderId>(), Ok(ProviderId::AWS));
        let err = "digitalocean"
            .parse::<ProviderId>()
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("unknown provider 'digitalocean'"), "{err}");
        for id in ids() {
            assert!(err.contains(id.as_str()), "{err}");
        }
    }
}
