//! The one place an HTTP client is configured: rustls with the ring provider and the
//! platform verifier (always verifying), no redirects, a connect timeout, the proxy from
//! `HTTPS_PROXY`/`NO_PROXY` (never for loopback), and an optional injected DNS resolver.

use std::sync::{Arc, Once};
use std::time::Duration;

use reqwest::dns::Resolve;
use reqwest::redirect::Policy;
use reqwest::{Client, NoProxy, Proxy};

use crate::schema::Env;

/// Hosts that never go through a proxy, whatever `NO_PROXY` says.
const ALWAYS_DIRECT: &str = "localhost,127.0.0.1,::1";

fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Err means the application already installed one; that one is used.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

pub(crate) fn build(
    env: &Env,
    connect_timeout: Duration,
    resolver: Option<Arc<dyn Resolve>>,
) -> Result<Client, String> {
    install_crypto_provider();
    let mut builder = Client::builder()
        .redirect(Policy::none())
        .connect_timeout(connect_timeout)
        .user_agent(concat!("cloudcreds/", env!("CARGO_PKG_VERSION")))
        .no_proxy();
    if let Some(proxy) = https_proxy(env)? {
        builder = builder.proxy(proxy);
    }
    if let Some(resolver) = resolver {
        builder = builder.dns_resolver(resolver);
    }
    // The error text names no URL; it describes TLS or resolver setup.
    builder
        .build()
        .map_err(|e| format!("could not set up the HTTP client ({})", e.without_url()))
}

/// Only https traffic can leave the machine, so only the https proxy matters.
fn https_proxy(env: &Env) -> Result<Option<Proxy>, String> {
    let Some(raw) = env.first(&["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]) else {
        return Ok(None);
    };
    let no_proxy = match env.first(&["NO_PROXY", "no_proxy"]) {
        Some(list) => format!("{list},{ALWAYS_DIRECT}"),
        None => ALWAYS_DIRECT.to_string(),
    };
    // The proxy URL may carry a password: never echo it.
    let proxy = Proxy::https(raw)
        .map_err(|_| "HTTPS_PROXY is not a valid proxy URL".to_string())?
        .no_proxy(NoProxy::from_string(&no_proxy));
    Ok(Some(proxy))
}
