//! The fake providers, each its own module: adding one is its module plus one line in
//! [`PROVIDERS`]. The server mounts every provider's routers from here and
//! [`crate::FakeClouds::env`] collects their endpoint variables.

use axum::Router;

use crate::state::Shared;
use crate::{aws, azure, gcp, hf, lambda, modal};

/// A router of a provider and the path it is nested under; `""` merges it at the root (its
/// routes then spell their full paths).
pub(crate) type Mount = (&'static str, fn() -> Router<Shared>);

/// One emulated provider.
pub(crate) struct FakeProvider {
    /// For error messages and docs; not used in routing.
    #[allow(dead_code)]
    pub(crate) name: &'static str,
    pub(crate) mounts: &'static [Mount],
    /// The ecosystem's endpoint variables pointing at a server whose base URL is given.
    pub(crate) env: fn(&str) -> Vec<(&'static str, String)>,
}

/// Every fake provider, in the order their variables are printed.
pub(crate) const PROVIDERS: &[FakeProvider] = &[
    hf::FAKE,
    aws::FAKE,
    azure::FAKE,
    lambda::FAKE,
    gcp::FAKE,
    modal::FAKE,
];

/// Every provider's routes on one router.
pub(crate) fn router() -> Router<Shared> {
    PROVIDERS.iter().flat_map(|p| p.mounts.iter()).fold(
        Router::new(),
        |router, (prefix, routes)| {
            if prefix.is_empty() {
                router.merge(routes())
            } else {
                router.nest(prefix, routes())
            }
        },
    )
}

/// Every provider's endpoint variables for a server at `base_url`.
pub(crate) fn env(base_url: &str) -> Vec<(&'static str, String)> {
    PROVIDERS.iter().flat_map(|p| (p.env)(base_url)).collect()
}
