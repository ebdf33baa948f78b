//! The provider registry: one module per provider, one line each in `REGISTRY`.

mod aws;
mod azure;
mod common;
mod gcp;
mod huggingface;
mod lambda;

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

use crate::net::clock::Window;
use crate::net::Session;
use crate::schema::{Credentials, FieldIssue, Outcome, ProviderId, ProviderInfo};

pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Everything cloudcreds needs from one provider.
pub(crate) struct ProviderDef {
    /// The provider's id; its field schema (what the UI renders) is `id.info()`.
    pub id: ProviderId,
    /// Format rules beyond the shared ones (required, whitespace); never sends anything.
    pub validate: fn(&Credentials) -> Vec<FieldIssue>,
    /// Recognises a pasted block in this provider's own formats: `None` if it is not one.
    pub parse_paste: fn(&str) -> Option<Result<Credentials, String>>,
    /// The ecosystem's environment variables, `(VARIABLE, field)`, in precedence order.
    pub env_vars: &'static [(&'static str, &'static str)],
    /// How far this computer's clock may be from the provider's before it refuses.
    pub clock: Window,
    /// The connectivity check; input has passed `validate` already.
    pub check: for<'a> fn(&'a Credentials, &'a Session<'a>) -> BoxFuture<'a, Outcome>,
}

const REGISTRY: &[ProviderDef] = &[
    huggingface::DEF,
    lambda::DEF,
    aws::DEF,
    azure::DEF,
    gcp::DEF,
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

/// Credentials for `id` taken from the ecosystem's standard environment variables, if
/// any of them is set.
pub fn credentials_from_env(id: ProviderId, env: &crate::schema::Env) -> Option<Credentials> {
    let mut creds = Credentials::new(id);
    let mut any = false;
    for (var, field) in def(id).env_vars {
        if creds.field_names().any(|f| f == *field) {
            continue;
        }
        if let Some(value) = env.get(var) {
            creds.set(field, value.to_string()).ok()?;
            any = true;
        }
    }
    any.then_some(creds)
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
            for (_, field) in d.env_vars {
                assert!(info(d.id).field(field).is_some(), "{}: {field}", d.id);
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
        assert!(
            err.contains("huggingface, lambda, aws, azure, gcp"),
            "{err}"
        );
    }
}
