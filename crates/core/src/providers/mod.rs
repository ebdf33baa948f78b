//! The provider registry: one module per provider, one line each in `all()`.

mod aws;
mod azure;
mod gcp;
mod huggingface;
mod lambda;

use std::sync::OnceLock;

use crate::provider::{ProviderId, ProviderInfo};

/// Every provider, in display order.
pub fn all() -> &'static [ProviderInfo] {
    static ALL: OnceLock<Vec<ProviderInfo>> = OnceLock::new();
    ALL.get_or_init(|| {
        vec![
            huggingface::info(),
            lambda::info(),
            aws::info(),
            azure::info(),
            gcp::info(),
        ]
    })
}

/// The schema of one provider.
pub fn info(id: ProviderId) -> &'static ProviderInfo {
    all()
        .iter()
        .find(|p| p.id == id)
        .expect("every ProviderId is registered")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_provider_is_registered_once_with_unique_fields() {
        let ids: HashSet<_> = all().iter().map(|p| p.id).collect();
        assert_eq!(ids.len(), all().len());
        for id in [
            ProviderId::Huggingface,
            ProviderId::Lambda,
            ProviderId::Aws,
            ProviderId::Azure,
            ProviderId::Gcp,
        ] {
            let p = info(id);
            let names: HashSet<_> = p.fields.iter().map(|f| f.name).collect();
            assert_eq!(names.len(), p.fields.len(), "{id}: duplicate field name");
            assert!(p.fields.iter().any(|f| f.kind.is_secret()), "{id}: no secret field");
        }
    }

    #[test]
    fn provider_names_parse_case_insensitively() {
        assert_eq!("AWS".parse::<ProviderId>(), Ok(ProviderId::Aws));
        let err = "digitalocean".parse::<ProviderId>().unwrap_err();
        assert!(err.contains("huggingface, lambda, aws, azure, gcp"), "{err}");
    }
}
