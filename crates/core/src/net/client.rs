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

pub(crate) fn install_crypto_provider() {
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

/// The variables naming the proxy, in precedence order.
const PROXY_VARS: [&str; 4] = ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"];

/// The proxy for https traffic as a URL (for the gRPC connector, which tunnels itself).
pub(crate) fn https_proxy_url(env: &Env) -> Result<Option<url::Url>, String> {
    let Some(raw) = env.first(&PROXY_VARS) else {
        return Ok(None);
    };
    // reqwest accepts a bare host:port; so does this.
    let with_scheme = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("http://{raw}")
    };
    match url::Url::parse(&with_scheme) {
        Ok(u) if u.scheme() == "http" && u.host_str().is_some() => Ok(Some(u)),
        _ => Err("HTTPS_PROXY is not an http:// proxy URL".to_string()),
    }
}

/// True when `host` bypasses the proxy: loopback always, and whatever `NO_PROXY` lists
/// (`*`, a host, or a domain with or without a leading dot), as reqwest reads it.
pub(crate) fn is_direct(host: &str, no_proxy: Option<&str>) -> bool {
    let host = host.to_ascii_lowercase();
    let always = ALWAYS_DIRECT.split(',');
    always
        .chain(no_proxy.unwrap_or("").split(','))
        .map(|e| e.trim().to_ascii_lowercase())
        .filter(|e| !e.is_empty())
        .any(|entry| {
            let domain = entry.trim_start_matches('.');
            entry == "*" || host == domain || host.ends_with(&format!(".{domain}"))
        })
}

/// Only https traffic can leave the machine, so only the https proxy matters.
fn https_proxy(env: &Env) -> Result<Option<Proxy>, String> {
    let Some(raw) = env.first(&PROXY_VARS) else {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_proxy_entries_match_hosts_and_their_subdomains() {
        let list = Some("example.com, .corp.internal,10.0.0.1");
        assert!(is_direct("api.example.com", list));
        assert!(is_direct("example.com", list));
        assert!(is_direct("a.corp.internal", list));
        assert!(is_direct("10.0.0.1", list));
        assert!(is_direct("127.0.0.1", None));
        assert!(!is_direct("api.modal.com", list));
        assert!(!is_direct("notexample.com", list));
        assert!(is_direct("api.modal.com", Some("*")));
    }

    #[test]
    fn a_proxy_url_without_scheme_is_http_and_others_are_refused() {
        let env = Env::from_pairs([("HTTPS_PROXY", "127.0.0.1:3128")]);
        assert_eq!(
            https_proxy_url(&env).unwrap().unwrap().as_str(),
            "http://127.0.0.1:3128/"
        );
        let env = Env::from_pairs([("HTTPS_PROXY", "socks5://secret@h:1")]);
        let err = https_proxy_url(&env).unwrap_err();
        assert!(!err.contains("secret"), "{err}");
    }
}
